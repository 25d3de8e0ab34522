"""TBX export, streamed: TBX v3 (ISO 30042:2019) TBX-Basic in DCA style by default, TBX
2008 (``martif``) or the core structure with our own data categories on request
(:mod:`.tbx_entries` builds the entries of each dialect).

What a CAT tool or a phone glossary app sees:

- one entry per concept (``id`` = the concept key; keys starting with a digit get a
  leading ``_``), its domain as ``subjectField``, the definition in the working
  language's section; in each other language's section, the participants' explanations
  of its renderings as that language's ``definition`` (one element per line);
- every rendering with ``administrativeStatus`` when it has one: in an **agreed** pair a
  preferred rendering is ``preferredTerm-admn-sts`` and an admitted one
  ``admittedTerm-admn-sts``; "avoid" is always ``deprecatedTerm-admn-sts``; a rendering
  not (yet) agreed is never announced as preferred: it is ``admittedTerm-admn-sts`` with
  its proposed status beside it;
- part of speech, grammatical gender, term type, context, source and cross-references as
  their TBX elements;
- what TBX-Basic has no place for (register, no direct equivalent and its paraphrase,
  back-translation, sensitivity, concept status, facilitator note, signatures) as
  labelled ``note`` elements that our importer reads back
  (:data:`..importers.tbx_details.LABELS`); the ``core`` dialect writes them as declared data
  categories instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from sqlmodel import Session, select

from .. import agreement as rules
from ..errors import InputError
from ..i18n import _l
from ..models import LIST_ORDER, Agreement, Concept, Domain, Person, Signature, Term, utcnow
from .tbx_entries import DIALECTS, NS, EntryBuilder, serialise

__all__ = ["DIALECTS", "NS", "ConceptView", "iter_glossary", "write_tbx"]
CHUNK = 500


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


def write_tbx(session: Session, target, *, working: str, languages: list[str] | None = None,
              agreed_only: bool = False, title: str = "Agreed terms",
              dialect: str = "basic") -> int:
    """Write the glossary as TBX to ``target`` (a path or a binary file), one concept at
    a time; return how many concepts were written. ``languages`` limits the target
    languages (the working language is always included); ``agreed_only`` keeps only
    agreed pairs; ``dialect`` is one of :data:`DIALECTS` (``basic``, ``core``, ``2008``)."""
    if dialect not in DIALECTS:
        raise InputError(_l("Unknown TBX dialect %(name)s: use basic, core or 2008.",
                            name=dialect))
    builder = EntryBuilder(DIALECTS[dialect])
    namespace = builder.dialect.namespace
    handle = open(target, "wb") if isinstance(target, str | Path) else target
    try:
        header = builder.header(title, utcnow().date().isoformat())
        xmlns = f' xmlns="{namespace}"' if namespace else ""
        style = ' style="dca"' if namespace else ""
        handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                     + f'<{builder.dialect.root}{xmlns} type="{builder.dialect.root_type}"'
                       f'{style} xml:lang={quoteattr(working)}>\n'.encode())
        handle.write(serialise(header, namespace) + b"<text>\n<body>\n")
        count = 0
        for view in iter_glossary(session, working=working, languages=languages,
                                  agreed_only=agreed_only):
            handle.write(serialise(builder.concept(view, working), namespace))
            count += 1
        handle.write(f"</body>\n</text>\n</{builder.dialect.root}>\n".encode())
    finally:
        if handle is not target:
            handle.close()
    return count
