"""Audit events told as sentences in the interface language ("Anna signed the Arabic
rendering"), for a concept's history and the administrators' audit log, instead of the
codes the log stores (``agreement_state``, ``resolve_dispute``, ``edit term #76``).

A sentence names who, what and the language; the wording an event concerns (a
rendering's text, a comment) is returned apart, as :attr:`Told.quote`, so that a page
shows it in its own language and direction. Every value is escaped where it is shown
(the messages are :class:`glossary.i18n.LazyText`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from .agreement import STATE_LABELS
from .i18n import LazyText, _l
from .models import Agreement, AuditEvent, Term
from .models.flyers import FlyerTranslation

# (action, entity) -> sentence. Placeholders: who, language, before, after, name.
SENTENCES: dict[tuple[str, str], LazyText] = {
    ("create", "concept"): _l("%(who)s created the concept."),
    ("update", "concept"): _l("%(who)s changed the concept."),
    ("import", "concept"): _l("%(who)s imported the concept."),
    ("propose", "term"): _l("%(who)s proposed a rendering in %(language)s:"),
    ("edit", "term"): _l("%(who)s changed the rendering in %(language)s to:"),
    ("edit_conflict", "term"): _l(
        "%(who)s tried to save a rendering in %(language)s that someone else had "
        "changed meanwhile; nothing was overwritten."),
    ("agreement_state", "agreement"): _l(
        "%(language)s: the agreement went from “%(before)s” to “%(after)s”."),
    ("sign", "agreement"): _l("%(who)s signed the rendering in %(language)s."),
    ("dispute", "agreement"): _l("%(who)s disputed the rendering in %(language)s:"),
    ("resolve_dispute", "agreement"): _l(
        "%(who)s resolved the dispute on the rendering in %(language)s:"),
    ("create", "person"): _l("%(who)s added the person %(name)s."),
    ("update", "person"): _l("%(who)s changed the person %(name)s."),
    ("change_password", "person"): _l("%(who)s changed their password."),
    ("sign_out_everywhere", "person"): _l("%(who)s signed %(name)s out everywhere."),
    ("create", "api_token"): _l("%(who)s created an API token."),
    ("revoke", "api_token"): _l("%(who)s revoked an API token."),
    ("import", "glossary"): _l("%(who)s imported a glossary file."),
    ("save", "language"): _l("%(who)s saved the language %(language)s."),
    ("create", "flyer"): _l("%(who)s created the flyer %(name)s."),
    ("update", "flyer"): _l("%(who)s changed the flyer."),
    ("translate", "flyer_translation"): _l("%(who)s translated a flyer into %(language)s."),
    ("flyer_translation_state", "flyer_translation"): _l(
        "%(language)s: the flyer translation went from “%(before)s” to “%(after)s”."),
    ("sign", "flyer_translation"): _l("%(who)s signed a flyer translation."),
    ("create", "group"): _l("%(who)s created the group %(name)s."),
    ("update", "group"): _l("%(who)s changed the group."),
    ("confirm", "group"): _l("%(who)s confirmed a checklist item for %(language)s."),
    ("withdraw", "group"): _l("%(who)s withdrew a checklist confirmation for %(language)s."),
    ("add_concepts", "group"): _l("%(who)s added concepts to the group."),
    ("remove_concept", "group"): _l("%(who)s removed a concept from the group."),
    ("freeze_pack", "session_pack"): _l("%(who)s froze a session pack for %(language)s."),
    ("create", "handout_text"): _l("%(who)s created a handout text of the group."),
    ("update", "handout_text"): _l("%(who)s changed a handout text of the group."),
    ("translate", "handout_translation"): _l(
        "%(who)s translated a handout text into %(language)s."),
    ("handout_translation_state", "handout_translation"): _l(
        "%(language)s: the handout translation went from “%(before)s” to “%(after)s”."),
    ("sign", "handout_translation"): _l("%(who)s signed a handout translation."),
    ("record", "term"): _l("%(who)s recorded the rendering in %(language)s."),
    ("record", "flyer_translation"): _l("%(who)s recorded a paragraph of a flyer translation."),
    ("record", "handout_translation"): _l(
        "%(who)s recorded a paragraph of a handout translation."),
    ("issue_kit_link", "kit_link"): _l("%(who)s made a session kit link for %(language)s."),
    ("revoke_kit_link", "kit_link"): _l("%(who)s revoked a session kit link for %(language)s."),
    ("save", "import_mapping"): _l("%(who)s saved the column mapping %(name)s."),
    ("delete", "import_mapping"): _l("%(who)s deleted the column mapping %(name)s."),
}
UNKNOWN = _l("%(who)s: %(action)s (%(entity)s).")


@dataclass(frozen=True)
class Told:
    """An event as a sentence, and the wording it concerns (with its language tag)."""

    sentence: LazyText
    quote: str | None = None
    quote_language: str | None = None


def _filled(message: LazyText, values: dict) -> str:
    return str(message) % values


def _state(value) -> str:
    return str(STATE_LABELS.get(value, value or "—"))


def tell(event: AuditEvent, *, who: str, language_of_event: str | None,
         language_name: Callable[[str], str], name: str = "") -> Told:
    """The sentence for ``event``: ``who`` did it, ``language_of_event`` is the target
    language of the agreement or term it concerns (when the event itself does not say),
    ``language_name`` turns a tag into its name in the interface language, ``name``
    names the person, group or flyer it concerns."""
    before, after = event.before or {}, event.after or {}
    tag = after.get("language") or before.get("language") or language_of_event or ""
    values = dict(who=who, language=language_name(tag) if tag else "—",
                  before=_state(before.get("state")), after=_state(after.get("state")),
                  name=name or after.get("name") or before.get("name") or "")
    message = SENTENCES.get((event.action, event.entity))
    if message is None:
        values.update(action=event.action, entity=event.entity)
    sentence = LazyText(_filled, message or UNKNOWN, values)
    if event.entity == "term" and event.action in ("propose", "edit"):
        return Told(sentence, after.get("text"), tag)
    if event.action == "dispute":
        return Told(sentence, after.get("comment"))
    if event.action == "resolve_dispute":
        return Told(sentence, after.get("resolution"))
    return Told(sentence)


def tell_all(session: Session, events: list[AuditEvent], *, people: dict,
             language_name: Callable[[str], str], nobody: str) -> list[tuple[AuditEvent, Told]]:
    """Each event with its sentence (:func:`tell`), reading the languages of the terms,
    agreements and flyer translations the events concern in three queries; ``people``
    maps ids to persons, ``nobody`` is who did what no person did (an import, the
    demo)."""
    term_ids = {e.entity_id for e in events if e.entity == "term"}
    agreement_ids = {e.entity_id for e in events if e.entity == "agreement"}
    languages = {("term", tid): tag for tid, tag in session.exec(
        select(Term.id, Term.language).where(col(Term.id).in_(term_ids or {0})))}
    languages.update({("agreement", aid): tag for aid, tag in session.exec(
        select(Agreement.id, Agreement.target_language)
        .where(col(Agreement.id).in_(agreement_ids or {0})))})
    translation_ids = {e.entity_id for e in events if e.entity == "flyer_translation"}
    languages.update({("flyer_translation", fid): tag for fid, tag in session.exec(
        select(FlyerTranslation.id, FlyerTranslation.target_language)
        .where(col(FlyerTranslation.id).in_(translation_ids or {0})))})
    told = []
    for event in events:
        actor = people.get(event.person_id)
        subject = people.get(event.entity_id) if event.entity == "person" else None
        told.append((event, tell(event, who=actor.name if actor else nobody,
                                 language_of_event=languages.get((event.entity,
                                                                  event.entity_id)),
                                 language_name=language_name,
                                 name=subject.name if subject else "")))
    return told
