"""Easy read: the facilitator keeps one idea per paragraph. These are the paragraphs that
look like more than one (more than two sentences, or more than 25 words), named on the
editing page so they can be split before an easy-read handout is printed."""

from __future__ import annotations

import re

from . import placeholders
from .markdown import paragraph_kind

SENTENCE_END = re.compile(r"[.!?؟።।]+(\s|$)")
MAX_SENTENCES = 2
MAX_WORDS = 25


def long_paragraphs(paragraphs: list[dict]) -> list[int]:
    """Numbers (from 1) of the paragraphs that hold more than one idea by the measure
    above; a placeholder counts as one word."""
    numbers = []
    for number, paragraph in enumerate(paragraphs, start=1):
        _kind, body = paragraph_kind(paragraph["text"])
        for place in reversed(placeholders(body)):
            body = body[:place.start] + "X" + body[place.end:]
        sentences = len(SENTENCE_END.findall(body.strip()))
        if sentences > MAX_SENTENCES or len(body.split()) > MAX_WORDS:
            numbers.append(number)
    return numbers
