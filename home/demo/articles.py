"""The demo articles. Bodies are written with the short helpers below and turned
into StreamField data by the loader, which swaps the snippet and image markers for
the real objects."""

from __future__ import annotations

import datetime

NEWSLETTER = ("newsletter_callout", "newsletter")
CTA = ("call_to_action", "cta")
DISCLAIMER = ("medical_disclaimer", "disclaimer")


def h(heading: str) -> tuple:
    return ("section_heading", {"heading": heading, "anchor": ""})


def p(*paragraphs: str) -> tuple:
    return ("rich_text", "".join(f"<p>{text}</p>" for text in paragraphs))


def ul(lead_in: str, *items: str, numbered: bool = False) -> tuple:
    style = "numbered" if numbered else "bulleted"
    return ("list", {"lead_in": lead_in, "style": style, "items": list(items)})


def quote(text: str, attribution: str = "") -> tuple:
    return ("pull_quote", {"quote": text, "attribution": attribution})


def image(title: str, alt_text: str, caption: str = "") -> tuple:
    return ("image", {"image": title, "alt_text": alt_text, "caption": caption})


def bottom_line(text: str, *takeaways: str) -> tuple:
    return (
        "bottom_line",
        {
            "heading": "The bottom line",
            "text": f"<p>{text}</p>",
            "takeaways": list(takeaways),
        },
    )


def compare(
    caption: str,
    therapies: list[str],
    rows: list[tuple[str, list[str]]],
    summary: str = "",
) -> tuple:
    """A therapy comparison; load_demo_content looks the therapy names up in
    Therapy types when it stores the article."""
    return (
        "therapy_comparison",
        {
            "caption": caption,
            "therapies": therapies,
            "rows": rows,
            "summary": f"<p>{summary}</p>" if summary else "",
        },
    )


def day(year: int, month: int, dom: int) -> datetime.date:
    return datetime.date(year, month, dom)


PT_VS_OT = {
    "slug": "physical-therapy-vs-occupational-therapy",
    "title": "Physical Therapy vs Occupational Therapy: What's the Difference?",
    "summary": (
        "Both professions help people in pain move and live better, but they start "
        "from different questions. Here is how to tell them apart and choose."
    ),
    "authors": ["the-clearing-team"],
    "reviewer": "priya-raman",
    "last_reviewed": day(2025, 2, 3),
    "published": day(2025, 1, 20),
    "topics": ["chronic-pain", "back-pain", "arthritis"],
    "therapies": ["physical-therapy", "occupational-therapy"],
    "hero": ("Morning light", "A warm gradient of peach fading into soft blue"),
    "body": [
        p(
            "If your doctor has suggested therapy for long-lasting pain, you may "
            "have been handed two names that sound almost alike. Physical therapy "
            "and occupational therapy overlap, share buildings and sometimes share "
            "patients, yet each asks a different first question.",
            "A physical therapist tends to ask: <i>how does your body move, and "
            "what stops it moving well?</i> An occupational therapist tends to ask: "
            "<i>what do you need and want to do each day, and what gets in the way?</i>",
        ),
        h("Where did physical and occupational therapy come from?"),
        p(
            "Both professions took shape in the early twentieth century, when "
            "large numbers of injured soldiers and polio survivors needed help "
            "returning to ordinary life. Early physical therapists, often called "
            "reconstruction aides, used exercise, massage and heat to rebuild "
            "strength and range of motion.",
            "Occupational therapy grew from a different root: the observation "
            "that purposeful activity, such as crafts, work tasks and self-care, "
            "helped people recover body and spirit together. Over the following "
            "decades both fields became licensed, degree-based professions with "
            "their own research and standards.",
        ),
        h("What is the difference between physical and occupational therapy?"),
        p(
            "The simplest way to put it: physical therapy works on the movement "
            "itself, while occupational therapy works on the activities that "
            "movement makes possible. A physical therapist might strengthen the "
            "muscles around a painful knee so that you can climb stairs. An "
            "occupational therapist might show you a safer way to get in and out "
            "of the bath with that same knee, or suggest a perching stool for "
            "cooking.",
            "In practice the line blurs. Physical therapists care a great deal "
            "about your daily life, and occupational therapists often prescribe "
            "exercise. The difference is where each one starts and what each one "
            "measures as success.",
        ),
        ul(
            "Popular exercises prescribed by physical therapists include:",
            "Bridges, lifting the hips while lying on your back",
            "Bird dogs, reaching an opposite arm and leg from hands and knees",
            "Wall sits, held for a few breaths at a comfortable depth",
            "Heel raises, slowly rising onto the toes and lowering",
            "Side-lying leg lifts to strengthen the hips",
            "Chin tucks to ease a forward-head posture",
            "Cat-cow stretches for a stiff spine",
            "Walking programmes that add a few minutes each week",
            "Balance work, such as standing on one foot near a counter",
        ),
        NEWSLETTER,
        h("How does a physical therapist differ from an occupational therapist?"),
        p(
            "A physical therapist usually begins with an assessment of strength, "
            "flexibility, balance and the way you walk. Treatment sessions are "
            "built around exercise, hands-on techniques and advice on how much "
            "activity is right for now.",
            "An occupational therapist usually begins by asking about your day: "
            "dressing, washing, cooking, working, caring for others, hobbies. "
            "Then they look for changes to the task, the tools or the "
            "environment that make those activities possible with less pain.",
        ),
        ul(
            "Common suggestions from occupational therapists include:",
            "Sitting to do tasks you would normally stand for, such as ironing",
            "Long-handled reachers and sock aids to avoid bending",
            "Splitting big jobs into short blocks with rests in between",
            "Raising the height of a desk, chair or bed",
            "Lightweight pans and cups with large, easy-grip handles",
            "Planning the week so demanding tasks do not fall on one day",
            "Keeping everyday items between hip and shoulder height",
            "Relaxation and breathing routines before and after hard tasks",
        ),
        compare(
            "Physical therapy and occupational therapy compared",
            ["Physical therapy", "Occupational therapy"],
            [
                (
                    "Focus",
                    [
                        "How the body moves: strength, flexibility, balance and endurance.",
                        "The everyday activities that matter to you and how you manage them.",
                    ],
                ),
                (
                    "Goals",
                    [
                        "Less pain with movement, more range of motion, safer walking.",
                        "More independence and comfort at home, at work and in leisure.",
                    ],
                ),
                (
                    "Typical patients",
                    [
                        "People with back or neck pain, after surgery or injury, or with balance problems.",
                        "People with arthritis, fibromyalgia, hand conditions or after a stroke.",
                    ],
                ),
                (
                    "Typical interventions",
                    [
                        "Exercise programmes, manual therapy, gait training, education on pacing.",
                        "Task changes, adaptive equipment, home and workplace adjustments, energy planning.",
                    ],
                ),
                (
                    "Training and licensing",
                    [
                        "A graduate degree in physical therapy and a national licensing exam.",
                        "A graduate degree in occupational therapy and a national certification exam.",
                    ],
                ),
                (
                    "Settings",
                    [
                        "Outpatient clinics, hospitals, sports facilities, home visits.",
                        "Hospitals, rehabilitation centres, schools, workplaces, the home.",
                    ],
                ),
            ],
            summary="Many people benefit from both, one after the other or side by side.",
        ),
        h("Which one should you choose?"),
        p(
            "If your main problem is that a part of your body hurts when you move "
            "it, physical therapy is a natural place to start. If your main "
            "problem is that pain stops you doing the things you need to do, "
            "occupational therapy may help sooner. Your doctor can refer you to "
            "either, and many clinics will suggest the other when it fits.",
        ),
        bottom_line(
            "Physical therapy and occupational therapy are partners, not rivals. "
            "One rebuilds movement; the other rebuilds the day around it.",
            "Start with PT when movement itself hurts.",
            "Start with OT when daily tasks are the struggle.",
            "Ask your doctor whether a referral to both makes sense.",
        ),
        CTA,
        DISCLAIMER,
    ],
}

ARTICLES = [
    PT_VS_OT,
    {
        "slug": "gentle-morning-stretches-for-lower-back-pain",
        "title": "Five Gentle Morning Stretches for Lower Back Pain",
        "summary": "A slow, ten-minute routine to loosen a stiff back before the day begins.",
        "authors": ["maya-lindqvist"],
        "published": day(2024, 9, 2),
        "topics": ["back-pain"],
        "therapies": ["physical-therapy"],
        "hero": ("Sand dunes", "Pale gold gradient with soft round shapes"),
        "body": [
            p(
                "Many people with back pain notice that mornings are the worst. "
                "Discs take on water overnight and muscles cool down, so the first "
                "steps out of bed can feel rigid. A short, gentle routine helps the "
                "back warm up before it has to carry you through the day.",
            ),
            h("Why stretch before getting up?"),
            p(
                "Moving slowly while still lying down takes gravity out of the "
                "picture. You can explore each movement without the load of "
                "standing, and stop well before anything feels sharp.",
            ),
            ul(
                "Try this order, spending about two minutes on each:",
                "Knee hugs: draw one knee, then both, towards the chest",
                "Pelvic tilts: flatten and then gently arch the lower back",
                "Knee rolls: let both bent knees fall to one side, then the other",
                "Child's pose on the bed, arms reaching forward",
                "Cat-cow on hands and knees, moving with the breath",
                numbered=True,
            ),
            quote(
                "Stiff is fine; sharp is a signal to stop and ease off.",
                "Maya Lindqvist",
            ),
            h("When should you skip the routine?"),
            p(
                "If you have new numbness, weakness in a leg, or trouble controlling "
                "your bladder or bowels, do not stretch: contact a doctor the same day.",
            ),
            bottom_line(
                "A few minutes of slow movement can make the first hour of the day "
                "far easier for a sore back.",
                "Move within comfort.",
                "Breathe out as you stretch.",
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "massage-therapy-for-tension-neck-pain",
        "title": "Can Massage Therapy Ease Tension Neck Pain?",
        "summary": "What a massage therapist does for a tight neck, and how to make the relief last longer.",
        "authors": ["maya-lindqvist"],
        "published": day(2024, 9, 16),
        "topics": ["neck-pain"],
        "therapies": ["massage-therapy"],
        "hero": ("Soft clay", "Rose and terracotta gradient"),
        "body": [
            p(
                "Hours spent looking down at screens load the small muscles at the "
                "back of the neck. Over time they can feel knotted and sore, and "
                "headaches sometimes follow. Massage is one of the most requested "
                "treatments for this kind of pain.",
            ),
            h("What happens during a neck massage?"),
            p(
                "A therapist usually works on the shoulders and upper back as well "
                "as the neck, using slow strokes, kneading and sustained pressure on "
                "tender spots. Good therapists check in often about pressure.",
            ),
            h("How long does the relief last?"),
            p(
                "Studies suggest massage eases neck pain in the short term. The "
                "effect fades unless the habits that caused the tension change too, "
                "which is why pairing massage with movement makes sense.",
            ),
            ul(
                "Ways to stretch the benefit between sessions:",
                "Take a one-minute posture break every half hour",
                "Raise your screen so the top sits at eye level",
                "Try slow shoulder rolls when you notice tension",
            ),
            bottom_line(
                "Massage can bring real, if temporary, relief for a tense neck; "
                "daily movement helps it last.",
            ),
            CTA,
        ],
    },
    {
        "slug": "pacing-with-fibromyalgia",
        "title": "Pacing with Fibromyalgia: Doing More by Doing Less",
        "summary": "How to break the boom-and-bust cycle that leaves so many people with fibromyalgia exhausted.",
        "authors": ["jonah-adeyemi"],
        "published": day(2024, 10, 7),
        "topics": ["fibromyalgia"],
        "therapies": ["occupational-therapy", "cognitive-behavioral-therapy"],
        "hero": ("Evening calm", "Lavender gradient deepening to indigo"),
        "body": [
            p(
                "On a good day it is tempting to catch up on everything. Then the "
                "next two days are lost to pain and fatigue. Occupational therapists "
                "call this the boom-and-bust cycle, and pacing is the way out.",
            ),
            h("What is pacing?"),
            p(
                "Pacing means planning activity in amounts you can manage on both "
                "good and bad days, then growing those amounts slowly.",
            ),
            ul(
                "A simple way to start:",
                "Pick one activity, such as housework or walking",
                "Time how long you can do it before symptoms rise",
                "Set your baseline at about eighty percent of that time",
                "Add a minute or two each week if the baseline feels steady",
                numbered=True,
            ),
            NEWSLETTER,
            h("Why does pacing feel so hard?"),
            p(
                "Stopping while you still feel able goes against habit. A "
                "cognitive behavioral therapist can help you notice the thoughts "
                "that push you on, such as <i>I should finish this now</i>, and try "
                "kinder alternatives.",
            ),
            quote(
                "I used to measure a day by how much I got done. Now I measure it by how I feel the next morning."
            ),
            bottom_line(
                "Steady, planned activity beats bursts of effort for people with fibromyalgia.",
                "Find your baseline.",
                "Grow it slowly.",
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "what-cbt-offers-people-in-chronic-pain",
        "title": "What Cognitive Behavioral Therapy Offers People in Chronic Pain",
        "summary": "CBT does not say pain is in your head. It gives you tools for the way pain and mood feed each other.",
        "authors": ["the-clearing-team"],
        "reviewer": "priya-raman",
        "last_reviewed": day(2025, 1, 12),
        "published": day(2024, 10, 21),
        "topics": ["chronic-pain"],
        "therapies": ["cognitive-behavioral-therapy"],
        "hero": ("Still water", "Teal gradient with pale blurred circles"),
        "body": [
            p(
                "Being referred to a psychologist for a physical problem can feel "
                "dismissive. Yet pain is processed by the brain, and worry, low mood "
                "and poor sleep all turn its volume up. CBT works on that loop.",
            ),
            h("What happens in a CBT session?"),
            p(
                "Sessions are structured and practical. You and the therapist pick "
                "goals, track patterns between activity, thoughts and pain, and "
                "try small experiments between meetings.",
            ),
            ul(
                "Skills people commonly learn:",
                "Spotting and questioning catastrophic thoughts",
                "Relaxation and slow breathing",
                "Activity planning and pacing",
                "Better sleep habits",
                "Problem solving for flare-ups",
            ),
            h("Does it work?"),
            p(
                "Research shows modest but real improvements in pain, mood and "
                "daily function for many people, and the skills stay with you after "
                "therapy ends.",
            ),
            bottom_line(
                "CBT treats the way pain affects your life, and often eases the pain itself a little too.",
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "acupuncture-for-migraine-first-visit",
        "title": "Acupuncture for Migraine: What to Expect at Your First Visit",
        "summary": "A calm walk-through of a first acupuncture appointment for people with frequent migraines.",
        "authors": ["the-clearing-team"],
        "published": day(2024, 11, 4),
        "topics": ["migraine"],
        "therapies": ["acupuncture"],
        "hero": ("Sea breeze", "Light sky blue gradient"),
        "body": [
            p(
                "Some people with frequent migraines find that a course of "
                "acupuncture reduces how often attacks come. If you are curious but "
                "nervous about needles, knowing what happens helps.",
            ),
            h("What will the practitioner ask?"),
            p(
                "Expect questions about how often your migraines come, what seems "
                "to trigger them, your sleep and your current medicines. Bring a "
                "headache diary if you keep one.",
            ),
            h("Does it hurt?"),
            p(
                "Acupuncture needles are much finer than the ones used for "
                "injections. Most people feel a brief pinch or a dull ache, then "
                "little at all. Needles usually stay in for twenty to thirty minutes.",
            ),
            image(
                "Sea breeze",
                "A pale blue gradient with soft white circles",
                "Take the session slowly.",
            ),
            bottom_line(
                "A first visit is mostly conversation and a short, quiet rest with needles in place.",
                "Keep a headache diary before and during a course.",
                "Choose a licensed practitioner.",
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "protecting-your-joints-in-the-kitchen",
        "title": "Protecting Your Joints in the Kitchen with Osteoarthritis",
        "summary": "Small changes to tools and habits that make cooking kinder to sore hands, hips and knees.",
        "authors": ["jonah-adeyemi"],
        "published": day(2024, 11, 18),
        "topics": ["osteoarthritis"],
        "therapies": ["occupational-therapy"],
        "hero": ("Warm stone", "Sandy brown gradient with cream shapes"),
        "body": [
            p(
                "Cooking asks a lot of joints: gripping, lifting, twisting and "
                "standing. With a few changes, the kitchen can stay a place you enjoy.",
            ),
            h("Which tools make the biggest difference?"),
            ul(
                "Occupational therapists often recommend:",
                "Thick, soft handles on knives and peelers",
                "A jar opener fixed under a cupboard",
                "Two-handled pans instead of heavy single-handled ones",
                "A trolley to move things from counter to table",
            ),
            h("How can you stand less?"),
            p(
                "A perching stool lets you lean while chopping or washing up. "
                "Slide heavy pans along the counter instead of lifting them.",
            ),
            bottom_line("Let the tools take the strain so your joints do not have to."),
            CTA,
        ],
    },
    {
        "slug": "aquatic-therapy-for-arthritis",
        "title": "Walking in Water: Aquatic Therapy for Arthritis",
        "summary": "Warm water takes weight off painful joints, so exercise that hurts on land can feel possible again.",
        "authors": ["maya-lindqvist"],
        "published": day(2024, 12, 2),
        "topics": ["arthritis", "osteoarthritis"],
        "therapies": ["aquatic-therapy", "physical-therapy"],
        "hero": ("Still water", "Teal and green water-like gradient"),
        "body": [
            p(
                "Standing in chest-deep water takes a large share of your body "
                "weight off your hips and knees. Warmth relaxes muscles, and the "
                "water resists every movement gently, building strength as you go.",
            ),
            h("What does a session look like?"),
            p(
                "A therapist leads a short warm-up of walking forwards, sideways and "
                "backwards, then exercises for the hips, knees and shoulders, and "
                "a relaxed cool-down.",
            ),
            h("Do you need to be able to swim?"),
            p(
                "No. Most exercises happen standing in the shallow end, holding the rail if needed."
            ),
            bottom_line(
                "If land exercise hurts too much to start, the pool can be a gentle first step.",
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "caring-for-your-feet-with-neuropathy",
        "title": "Caring for Your Feet When You Have Peripheral Neuropathy",
        "summary": "Numb feet miss warnings that healthy feet notice. A daily routine keeps small problems small.",
        "authors": ["the-clearing-team"],
        "published": day(2024, 12, 16),
        "topics": ["neuropathy"],
        "therapies": ["physical-therapy"],
        "hero": ("Forest path", "Green gradient with pale circles"),
        "body": [
            p(
                "Neuropathy can dull the feeling in your feet, so a blister or a "
                "stone in a shoe may go unnoticed. Checking your feet every day "
                "takes a minute and prevents a lot of trouble.",
            ),
            ul(
                "A daily foot routine:",
                "Look at the soles with a mirror or ask someone to check",
                "Wash in lukewarm water and test the temperature with your elbow",
                "Dry carefully between the toes",
                "Moisturise the heels but not between the toes",
                "Wear socks without tight seams and shoes that fit well",
                numbered=True,
            ),
            h("Can exercise help with neuropathy?"),
            p(
                "Balance and strength exercises, guided at first by a physical "
                "therapist, lower the risk of falls when you cannot feel the "
                "ground as well.",
            ),
            bottom_line(
                "Daily checks and good shoes protect feet that cannot warn you."
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "sciatica-when-leg-pain-starts-in-the-back",
        "title": "Sciatica: When Leg Pain Starts in the Back",
        "summary": "Why an irritated nerve in the lower back can make your leg hurt, and what usually helps.",
        "authors": ["maya-lindqvist"],
        "reviewer": "priya-raman",
        "last_reviewed": day(2025, 2, 10),
        "published": day(2025, 1, 6),
        "topics": ["sciatica", "back-pain"],
        "therapies": ["physical-therapy"],
        "hero": ("Warm stone", "Amber gradient"),
        "body": [
            p(
                "The sciatic nerve is the longest in the body, running from the "
                "lower back down each leg. When one of its roots is squeezed or "
                "irritated, pain can shoot well below the knee.",
            ),
            h("Will sciatica get better on its own?"),
            p(
                "Most episodes ease within weeks. Staying gently active usually "
                "helps more than bed rest.",
            ),
            h("What does a physical therapist do for sciatica?"),
            ul(
                "Treatment often includes:",
                "Positions that take pressure off the nerve",
                "Gentle nerve gliding exercises",
                "Core and hip strengthening as pain settles",
                "Advice on sitting, lifting and sleeping positions",
            ),
            bottom_line(
                "Sciatica is often painful but usually improves; stay moving and "
                "seek care quickly for weakness or numbness.",
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "sleep-and-pain-breaking-the-cycle",
        "title": "Sleep and Pain: Breaking the Cycle",
        "summary": "Pain disturbs sleep and poor sleep amplifies pain. Here is where to start untangling the two.",
        "authors": ["jonah-adeyemi", "the-clearing-team"],
        "published": day(2025, 2, 3),
        "topics": ["chronic-pain", "fibromyalgia"],
        "therapies": ["cognitive-behavioral-therapy"],
        "hero": ("Evening calm", "Dusky purple gradient"),
        "body": [
            p(
                "After a bad night, pain often feels sharper; on a painful day, "
                "sleep comes less easily. Working on sleep is one of the few ways "
                "to turn that loop in your favour.",
            ),
            h("What habits help sleep when you live with pain?"),
            ul(
                "Start with one or two of these:",
                "Get up at the same time every day, even after a poor night",
                "Keep the bed for sleep; get up if you have been awake a long time",
                "Wind down with a calm routine for half an hour",
                "Find a supportive pillow position for sore joints",
            ),
            NEWSLETTER,
            h("When should you ask for help?"),
            p(
                "If poor sleep lasts for weeks, ask about CBT for insomnia, a "
                "structured programme with good evidence behind it.",
            ),
            bottom_line("Better nights often mean gentler days."),
            DISCLAIMER,
        ],
    },
    {
        "slug": "desk-setup-to-spare-your-neck",
        "title": "A Desk Setup That Spares Your Neck",
        "summary": "An occupational therapist's checklist for a workstation that does not add to neck pain.",
        "authors": ["jonah-adeyemi"],
        "published": day(2025, 2, 17),
        "topics": ["neck-pain"],
        "therapies": ["occupational-therapy"],
        "hero": ("Sea breeze", "Bright blue gradient"),
        "body": [
            p(
                "Your workstation shapes your posture for hours at a time. Small adjustments add up."
            ),
            ul(
                "Check these, from the top down:",
                "Screen an arm's length away, top edge at eye level",
                "Shoulders relaxed, elbows close to the body",
                "Keyboard and mouse at elbow height",
                "Feet flat on the floor or a footrest",
                "A timer to stand and move every thirty minutes",
                numbered=True,
            ),
            h("What about laptops?"),
            p(
                "Use a stand and a separate keyboard so the screen can rise without lifting your hands."
            ),
            bottom_line("Bring the work to you instead of leaning towards it."),
            CTA,
        ],
    },
    {
        "slug": "planning-your-week-around-rheumatoid-arthritis",
        "title": "Planning Your Week Around Rheumatoid Arthritis Flares",
        "summary": "Flares are hard to predict, but a flexible plan keeps them from taking over the week.",
        "authors": ["jonah-adeyemi"],
        "published": day(2025, 3, 3),
        "topics": ["rheumatoid-arthritis"],
        "therapies": ["occupational-therapy"],
        "hero": ("Soft clay", "Coral gradient"),
        "body": [
            p(
                "Rheumatoid arthritis brings periods of swollen, painful joints "
                "and deep tiredness. Planning cannot stop a flare, but it can "
                "soften the impact.",
            ),
            h("How can a weekly plan help?"),
            ul(
                "Occupational therapists often suggest:",
                "Spreading heavy tasks across the week",
                "Keeping a short list of must-dos for flare days",
                "Preparing easy meals in advance on good days",
                "Building rest breaks into every day, not only bad ones",
            ),
            quote(
                "The plan is not a rulebook; it is a list of options for the day you actually get."
            ),
            bottom_line(
                "Plan for flexibility, and flare days become easier to ride out."
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "massage-or-physical-therapy-for-back-pain",
        "title": "Massage or Physical Therapy for Back Pain?",
        "summary": "Two popular treatments for an aching back, compared side by side.",
        "authors": ["maya-lindqvist"],
        "published": day(2025, 3, 17),
        "topics": ["back-pain"],
        "therapies": ["massage-therapy", "physical-therapy"],
        "hero": ("Forest path", "Moss green gradient"),
        "body": [
            p(
                "Both massage and physical therapy are widely used for back pain. "
                "They work in different ways and suit different goals.",
            ),
            compare(
                "Massage therapy and physical therapy for back pain",
                ["Massage therapy", "Physical therapy"],
                [
                    (
                        "Focus",
                        ["Relaxing tight muscles", "Restoring strength and movement"],
                    ),
                    ("Your role", ["Mostly receiving care", "Mostly doing exercises"]),
                    (
                        "Typical length",
                        ["A few sessions as needed", "A planned course over weeks"],
                    ),
                ],
            ),
            h("Can you combine them?"),
            p(
                "Yes. Many people find massage makes it easier to start exercises that build lasting strength."
            ),
            bottom_line(
                "Massage soothes; physical therapy builds. Together they can do both."
            ),
            DISCLAIMER,
        ],
    },
]

# Readers compare conditions and ask about pain in a situation: an article that
# covers both sides of a common comparison, and one about recovering from an
# operation.
ARTICLES += [
    {
        "slug": "migraine-or-tension-headache",
        "title": "Migraine or Tension Headache? How to Tell Them Apart",
        "summary": (
            "The two most common kinds of recurring headache feel different, have "
            "different triggers and respond to different care."
        ),
        "authors": ["the-clearing-team"],
        "reviewer": "priya-raman",
        "last_reviewed": day(2025, 3, 24),
        "published": day(2025, 3, 31),
        "topics": ["migraine"],
        "therapies": ["massage-therapy", "acupuncture"],
        "hero": ("Sea breeze", "Soft blue gradient with a pale band of light"),
        "body": [
            p(
                "Most people with frequent headaches have one of two kinds, or "
                "both: migraine, or tension-type headache. Knowing which one you "
                "have makes it easier to choose what to try and what to tell "
                "your doctor.",
            ),
            h("How does each one feel?"),
            p(
                "A tension headache usually presses or tightens on both sides of "
                "the head, like a band, and stays mild to moderate. You can "
                "usually carry on with the day.",
                "A migraine often throbs on one side, grows over an hour or two "
                "and makes you want to lie still in a dark, quiet room. Light, "
                "noise and smells can feel unbearable, and many people feel sick.",
            ),
            ul(
                "Signs that point to migraine rather than tension headache:",
                "Pain that throbs or pulses",
                "Nausea or vomiting",
                "Sensitivity to light and sound",
                "Pain that gets worse with walking or climbing stairs",
                "Visual changes, such as zigzag lines, before the pain (an aura)",
            ),
            h("What sets them off?"),
            p(
                "Tension headaches often follow long hours at a screen, a stiff "
                "neck, stress or a missed meal. Migraine triggers vary more: "
                "poor sleep, hormonal changes, skipped meals and some foods are "
                "common ones. A headache diary helps you spot your own pattern.",
            ),
            h("What helps each kind?"),
            p(
                "For tension headaches, regular movement breaks, neck and shoulder "
                "stretches and massage of tight muscles can help. For migraine, "
                "a doctor can suggest medicines that stop an attack and others "
                "that make attacks less frequent; some people also try "
                "acupuncture.",
            ),
            bottom_line(
                "A pressing band suggests a tension headache; a throbbing, "
                "one-sided pain with nausea or light sensitivity suggests migraine.",
                "Keep a headache diary for a few weeks.",
                "See a doctor about a sudden, severe or new kind of headache.",
            ),
            DISCLAIMER,
        ],
    },
    {
        "slug": "moving-again-after-an-operation",
        "title": "Moving Again After an Operation",
        "summary": (
            "Soreness after an operation is expected. Gentle movement, a steady "
            "medicine plan and good sleep help most people recover sooner."
        ),
        "authors": ["maya-lindqvist"],
        "reviewer": "priya-raman",
        "last_reviewed": day(2025, 4, 7),
        "published": day(2025, 4, 14),
        "topics": ["chronic-pain"],
        "therapies": ["physical-therapy"],
        "hero": ("Morning light", "Peach gradient rising into pale yellow"),
        "body": [
            p(
                "The first weeks at home after surgery can feel slow. The wound "
                "and the tissues around it are healing, muscles have lost some "
                "strength, and tiredness comes easily. Soreness is part of that "
                "healing and usually fades week by week.",
            ),
            h("How can you keep post-operative soreness under control?"),
            ul(
                "Most surgical teams suggest:",
                "Taking pain relief at regular times at first, not only when it hurts",
                "Moving a little every hour you are awake",
                "Using ice or a cool pack on swelling if your team agrees",
                "Propping the operated area on pillows when you rest",
            ),
            h("When can you start exercises?"),
            p(
                "Often within a day or two. A physical therapist shows you safe "
                "movements and builds them up as the wound heals, so stiffness "
                "does not set in.",
            ),
            h("When is soreness a warning sign?"),
            p(
                "Call your surgical team about pain that keeps getting worse, "
                "redness or heat around the wound, a fever, or a swollen, painful "
                "calf. Pain that lasts beyond three months deserves its own "
                "assessment: it can become persistent, and early help works best.",
            ),
            bottom_line(
                "Expect soreness, keep moving gently and ask for help early if "
                "it is not easing.",
            ),
            DISCLAIMER,
        ],
    },
]
