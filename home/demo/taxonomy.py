"""Authors, pain topics, therapy types and the reusable snippets of the demo."""

TEAM_AUTHOR = "the-clearing-team"

AUTHORS = [
    {
        "slug": TEAM_AUTHOR,
        "name": "The Clearing Team",
        "kind": "team",
        "role": "Editorial team",
        "bio": (
            "The editors, therapists and writers behind Relief. Every article is "
            "planned, drafted and fact-checked together."
        ),
    },
    {
        "slug": "maya-lindqvist",
        "name": "Maya Lindqvist",
        "kind": "person",
        "role": "DPT, physical therapist",
        "bio": (
            "Maya has treated people with long-lasting back and neck pain for twelve "
            "years and writes about exercise that fits into an ordinary day."
        ),
    },
    {
        "slug": "jonah-adeyemi",
        "name": "Jonah Adeyemi",
        "kind": "person",
        "role": "OTR/L, occupational therapist",
        "bio": (
            "Jonah helps people with arthritis and fibromyalgia rearrange homes, "
            "jobs and routines so that pain takes up less room."
        ),
    },
    {
        "slug": "priya-raman",
        "name": "Dr. Priya Raman",
        "kind": "person",
        "role": "MD, physical medicine and rehabilitation",
        "bio": (
            "Priya is a rehabilitation physician. She reviews Relief articles for "
            "medical accuracy."
        ),
    },
]

# (slug, name, parent slug, synonyms, description); parents come first.
TOPICS = [
    (
        "chronic-pain",
        "Chronic pain",
        None,
        ["persistent pain", "long-term pain"],
        "Pain that lasts longer than about three months.",
    ),
    (
        "back-pain",
        "Back pain",
        "chronic-pain",
        ["lower back pain", "lumbago", "backache"],
        "Pain anywhere from the ribs to the buttocks.",
    ),
    (
        "sciatica",
        "Sciatica",
        "back-pain",
        ["sciatic nerve pain", "lumbar radiculopathy"],
        "Pain that runs from the lower back down one leg.",
    ),
    (
        "neck-pain",
        "Neck pain",
        "chronic-pain",
        ["stiff neck", "cervicalgia"],
        "Aches and stiffness between the skull and the shoulders.",
    ),
    (
        "arthritis",
        "Arthritis",
        None,
        ["joint inflammation", "arthritic pain"],
        "A family of conditions that cause painful, stiff joints.",
    ),
    (
        "osteoarthritis",
        "Osteoarthritis",
        "arthritis",
        ["OA", "wear-and-tear arthritis", "degenerative joint disease"],
        "The most common arthritis, where joint cartilage thins over time.",
    ),
    (
        "rheumatoid-arthritis",
        "Rheumatoid arthritis",
        "arthritis",
        ["RA"],
        "An autoimmune arthritis that comes and goes in flares.",
    ),
    (
        "neuropathy",
        "Neuropathy",
        None,
        ["peripheral neuropathy", "nerve pain"],
        "Burning, tingling or numbness from damaged nerves.",
    ),
    (
        "fibromyalgia",
        "Fibromyalgia",
        "chronic-pain",
        ["fibro", "FMS"],
        "Widespread pain with tiredness and poor sleep.",
    ),
    (
        "migraine",
        "Migraine",
        None,
        ["migraine headache", "sick headache"],
        "Recurring, often one-sided headaches with other symptoms.",
    ),
]

THERAPIES = [
    (
        "physical-therapy",
        "Physical therapy",
        "Exercise, hands-on care and education to restore movement. Also called physiotherapy.",
    ),
    (
        "occupational-therapy",
        "Occupational therapy",
        "Help with the everyday tasks that matter to you, at home, at work and in between.",
    ),
    ("massage-therapy", "Massage therapy", "Hands-on work on muscles and soft tissue."),
    (
        "cognitive-behavioral-therapy",
        "Cognitive behavioral therapy",
        "A talking therapy that changes how thoughts and habits shape pain.",
    ),
    ("acupuncture", "Acupuncture", "Fine needles placed at chosen points on the body."),
    (
        "aquatic-therapy",
        "Aquatic therapy",
        "Exercise in warm water, which carries part of your weight.",
    ),
]

NEWSLETTER = {
    "title": "Small steps, every week",
    "text": (
        "One short email each Sunday: a gentle exercise, a plain-language research "
        "note and a tip from a therapist. No spam, unsubscribe any time."
    ),
    "button_label": "Send me the notes",
    "action_url": "https://example.org/newsletter/subscribe",
}

CALL_TO_ACTION = {
    "title": "Start the Relief home programme",
    "text": (
        "Twelve weeks of short, guided sessions designed by our physical and "
        "occupational therapists. Do them in your living room, at your own pace, "
        "and track how far you have come."
    ),
    "link_label": "Try the first week free",
    "link_url": "https://example.org/home-programme",
}

DISCLAIMER = {
    "title": "Medical disclaimer",
    "text": (
        "<p>Relief articles are for general education. They are <b>not</b> a "
        "diagnosis or a treatment plan. Talk to your doctor or therapist before "
        "starting a new exercise or therapy, and seek urgent care for sudden, "
        "severe or unexplained pain.</p>"
    ),
}
