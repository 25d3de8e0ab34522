"""Matching a file's entries to the glossary: the first half of a planner's walk.

:class:`EntryResolver` loads what the glossary holds (domains, concept keys, the
working-language wordings), checks each entry's language tags, texts and concept
fields, and settles which concept an entry speaks of: an existing one, one the file
created earlier, or a new one (planned, with a new domain where needed). It also keeps
the plan's bookkeeping, so every decision counts towards the plan's digest.
"""

from __future__ import annotations

import hashlib
import unicodedata

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from .. import languages
from ..concepts import KEY_PATTERN, TermCreate, custom_languages, parse_term, slugify
from ..errors import InputError
from ..i18n import _l
from ..lookalikes import warnings as lookalike_warnings
from ..models import CONCEPT_STATUSES, SENSITIVITIES, Concept, Domain, Person, Term
from ..text import char_names, choice, clean_text, remove_hidden
from .entries import Change, ConceptEntry, ImportPlan, NewConcept
from .repeats import merge_repeats

SAMPLE = 200
FALLBACK_DOMAIN = ("imported", "Imported (to sort)")


def _fold(text: str) -> str:
    return text.casefold()


def _form(text: str, values: dict) -> dict:
    # A status or register the file does not state stays unstated (parse_term(unstated)).
    return {"text": text, "status": values.get("status") or "",
            "register": values.get("register") or "",
            "back_translation": values.get("back_translation", ""),
            "usage_note": values.get("usage_note", ""),
            "no_equivalent": "on" if values.get("no_equivalent") else "",
            "paraphrase": values.get("paraphrase", ""),
            "explanation": values.get("explanation", "")}


class EntryResolver:
    """The glossary as an import finds it, and the concept each entry of a file belongs
    to. With ``apply`` the domains it plans are also written (inside the caller's
    transaction)."""

    def __init__(self, session: Session, *, working: str, source: str,
                 person: Person | None = None, default_domain: str | None = None,
                 domain_names: dict | None = None, apply: bool = False,
                 merges: dict | None = None):
        self.session, self.working, self.person, self.apply = session, working, person, apply
        # Possible duplicates the person chose to merge: {folded wording: concept key}.
        self.merges = merges or {}
        self.plan = ImportPlan(source=source)
        self._hash = hashlib.sha256()
        self.default_domain = default_domain
        self.domain_names = domain_names or {}
        self.custom = custom_languages(session)
        self.domains = {d.key: d for d in session.exec(select(Domain))}
        self.domain_by_name = {d.name.casefold(): d.key for d in self.domains.values()}
        self.keys = dict(session.execute(sa_select(Concept.key, Concept.id)).all())
        self.working_index: dict[str, int] = {}
        for cid, text in session.execute(
                sa_select(Term.concept_id, Term.text).where(Term.language == working)):
            previous = self.working_index.get(_fold(text))
            self.working_index[_fold(text)] = cid if previous in (None, cid) else 0
        self.new: dict[str, NewConcept] = {}
        self.new_working: dict[str, str] = {}
        self._checked: dict[int, TermCreate] = {}
        self._key_of: dict[int, str] | None = None

    # -- bookkeeping -------------------------------------------------------------------

    def _note(self, kind: str, line: int, concept: str, language: str = "", text: str = "",
              detail: object = "", code: str = "") -> None:
        self.plan.counts[kind] += 1
        self._hash.update(f"{kind}\x1f{concept}\x1f{language}\x1f{text}\x1f{code}\x1e"
                          .encode())
        if len(self.plan.items[kind]) < SAMPLE:
            self.plan.items[kind].append(Change(kind, line, concept, language, text, detail))


    # -- reading an entry --------------------------------------------------------------

    def _tag(self, language: str) -> str:
        tag = languages.validate_tag(language, self.custom)
        # A file in en-US still speaks the organisation's working language "en".
        if "-" not in self.working and tag.split("-")[0] == self.working:
            return self.working
        return tag

    def _terms(self, entry: ConceptEntry, label: str) -> list[tuple]:
        """(entry term, tag, text to match) for each usable term; report the others."""
        usable = []
        for term in entry.terms:
            try:
                tag = self._tag(term.language)
                fallback = term.fields.get("paraphrase", "") if term.fields.get(
                    "no_equivalent") else ""
                # The text as parse_term will store it (stripped, NFC, without hidden
                # zero-width characters); parse_term checks the rest later, once, and
                # reports it.
                given = unicodedata.normalize("NFC", (term.text or fallback).strip())
                text, removed = remove_hidden(given)
                text = text.strip()
                if not text:
                    clean_text(given, label=_l("Rendering"))  # says why: empty, invisible
            except InputError as exc:
                self._note("skipped", term.line or entry.line, label, term.language,
                           term.text, exc.message)
                continue
            self._text_notes(term.line or entry.line, label, tag, text, removed)
            usable.append((term, tag, text))
        return merge_repeats(usable)

    def _text_notes(self, line: int, label: str, tag: str, text: str, removed: str) -> None:
        """Note a text the import cleans, and one with look-alike letters of another
        script, so that the preview lists them."""
        if removed:
            self._note("cleaned", line, label, tag, text, _l(
                "Invisible characters removed (%(chars)s).", chars=char_names(removed)))
        for warning in lookalike_warnings(text):
            self._note("lookalike", line, label, tag, text, warning)

    def _concept_fields(self, entry: ConceptEntry) -> dict:
        """The concept fields the entry carries, validated."""
        given = {}
        if entry.definition is not None:
            given["definition"] = clean_text(entry.definition, label=_l("Definition"),
                                             max_length=4000, required=False, multiline=True)
        if entry.facilitator_note is not None:
            given["facilitator_note"] = clean_text(
                entry.facilitator_note, label=_l("Facilitator note"), max_length=4000,
                required=False, multiline=True)
        if entry.sensitivity:
            given["sensitivity"] = choice(entry.sensitivity.strip().lower(), SENSITIVITIES,
                                          label=_l("Sensitivity"))
        if entry.status:
            given["status"] = choice(entry.status.strip().lower(), CONCEPT_STATUSES,
                                     label=_l("Status"))
        if entry.details:
            given["details"] = entry.details
        return given

    def _domain(self, value: str | None, line: int) -> str:
        """The key of the domain an entry names (key or name); a domain the glossary lacks
        is planned as new."""
        value = (value or "").strip() or self.default_domain or ""
        if not value or value.casefold() == FALLBACK_DOMAIN[1].casefold():
            key, name = FALLBACK_DOMAIN
        elif value in self.domains or value in self.domain_names:
            key, name = value, self.domain_names.get(value, (value,))[0]
        elif value.casefold() in self.domain_by_name:
            return self.domain_by_name[value.casefold()]
        else:
            name = clean_text(value, label=_l("Domain"), max_length=120)
            key = slugify(name)[:60] or FALLBACK_DOMAIN[0]
        if key not in self.domains:
            position = self.domain_names.get(key, (name, 100 + len(self.domains)))[1]
            domain = Domain(key=key, name=name, position=int(position))
            if self.apply:
                self.session.add(domain)
                self.session.flush()
            self.domains[key] = domain
            self.domain_by_name[name.casefold()] = key
            self._note("new_domain", line, key, text=name, code=name)
        return key

    def _new_key(self, ref_key: str | None, source_text: str) -> str:
        base = ref_key or slugify(source_text)[:110] or "concept"
        if not KEY_PATTERN.match(base):
            base = "c-" + base[:110]
        key, n = base, 2
        while key in self.keys or key in self.new:
            key, n = f"{base}-{n}", n + 1
        return key

    @staticmethod
    def _ref_key(ref: str) -> str | None:
        ref = (ref or "").strip().lower()
        if ref.startswith("_") and KEY_PATTERN.match(ref[1:]):
            ref = ref[1:]  # our own export writes keys that start with a digit as _key
        return ref if KEY_PATTERN.match(ref) else None

    def _resolve(self, entry: ConceptEntry):
        """("existing", id) or ("new", key) or None (skipped), with the usable terms.

        An entry with an id is the concept of that id: a new one when the glossary lacks
        it, even if its wording matches another concept (reported as a possible
        duplicate, kept separate). Only entries without an id are matched by their
        working-language wording."""
        label = entry.ref or "?"
        terms = self._terms(entry, label)
        if not terms and not entry.terms:
            self._note("skipped", entry.line, label, detail=_l("The entry has no terms."))
            return None, terms
        if not terms:
            return None, terms  # every term was reported as skipped
        ref_key = self._ref_key(entry.ref)
        sources = [text for _t, tag, text in terms if tag == self.working]
        if not ref_key and not sources:
            # No id and no working-language wording: the first term names the concept,
            # so that importing the file again finds it.
            ref_key = slugify(f"{terms[0][1]}-{terms[0][2]}")[:110] or None
        if ref_key and ref_key in self.keys:
            return ("existing", self.keys[ref_key]), terms
        if ref_key and ref_key in self.new:
            return ("new", ref_key), terms
        for text in sources:
            chosen = self.merges.get(_fold(text))
            if chosen in self.keys:
                self._note("merged", entry.line, chosen, self.working, text, _l(
                    "Merged into the existing concept %(key)s, as chosen.", key=chosen),
                    code=chosen)
                return ("existing", self.keys[chosen]), terms
        if not ref_key:
            for text in sources:
                cid = self.working_index.get(_fold(text))
                if cid:
                    return ("existing", cid), terms
                if _fold(text) in self.new_working:
                    return ("new", self.new_working[_fold(text)]), terms
        first = next((t for t, tag, _text in terms if tag == self.working), None)
        try:
            fields = self._concept_fields(entry)
            if first is not None:
                self._checked[id(first)] = parse_term(_form(sources[0], first.fields),
                                                      unstated=True)
            domain_key = self._domain(entry.domain, entry.line)
        except InputError as exc:
            self._note("skipped", entry.line, label, detail=exc.message)
            return None, terms
        key = self._new_key(ref_key, sources[0] if sources else terms[0][2])
        if (entry.ref or "").strip() and ref_key is None:
            # A key the file gave that cannot be one (a formula such as "=cmd", spaces):
            # say so, with the key the concept gets instead.
            self._note("renamed_key", entry.line, key, text=entry.ref.strip(), detail=_l(
                "The file's key “%(given)s” cannot be a key (only letters, digits, hyphens, "
                "dots and underscores): the concept gets the key %(key)s.",
                given=entry.ref.strip(), key=key))
        fields = {"definition": "", "sensitivity": None, "facilitator_note": "",
                  "status": "active", "details": None} | fields
        concept = NewConcept(key=key, line=entry.line, domain_key=domain_key, fields=fields,
                             sheet=entry.sheet)
        self.new[key] = concept
        for text in sources:
            self._duplicates(key, entry.line, text)
            self.new_working.setdefault(_fold(text), key)
        self._note("new_concept", entry.line, key, self.working if sources else terms[0][1],
                   sources[0] if sources else terms[0][2],
                   code=repr(sorted(fields.items())) + concept.domain_key)
        if not sources:
            self._note("waiting", entry.line, key, terms[0][1], terms[0][2], detail=_l(
                "No wording in the working language (%(tag)s) yet: the concept waits for "
                "one.", tag=self.working))
        return ("new", key), terms

    def _duplicates(self, key: str, line: int, text: str) -> None:
        """Report a new concept whose working-language wording another concept has."""
        other = self.working_index.get(_fold(text))
        name = None
        if other:
            if self._key_of is None:  # built once, on the first duplicate
                self._key_of = {cid: k for k, cid in self.keys.items()}
            name = self._key_of.get(other)
        elif other is None and _fold(text) in self.new_working:
            name = self.new_working[_fold(text)]
        if other == 0:  # several concepts have this wording already
            name = "…"
        if name:
            self._note("possible_duplicate", line, key, self.working, text, _l(
                "The same wording as %(other)s: kept as a separate concept.", other=name),
                code=name)
