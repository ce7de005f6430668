"""Search snippets that read as text: the indexed section text keeps one line
per paragraph, list item and table cell (documents.LINE_BREAK between them), and
a highlighted fragment may span several. HTML would run those lines together
("towards the chest Pelvic tilts"), so a snippet shows only the lines that
matched, each whole or marked with an ellipsis where the fragment cut it."""

from __future__ import annotations

import html
import re

from django.utils.safestring import SafeString, mark_safe

from search.documents import LINE_BREAK

ELLIPSIS = "…"
MATCH_TAG_RE = re.compile(r"</?em>")


def plain(line: str) -> str:
    """A highlighted line as the indexed text has it."""
    return html.unescape(MATCH_TAG_RE.sub("", line)).strip()


def starts_a_line(*, part: str, text: str) -> bool:
    return text.startswith(part) or f"{LINE_BREAK}{part}" in text


def ends_a_line(*, part: str, text: str) -> bool:
    return text.endswith(part) or f"{part}{LINE_BREAK}" in text


def readable_snippet(*, fragment: str | None, text: str) -> SafeString | None:
    """The matched lines of a highlighted `fragment` of `text`, joined by an
    ellipsis. The fragment is the server's escaped HTML with <em> around
    matches; nothing is added to it but ellipses and spaces."""
    if not fragment:
        return None
    lines = [line.strip() for line in fragment.split(LINE_BREAK)]
    chosen = [i for i, line in enumerate(lines) if "<em>" in line] or [0]
    parts = []
    for index in chosen:
        line, words = lines[index], plain(lines[index])
        if index == 0 and not starts_a_line(part=words, text=text):
            line = f"{ELLIPSIS} {line}"
        if index == len(lines) - 1 and not ends_a_line(part=words, text=text):
            line = f"{line} {ELLIPSIS}"
        parts.append(line)
    return mark_safe(f" {ELLIPSIS} ".join(parts))  # noqa: S308
