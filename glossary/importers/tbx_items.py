"""Walking TBX elements, whatever the generation: names without their namespace, text
with pretty-printing undone, and the data categories directly in an element with their
groups flattened (TBX 2008, TBX v3 in DCA or DCT style and TBX-Min spell the same things
with different elements), transactions as history records, cross-references."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .tbx_details import add_reference

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE_TAGS = frozenset(("langSet", "langSec", "langGroup"))
TERM_TAGS = frozenset(("tig", "ntig", "termSec", "termGroup"))
GROUP_TAGS = frozenset(("descripGrp", "adminGrp", "termNoteGrp", "termGrp", "termCompList"))
META_TAGS = frozenset(("descrip", "termNote", "admin", "transac", "transacNote", "ref", "xref",
                       "descripNote", "adminNote", "termCompListSpec"))
_LINE_BREAKS = re.compile(r"[ \t]*\n[ \t\n]*")


def localname(element) -> str:
    """The element's name without its namespace."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(element) -> str:
    """The element's text, inline markup included; line breaks from pretty-printing and
    tabs become single spaces."""
    if len(element):
        text = "".join(t for t in element.itertext() if isinstance(t, str))
    else:
        text = element.text or ""
    if "\n" in text or "\t" in text:
        text = _LINE_BREAKS.sub(" ", text).replace("\t", " ")
    return text.strip()


def items(element) -> Iterator[tuple[str, object, object]]:
    """(category, value, element) of the data categories directly in ``element``,
    groups flattened; structural children (languages, terms) are yielded as is."""
    for child in element:
        name = localname(child)
        if not name:
            continue
        if name in LANGUAGE_TAGS or name in TERM_TAGS or name == "term":
            yield name, child, child
        elif name in GROUP_TAGS:
            yield from items(child)
        elif name == "transacGrp":
            yield "transacGrp", transaction(child), child
        elif name == "noteGrp":
            parts = {localname(c): text_of(c) for c in child}
            key, value = parts.get("noteKey", ""), parts.get("noteValue", "")
            yield "note", f"{key}: {value}" if key else value, child
        elif name in META_TAGS:
            yield child.get("type") or name, text_of(child) or child.get("target", ""), child
        else:
            yield name, text_of(child), child


def transaction(group) -> dict:
    """A ``transacGrp`` as a history record: type, date, by, and any other category."""
    record = {}
    for category, value, _el in items(group):
        if category in ("transactionType", "transac"):
            record["type"] = value
        elif category == "date":
            record["date"] = value
        elif category == "responsibility":
            record["by"] = value
        elif value:
            record[category] = value
    return record


def element_reference(details: dict, category: str, value: str, element,
                      language: str = "") -> None:
    """Add the cross-reference in ``element`` (``xref`` with its URL, or ``ref`` naming
    another entry) to ``details``."""
    target = element.get("target") or ""
    text = text_of(element)
    if not target and not text:
        return
    reference = {"type": category, "target": target, "text": text}
    if language:
        reference["language"] = language
    add_reference(details, reference)
