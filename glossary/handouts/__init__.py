"""Handout texts of a group: ground rules, programme information, confidentiality and
its limits, where to get help. Each group adapts its own copy of a starter in
``data/handouts/starters/<kind>.<tag>.md``, edited in the app by facilitators, paragraph by
paragraph; mediators translate it (:mod:`.translations`), both sign it off, and a
session pack freezes it (:mod:`.frozen`).

A paragraph may hold placeholders: ``{{concept:KEY}}`` prints the wording agreed for the
concept in the handout's language, ``{{group:FIELD}}`` a field of the group (name,
start_date, audience, day, time, place, contact). Anything else between ``{{`` and
``}}`` is refused on save, naming the paragraph and the token. A paragraph starting with
``## `` is a heading, with ``- `` a list item. When a handout is made from a starter, the
group's audience and meeting day are written into the text (they are words to translate);
the other fields stay placeholders and print the group's current value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from ..audit import record
from ..config import ROOT
from ..errors import InputError, NotFound, Refused
from ..i18n import _l
from ..models import Concept, Person
from ..models.groups import Group
from ..models.handouts import HandoutText
from ..text import clean_text
from ..transaction import save_version, transactional
from .markdown import parse_markdown

STARTER_DIR = ROOT / "data" / "handouts" / "starters"
KINDS = ("rules", "programme", "confidentiality", "help")
KIND_NAMES = {"rules": _l("Ground rules"), "programme": _l("Programme information"),
              "confidentiality": _l("Confidentiality and its limits"),
              "help": _l("Where to get help")}
TOKEN = re.compile(r"\{\{(.*?)\}\}", re.S)
PLACE = re.compile(r"^\s*(concept|group)\s*:\s*([A-Za-z0-9_.-]+)\s*$")
# {{group:FIELD}} -> the Group attribute it prints.
GROUP_FIELDS = {"name": "name", "start_date": "start_date", "audience": "audience",
                "day": "meeting_day", "time": "meeting_time", "place": "place",
                "contact": "contact"}
# Group fields written into the text when a handout is made from a starter.
FILLED_ON_CREATE = ("audience", "day")
EDITOR_ROLES = ("facilitator", "admin")
MAX_PARAGRAPHS = 60
PARAGRAPH_LENGTH = 2000
PICTOGRAMS = ("group", "talk", "listen", "confidential", "help", "calendar", "clock",
              "place", "no-violence", "feelings", "interpreter", "question")


@dataclass(frozen=True)
class Placeholder:
    """One ``{{...}}`` token in a text: ``kind`` concept or group, its ``key``, and
    where it is."""

    token: str
    kind: str
    key: str
    start: int
    end: int


def placeholders(text: str) -> list[Placeholder]:
    """The tokens of ``text`` that are well-formed placeholders (kind concept or group);
    see :func:`bad_tokens` for the others."""
    found = []
    for match in TOKEN.finditer(text or ""):
        place = PLACE.match(match.group(1))
        if place:
            found.append(Placeholder(match.group(0), place.group(1), place.group(2),
                                     match.start(), match.end()))
    return found


def bad_tokens(text: str) -> list[str]:
    """Tokens that look like placeholders but are not ones this handout knows: an
    unknown kind or group field, or a stray ``{{`` or ``}}``."""
    bad = []
    for match in TOKEN.finditer(text or ""):
        place = PLACE.match(match.group(1))
        if place is None or (place.group(1) == "group" and place.group(2) not in GROUP_FIELDS):
            bad.append(match.group(0))
    rest = TOKEN.sub("", text or "")
    for stray in ("{{", "}}"):
        if stray in rest:
            index = rest.index(stray)
            bad.append(rest[index:index + 30].splitlines()[0].strip())
    return bad


def concept_keys(texts) -> list[str]:
    """The concept keys cited in ``texts``, in order of first appearance."""
    keys: dict[str, None] = {}
    for text in texts:
        for place in placeholders(text):
            if place.kind == "concept":
                keys.setdefault(place.key)
    return list(keys)


def _where(number: int):
    return _l("the title") if number == 0 else _l("paragraph %(number)d", number=number)


def check_text(session: Session, numbered: list[tuple[int, str]]) -> None:
    """Refuse the first unknown placeholder or concept key in ``numbered`` (paragraph
    number, text; number 0 is the title) with :class:`InputError` naming the place and
    the token."""
    for number, text in numbered:
        for token in bad_tokens(text):
            raise InputError(_l(
                "In %(place)s, “%(token)s” is not a placeholder handouts know. Use "
                "{{concept:KEY}} or {{group:FIELD}}, FIELD one of: %(fields)s.",
                place=str(_where(number)), token=token, fields=", ".join(GROUP_FIELDS)),
                field=f"paragraph-{number}")
    keys = concept_keys(text for _n, text in numbered)
    known = set(session.exec(select(Concept.key).where(col(Concept.key).in_(keys or [""]))))
    for number, text in numbered:
        for place in placeholders(text):
            if place.kind == "concept" and place.key not in known:
                raise InputError(_l(
                    "In %(place)s, %(token)s cites a concept key that does not exist.",
                    place=str(_where(number)), token=place.token),
                    field=f"paragraph-{number}")


def group_values(group: Group) -> dict[str, str]:
    """What each ``{{group:FIELD}}`` prints for ``group`` (empty when not set)."""
    values = {}
    for field, attribute in GROUP_FIELDS.items():
        value = getattr(group, attribute)
        values[field] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
    return values


# --- starters -----------------------------------------------------------------------


def read_starter(kind: str, language: str) -> tuple[str, list[str]]:
    """The starter of ``kind`` in ``language`` (or its base language, else English) as
    (title, paragraphs). Raises :class:`NotFound` when there is none."""
    if kind not in KINDS:
        raise NotFound(_l("There is no handout kind “%(kind)s”.", kind=kind))
    for tag in (language, language.split("-")[0], "en"):
        path = STARTER_DIR / f"{kind}.{tag}.md"
        if path.is_file():
            return parse_markdown(path.read_text(encoding="utf-8"))
    raise NotFound(_l("There is no starter for %(kind)s.", kind=str(KIND_NAMES[kind])))


# --- the group's texts ---------------------------------------------------------------


def texts_of(session: Session, group: Group) -> list[HandoutText]:
    """The group's handout texts, in the order of :data:`KINDS`."""
    return in_kind_order(session.exec(select(HandoutText).where(
        HandoutText.group_id == group.id)))


def in_kind_order(texts) -> list[HandoutText]:
    """``texts`` in the order of :data:`KINDS` (an unknown kind last)."""
    return sorted(texts, key=lambda t: KINDS.index(t.kind) if t.kind in KINDS else 99)


def get_text(session: Session, group: Group, kind: str) -> HandoutText | None:
    """The group's handout of ``kind``, if it was made."""
    return session.exec(select(HandoutText).where(HandoutText.group_id == group.id,
                                                  HandoutText.kind == kind)).first()


def _check_editor(person: Person | None) -> None:
    if person is not None and not person.has_role(*EDITOR_ROLES):
        raise Refused(_l("Only facilitators and admins edit a group's handouts."))


def _fill(text: str, values: Mapping[str, str]) -> str:
    for field in FILLED_ON_CREATE:
        if values.get(field):
            text = re.sub(r"\{\{\s*group\s*:\s*" + field + r"\s*\}\}", values[field], text)
    return text


@transactional
def create_text(session: Session, *, group: Group, kind: str, person: Person | None,
                is_demo: bool = False) -> HandoutText:
    """Make the group's handout of ``kind`` from its starter, with the group's audience
    and meeting day written in. Refuses a second one of the same kind."""
    _check_editor(person)
    if get_text(session, group, kind) is not None:
        raise InputError(_l("This group has that handout already."), field="kind")
    title, paragraphs = read_starter(kind, group.working_language)
    values = group_values(group)
    text = HandoutText(group_id=group.id,  # type: ignore[arg-type]
                       kind=kind, title=_fill(title, values),
                       paragraphs=[{"id": f"p{n}", "text": _fill(p, values), "picture": ""}
                                   for n, p in enumerate(paragraphs, start=1)],
                       next_id=len(paragraphs) + 1, is_demo=is_demo,
                       updated_by_id=person.id if person else None)
    session.add(text)
    session.flush()
    record(session, person=person, action="create", entity="handout_text", entity_id=text.id,
           after={"group_id": group.id, "kind": kind, "title": text.title,
                  "paragraphs": text.paragraphs})
    return text


def parse_paragraphs(text: HandoutText, form: Mapping) -> tuple[str, list[dict], int]:
    """The title and paragraphs from the edit form: ``title``; for each existing
    paragraph ``text-<id>`` and ``picture-<id>`` (emptied text removes it); new ones in
    ``new-1`` .. ``new-3`` with ``picture-new-N``. Returns (title, paragraphs, next id)."""
    title = clean_text(form.get("title"), label=_l("Title"), field="title", max_length=300)
    result, next_id = [], text.next_id
    for n, old in enumerate(text.paragraphs, start=1):
        value = clean_text(form.get(f"text-{old['id']}", ""), label=str(_where(n)),
                           field=f"text-{old['id']}", max_length=PARAGRAPH_LENGTH,
                           required=False, multiline=True)
        if value:
            result.append({"id": old["id"], "text": value,
                           "picture": _picture(form.get(f"picture-{old['id']}", ""))})
    for n in range(1, 4):
        value = clean_text(form.get(f"new-{n}", ""), label=_l("New paragraph"),
                           field=f"new-{n}", max_length=PARAGRAPH_LENGTH, required=False,
                           multiline=True)
        if value:
            result.append({"id": f"p{next_id}", "text": value,
                           "picture": _picture(form.get(f"picture-new-{n}", ""))})
            next_id += 1
    if not result:
        raise InputError(_l("A handout needs at least one paragraph."), field="paragraphs")
    if len(result) > MAX_PARAGRAPHS:
        raise InputError(_l("A handout has at most %(max)d paragraphs.", max=MAX_PARAGRAPHS),
                         field="paragraphs")
    return title, result, next_id


def _picture(value: str) -> str:
    if value and value not in PICTOGRAMS:
        raise InputError(_l("Choose a pictogram from the list."), field="picture")
    return value or ""


@transactional
def update_text(session: Session, *, text: HandoutText, title: str, paragraphs: list[dict],
                next_id: int, seen_version: int, person: Person) -> HandoutText:
    """Save the handout's new title and paragraphs unless someone saved since
    ``seen_version``. Unknown placeholders and concept keys are refused, naming the
    paragraph. Translations whose text no longer matches what was signed need review."""
    from .translations import refresh_translations

    _check_editor(person)
    check_text(session, [(0, title)] + [(n, p["text"])
                                         for n, p in enumerate(paragraphs, start=1)])
    before = {"title": text.title, "paragraphs": text.paragraphs, "version": text.version}
    save_version(session, text, seen_version=seen_version,
                 conflict=_l("This handout was changed by someone else meanwhile. Your text "
                             "is shown below; compare and save again."),
                 title=title, paragraphs=paragraphs, next_id=next_id, updated_by_id=person.id)
    record(session, person=person, action="update", entity="handout_text", entity_id=text.id,
           before=before, after={"title": title, "paragraphs": paragraphs,
                                 "version": text.version})
    refresh_translations(session, text, person=person)
    return text
