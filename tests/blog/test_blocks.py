"""Each body block's validation (clean) and what a reader gets when it renders."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail import blocks

from blog.blocks import (
    ArticleBodyStreamBlock,
    CallToActionBlock,
    CaptionedImageBlock,
    KeyTakeawaysBlock,
    ListItemsBlock,
    MedicalDisclaimerBlock,
    NewsletterCalloutBlock,
    PullQuoteBlock,
    SectionHeadingBlock,
    TherapyComparisonBlock,
    anchor_from_heading,
)
from blog.comparison import comparison_data
from tests.factories import (
    CallToActionFactory,
    ImageFactory,
    MedicalDisclaimerFactory,
    NewsletterSignupFactory,
    TherapyTypeFactory,
)

pytestmark = pytest.mark.django_db


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def block_errors(block, raw) -> dict:
    """Clean `raw` (in the block's JSON form) and return its per-field errors."""
    with pytest.raises(ValidationError) as caught:
        block.clean(block.to_python(raw))
    return caught.value.block_errors


def clean(block, raw):
    return block.clean(block.to_python(raw))


# Section heading -------------------------------------------------------------


def test_section_heading_renders_its_anchor_as_the_heading_id():
    block = SectionHeadingBlock()
    html = block.render(clean(block, {"heading": "Why does it hurt?", "anchor": "why"}))
    heading = soup(html).find(id="why")
    assert heading.name == "h2"
    assert heading.get_text(strip=True) == "Why does it hurt?"


@pytest.mark.parametrize("anchor", ["1st", "has space", "ünïcode", "-lead", "a/b"])
def test_section_heading_refuses_an_invalid_anchor(anchor):
    errors = block_errors(SectionHeadingBlock(), {"heading": "H", "anchor": anchor})
    assert "starting with a letter" in str(errors["anchor"])


@pytest.mark.parametrize("anchor", ["", "why", "Why_it-hurts2"])
def test_section_heading_accepts_a_valid_or_blank_anchor(anchor):
    value = clean(SectionHeadingBlock(), {"heading": "H", "anchor": anchor})
    assert value["anchor"] == anchor


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [("What is PT?", "what-is-pt"), ("10 stretches", "section-10-stretches")],
)
def test_anchor_from_heading_starts_with_a_letter(heading, anchor):
    assert anchor_from_heading(heading) == anchor


# The stream as a whole --------------------------------------------------------


def stream(*children):
    return [{"type": t, "value": v} for t, v in children]


def test_body_fills_blank_anchors_uniquely_when_cleaned():
    block = ArticleBodyStreamBlock()
    value = clean(
        block,
        stream(
            ("section_heading", {"heading": "Pacing", "anchor": ""}),
            ("section_heading", {"heading": "Pacing", "anchor": ""}),
        ),
    )
    assert [child.value["anchor"] for child in value] == ["pacing", "pacing-2"]


def test_body_refuses_two_sections_with_the_same_anchor():
    block = ArticleBodyStreamBlock()
    errors = block_errors(
        block,
        stream(
            ("section_heading", {"heading": "One", "anchor": "same"}),
            ("section_heading", {"heading": "Two", "anchor": "same"}),
        ),
    )
    assert list(errors) == [1]
    assert "already the anchor of another section" in str(
        errors[1].block_errors["anchor"]
    )


def test_body_allows_only_one_disclaimer_block():
    block = ArticleBodyStreamBlock()
    with pytest.raises(ValidationError):
        clean(
            block,
            stream(
                ("medical_disclaimer", {"disclaimer": None}),
                ("medical_disclaimer", {"disclaimer": None}),
            ),
        )


# Text blocks -------------------------------------------------------------------


def test_list_renders_lead_in_and_every_item():
    block = ListItemsBlock()
    value = clean(
        block,
        {"lead_in": "Try these:", "style": "numbered", "items": ["Bridges", "Clams"]},
    )
    html = block.render(value)
    for text in ("Try these:", "Bridges", "Clams"):
        assert text in html


def test_list_needs_at_least_one_item():
    block = ListItemsBlock()
    with pytest.raises(ValidationError):
        clean(block, {"lead_in": "", "style": "bulleted", "items": []})


def test_pull_quote_renders_quote_and_attribution_escaped():
    block = PullQuoteBlock()
    value = clean(block, {"quote": "Rest <and> move", "attribution": "Jo"})
    html = block.render(value)
    assert "Rest &lt;and&gt; move" in html
    assert "Jo" in html


def test_bottom_line_renders_heading_text_and_takeaways():
    block = KeyTakeawaysBlock()
    value = clean(
        block,
        {
            "heading": "The bottom line",
            "text": "<p>Keep moving gently.</p>",
            "takeaways": ["Start small"],
        },
    )
    html = block.render(value)
    for text in ("The bottom line", "Keep moving gently.", "Start small"):
        assert text in html


# Image and snippets --------------------------------------------------------------


def test_image_requires_alt_text():
    image = ImageFactory()
    errors = block_errors(
        CaptionedImageBlock(), {"image": image.pk, "alt_text": "", "caption": ""}
    )
    assert "alt_text" in errors


def test_image_renders_alt_text_and_caption():
    image = ImageFactory()
    block = CaptionedImageBlock()
    value = clean(
        block, {"image": image.pk, "alt_text": "A warm gradient", "caption": "Calm"}
    )
    html = soup(block.render(value))
    assert html.find("img")["alt"] == "A warm gradient"
    assert html.find("figcaption").get_text(strip=True) == "Calm"


def test_snippet_blocks_render_the_chosen_snippet():
    signup = NewsletterSignupFactory(title="Weekly movement notes")
    cta = CallToActionFactory(title="Try the home programme")
    disclaimer = MedicalDisclaimerFactory(text="<p>Not medical advice.</p>")
    rendered = [
        NewsletterCalloutBlock().render(
            clean(NewsletterCalloutBlock(), {"signup": signup.pk})
        ),
        CallToActionBlock().render(
            clean(CallToActionBlock(), {"call_to_action": cta.pk})
        ),
        MedicalDisclaimerBlock().render(
            clean(MedicalDisclaimerBlock(), {"disclaimer": disclaimer.pk})
        ),
    ]
    assert "Weekly movement notes" in rendered[0]
    assert "Try the home programme" in rendered[1]
    assert "Not medical advice." in rendered[2]


def test_newsletter_callout_requires_a_signup():
    with pytest.raises(ValidationError):
        clean(NewsletterCalloutBlock(), {"signup": None})


# Therapy comparison -------------------------------------------------------------


def comparison(therapies, rows):
    return comparison_data(caption="PT and OT compared", therapies=therapies, rows=rows)


PT_OT = ["Physical therapy", "Occupational therapy"]


def column_errors(errors) -> dict[str, list[str]]:
    return {
        slot: error.messages for slot, error in errors["therapies"].block_errors.items()
    }


def cell_errors(errors, row: int) -> dict[str, list[str]]:
    cells = errors["rows"].block_errors[row].block_errors["cells"]
    return {slot: error.messages for slot, error in cells.block_errors.items()}


def test_comparison_refuses_fewer_than_two_therapies():
    errors = block_errors(
        TherapyComparisonBlock(), comparison(["Physical therapy"], [("Focus", ["a"])])
    )
    assert column_errors(errors) == {
        "second": ["Choose a therapy: a comparison needs at least two."]
    }


def test_comparison_refuses_the_same_therapy_twice_whatever_its_case():
    errors = block_errors(
        TherapyComparisonBlock(),
        comparison(["Massage", "massage "], [("Focus", ["a", "b"])]),
    )
    assert "already compared" in column_errors(errors)["second"][0]


def test_comparison_refuses_free_text_for_a_therapy_the_taxonomy_has():
    TherapyTypeFactory(name="Physical therapy")
    raw = comparison(PT_OT, [("Focus", ["a", "b"])])
    raw["therapies"]["first"] = {"therapy": None, "other_name": "physical therapy"}
    errors = block_errors(TherapyComparisonBlock(), raw)
    assert column_errors(errors) == {
        "first": ['"Physical therapy" is in Therapy types: pick it from the list.']
    }


def test_comparison_refuses_empty_cells_and_cells_without_a_therapy():
    raw = comparison(PT_OT, [("Focus", ["Movement", ""])])
    raw["rows"][0]["cells"]["third"] = "Stray text"
    errors = block_errors(TherapyComparisonBlock(), raw)
    assert cell_errors(errors, 0) == {
        "second": ["Fill in this cell for the therapy above."],
        "third": ["This column has no therapy: choose one or empty the cell."],
    }


def test_comparison_renders_caption_therapies_and_rows():
    TherapyTypeFactory(name="Physical therapy", slug="pt")
    block = TherapyComparisonBlock()
    value = clean(
        block,
        comparison(
            PT_OT,
            [("Focus", ["Movement", "Daily tasks"]), ("Settings", ["Clinic", "Home"])],
        ),
    )
    table = soup(block.render(value)).find("table")
    assert table.find("caption").get_text(strip=True) == "PT and OT compared"
    column_heads = [th.get_text(strip=True) for th in table.find_all("th", scope="col")]
    assert column_heads == PT_OT
    row_heads = [th.get_text(strip=True) for th in table.find_all("th", scope="row")]
    assert row_heads == ["Focus", "Settings"]
    cells = [td.get_text(strip=True) for td in table.select("tbody td")]
    assert cells == ["Movement", "Daily tasks", "Clinic", "Home"]
    assert value.therapy_keys == ["pt", "occupational-therapy"]


def test_struct_errors_are_struct_block_validation_errors():
    """The editor shows per-field messages only for this error class."""
    with pytest.raises(blocks.StructBlockValidationError):
        clean(TherapyComparisonBlock(), comparison(["One"], [("Focus", ["a"])]))
