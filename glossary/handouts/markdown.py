"""The text of handout starters and paragraphs: a starter file's Markdown read into a
title and paragraphs, and the marker that makes a paragraph a heading or a list item."""

from __future__ import annotations

import re

COMMENT = re.compile(r"<!--.*?-->", re.S)


def parse_markdown(source: str) -> tuple[str, list[str]]:
    """A starter file as (title, paragraphs): ``# `` is the title; ``## `` headings and
    ``- `` list items are paragraphs of their own; other lines join into paragraphs
    separated by blank lines. ``<!-- -->`` comments are left out."""
    title = ""
    paragraphs: list[str] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            paragraphs.append(" ".join(lines))
            lines.clear()

    for raw in COMMENT.sub("", source).splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            title = line[2:].strip()
        elif line.startswith(("## ", "- ", "* ")):
            flush()
            paragraphs.append("- " + line[2:] if line.startswith("* ") else line)
        else:
            lines.append(line)
    flush()
    return title, paragraphs


def paragraph_kind(text: str) -> tuple[str, str]:
    """(kind, text without its marker): ``heading``, ``item`` or ``body``."""
    if text.startswith("## "):
        return "heading", text[3:]
    if text.startswith("- "):
        return "item", text[2:]
    return "body", text
