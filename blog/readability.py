"""How hard an article is to read: its Flesch-Kincaid grade (textstat) and
each section's, against the target range the settings give."""

from __future__ import annotations

from dataclasses import dataclass

import textstat

from blog.conf import reading_grade_target

# Below this many words a grade says more about one sentence than the text.
MIN_WORDS = 10
SENTENCE_ENDS = (".", "!", "?", ":", ";")


def as_sentences(text: str) -> str:
    """List items and headings end without a full stop; read as one run they
    make a single endless sentence and an inflated grade, so each line is
    closed as the sentence a reader takes it for."""
    lines = (line.strip() for line in text.splitlines())
    return " ".join(
        line if line.endswith(SENTENCE_ENDS) else f"{line}." for line in lines if line
    )


@dataclass(frozen=True)
class GradedText:
    label: str
    anchor: str
    words: int
    grade: float | None

    @property
    def verdict(self) -> str:
        """ "short" (too few words to grade), "easier", "on target" or "harder"."""
        if self.grade is None:
            return "short"
        low, high = reading_grade_target()
        if self.grade < low:
            return "easier"
        return "harder" if self.grade > high else "on target"


def grade_text(*, label: str, text: str, anchor: str = "") -> GradedText:
    sentences = as_sentences(text)
    words = textstat.lexicon_count(sentences)
    grade = textstat.flesch_kincaid_grade(sentences) if words >= MIN_WORDS else None
    return GradedText(
        label=label,
        anchor=anchor,
        words=words,
        grade=None if grade is None else round(grade, 1),
    )


def article_reading_grades(*, page) -> tuple[GradedText, list[GradedText]]:
    """The whole article (summary and body) and each of its sections, in order."""
    whole = grade_text(label="Whole article", text=f"{page.summary}\n{page.body_text}")
    sections = [
        grade_text(label=heading or "Introduction", text=text, anchor=anchor)
        for anchor, heading, text in page.body_sections
        if text
    ]
    return whole, sections
