"""TBX export: TBX v3 (ISO 30042:2019), dialect TBX-Basic, DCA style, streamed.

What a CAT tool or a phone glossary app sees:

- one ``conceptEntry`` per concept (``id`` = the concept key; keys starting with a digit
  get a leading ``_``), its domain as ``subjectField``, the definition in the working
  language's ``langSec``;
- every rendering as a ``termSec`` with ``administrativeStatus``: in an **agreed** pair a
  preferred rendering is ``preferredTerm-admn-sts`` and an admitted one
  ``admittedTerm-admn-sts``; "avoid" is always ``deprecatedTerm-admn-sts``; a rendering
  not (yet) agreed is never announced as preferred: it is ``admittedTerm-admn-sts`` with a
  note ``Proposed status: preferred``;
- the register as ``register`` (clinical = ``technicalRegister``; euphemism, which TBX
  lacks, as ``neutralRegister`` plus a note), "no direct equivalent" as ``directionality``
  ``incommensurate`` with the paraphrase as ``transferComment``;
- each signature of an agreed pair as a ``transacGrp`` (approval, date, who and in which
  role) in that language's section;
- fields TBX has no category for (back-translation, sensitivity, facilitator note) as
  labelled ``note`` elements that our importer reads back (:data:`..importers.tbx.LABELS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree
from sqlmodel import Session, select

from .. import agreement as rules
from ..importers.tbx import LABELS, XML_LANG
from ..models import LIST_ORDER, Agreement, Concept, Domain, Person, Signature, Term, utcnow

NS = "urn:iso:std:iso:30042:ed-2"
CHUNK = 500
ADMIN_STATUS = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
                "deprecated": "deprecatedTerm-admn-sts"}
TBX_REGISTER = {"clinical": "technicalRegister", "neutral": "neutralRegister",
                "colloquial": "colloquialRegister", "vulgar": "vulgarRegister",
                "euphemism": "neutralRegister"}


# One concept with what an export needs of it.
@dataclass
class ConceptView:
    concept: Concept
    domain: Domain
    terms: dict = field(default_factory=dict)
    agreements: dict = field(default_factory=dict)
    signatures: dict = field(default_factory=dict)

    def agreed(self, language: str) -> bool:
        """True when the pair working -> ``language`` is agreed."""
        agreement = self.agreements.get(language)
        return agreement is not None and agreement.state == rules.AGREED


def iter_glossary(session: Session, *, working: str, languages: list[str] | None = None,
                  agreed_only: bool = False) -> Iterator[ConceptView]:
    """Every concept (by domain, then key) with its renderings in the working language and
    in ``languages`` (all when None), agreements and current signatures. With
    ``agreed_only``, only agreed pairs, and only concepts that have one."""
    domains = {d.id: d for d in session.exec(select(Domain))}
    ids = list(session.exec(select(Concept.id).join(Domain, Domain.id == Concept.domain_id)
                            .order_by(*LIST_ORDER)))
    wanted = None if languages is None else {working, *languages}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        concepts = {c.id: c for c in session.exec(select(Concept).where(Concept.id.in_(chunk)))}
        views = {cid: ConceptView(concepts[cid], domains[concepts[cid].domain_id])
                 for cid in chunk}
        query = select(Term).where(Term.concept_id.in_(chunk)).order_by(Term.id)
        if wanted is not None:
            query = query.where(Term.language.in_(wanted))
        for term in session.exec(query):
            views[term.concept_id].terms.setdefault(term.language, []).append(term)
        agreements = session.exec(select(Agreement).where(
            Agreement.concept_id.in_(chunk), Agreement.source_language == working)).all()
        for agreement in agreements:
            views[agreement.concept_id].agreements[agreement.target_language] = agreement
        by_agreement = {a.id: a for a in agreements if a.state == rules.AGREED}
        if by_agreement:
            rows = session.exec(select(Signature, Person).join(
                Person, Person.id == Signature.person_id).where(
                Signature.agreement_id.in_(by_agreement)).order_by(Signature.id)).all()
            for signature, person in rows:
                agreement = by_agreement[signature.agreement_id]
                view = views[agreement.concept_id]
                current = rules.fingerprint(view.terms.get(working, []),
                                            view.terms.get(agreement.target_language, []))
                if signature.fingerprint == current:
                    view.signatures.setdefault(agreement.target_language, []).append(
                        (signature, person))
        for cid in chunk:
            view = views[cid]
            if agreed_only:
                view.terms = {tag: terms for tag, terms in view.terms.items()
                              if tag == working or view.agreed(tag)}
                if len(view.terms) < 2:
                    continue
            yield view


def _sub(parent, name: str, text: str | None = None, **attrib) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}", attrib)
    if text is not None:
        element.text = text
    return element


def _note(parent, label_key: str, value: str) -> None:
    for line in (value or "").splitlines():
        if line.strip():
            _sub(parent, "note", f"{LABELS[label_key]}: {line}" if label_key else line)


def concept_entry(view: ConceptView, working: str) -> etree._Element:
    """The ``conceptEntry`` element of one concept."""
    concept = view.concept
    key = concept.key if concept.key[:1].isalpha() else "_" + concept.key
    entry = etree.Element(f"{{{NS}}}conceptEntry", {"id": key}, nsmap={None: NS})
    _sub(entry, "descrip", view.domain.name, type="subjectField")
    _sub(entry, "note", f"{LABELS['sensitivity']}: {concept.sensitivity}")
    if concept.status != "active":
        _sub(entry, "note", f"{LABELS['concept_status']}: {concept.status}")
    _note(entry, "facilitator_note", concept.facilitator_note)
    for tag in [working, *sorted(t for t in view.terms if t != working)]:
        terms = view.terms.get(tag)
        if not terms:
            continue
        section = _sub(entry, "langSec", **{XML_LANG: tag})
        if tag == working:
            for line in concept.definition.splitlines():
                if line.strip():
                    _sub(section, "descrip", line, type="definition")
        for signature, person in view.signatures.get(tag, []):
            group = _sub(section, "transacGrp")
            _sub(group, "transac", "approval", type="transactionType")
            _sub(group, "date", signature.created_at.date().isoformat())
            _sub(group, "transacNote", f"{person.name} ({signature.role})",
                 type="responsibility")
        agreed = tag == working or view.agreed(tag)
        for term in terms:
            _term_section(section, term, agreed)
    return entry


def _term_section(section, term: Term, agreed: bool) -> None:
    element = _sub(section, "termSec")
    _sub(element, "term", term.text)
    status = term.status if agreed or term.status == "deprecated" else "admitted"
    _sub(element, "termNote", ADMIN_STATUS[status], type="administrativeStatus")
    _sub(element, "termNote", TBX_REGISTER[term.usage_register], type="register")
    if term.no_equivalent:
        _sub(element, "termNote", "incommensurate", type="directionality")
        _sub(element, "termNote", term.paraphrase, type="transferComment")
    if status != term.status:
        _sub(element, "note", f"{LABELS['proposed_status']}: {term.status}")
    if term.usage_register == "euphemism":
        _sub(element, "note", f"{LABELS['register']}: euphemism")
    if term.back_translation:
        _sub(element, "note", f"{LABELS['back_translation']}: {term.back_translation}")
    _note(element, "", term.usage_note)


def write_tbx(session: Session, target, *, working: str, languages: list[str] | None = None,
              agreed_only: bool = False, title: str = "Agreed terms") -> int:
    """Write the glossary as TBX to ``target`` (a path or a binary file), one concept at
    a time; return how many concepts were written. ``languages`` limits the target
    languages (the working language is always included); ``agreed_only`` keeps only
    agreed pairs."""
    handle = open(target, "wb") if isinstance(target, str | Path) else target
    try:
        header = etree.Element(f"{{{NS}}}tbxHeader", nsmap={None: NS})
        source = _sub(_sub(header, "fileDesc"), "sourceDesc")
        _sub(source, "p", f"{title}, exported {utcnow().date().isoformat()}. Renderings "
             "marked preferredTerm are agreed by a facilitator and a mediator.")
        handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                     + f'<tbx xmlns="{NS}" type="TBX-Basic" style="dca" xml:lang='
                       f'{quoteattr(working)}>\n'.encode())
        handle.write(_bytes(header) + b"<text>\n<body>\n")
        count = 0
        for view in iter_glossary(session, working=working, languages=languages,
                                  agreed_only=agreed_only):
            handle.write(_bytes(concept_entry(view, working)))
            count += 1
        handle.write(b"</body>\n</text>\n</tbx>\n")
    finally:
        if handle is not target:
            handle.close()
    return count


def _bytes(element) -> bytes:
    # Each element is serialised on its own; drop the namespace declaration that the
    # root already makes.
    text = etree.tostring(element, encoding="unicode", pretty_print=True)
    return text.replace(f' xmlns="{NS}"', "", 1).encode()
