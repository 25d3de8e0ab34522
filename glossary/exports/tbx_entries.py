"""One concept as a TBX entry, in each dialect the export offers.

- ``basic`` (the default): TBX v3, dialect TBX-Basic, DCA style. Only the data categories
  TBX-Basic permits, with their picklist values; everything else travels as a labelled
  ``note`` (:data:`..importers.tbx_details.LABELS`) that our importer reads back into its field.
- ``2008``: the same content as TBX 2008 (``martif``, TBX-Basic v2, no namespace), for
  tools that read only that generation (translate-toolkit, hence Weblate; many CAT tools).
- ``core``: TBX v3 core structure with this project's own data categories (register,
  directionality, transfer comment, back-translation, sensitivity, concept status,
  approvals as transactions), each declared in the header (:data:`OWN_CATEGORIES`). The
  root's ``type`` names the private dialect ``TBX-AgreedTerms``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..importers.tbx_details import LABELS, label_of
from ..importers.tbx_items import XML_LANG

NS = "urn:iso:std:iso:30042:ed-2"
ADMIN_STATUS = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
                "deprecated": "deprecatedTerm-admn-sts"}
# TBX-Basic's picklists for the term notes it permits; other values travel as notes.
PICKLISTS = {
    "partOfSpeech": ("adjective", "noun", "other", "verb", "adverb"),
    "grammaticalGender": ("masculine", "feminine", "neuter", "other"),
    "termType": ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"),
}
# The data categories of the ``core`` dialect that no public TBX module defines; declared
# in the file's header so that a reader knows what they mean.
OWN_CATEGORIES = {
    "register": "termNote: the register of a rendering (clinical, neutral, colloquial, "
                "euphemism, vulgar)",
    "directionality": "termNote: 'incommensurate' when there is no direct equivalent",
    "transferComment": "termNote: the paraphrase used where there is no direct equivalent",
    "backTranslation": "termNote: the rendering translated back into the working language",
    "proposedStatus": "termNote: the status proposed for a rendering not yet agreed",
    "sensitivity": "descrip (concept): how sensitive the concept is (low, medium, high)",
    "conceptStatus": "admin (concept): active or retired",
    "approval": "transactionType: a signature of an agreed pair (facilitator, mediator)",
}


@dataclass(frozen=True)
class Dialect:
    """Element names and rules of one export dialect."""

    name: str
    namespace: str | None
    root: str
    root_type: str
    header: str
    entry: str
    language: str
    term: str
    own_categories: bool


DIALECTS = {
    "basic": Dialect("basic", NS, "tbx", "TBX-Basic", "tbxHeader", "conceptEntry", "langSec",
                     "termSec", False),
    "core": Dialect("core", NS, "tbx", "TBX-AgreedTerms", "tbxHeader", "conceptEntry",
                    "langSec", "termSec", True),
    "2008": Dialect("2008", None, "martif", "TBX-Basic", "martifHeader", "termEntry",
                    "langSet", "tig", False),
}


class EntryBuilder:
    """Builds entries of one dialect: ``builder.concept(view, working)``."""

    def __init__(self, dialect: Dialect):
        self.dialect = dialect
        self.nsmap = {None: dialect.namespace} if dialect.namespace else None

    def _name(self, name: str) -> str:
        return f"{{{self.dialect.namespace}}}{name}" if self.dialect.namespace else name

    def sub(self, parent, name: str, text: str | None = None, **attrib) -> etree._Element:
        """A child element ``name`` of ``parent`` in the dialect's namespace."""
        element = etree.SubElement(parent, self._name(name), attrib)
        if text is not None:
            element.text = text
        return element

    def note(self, parent, label_key: str, value) -> None:
        """One labelled ``note`` per non-empty line of ``value``."""
        for line in str(value or "").splitlines():
            if line.strip():
                self.sub(parent, "note", f"{LABELS[label_key]}: {line}" if label_key else line)

    def header(self, title: str, date: str) -> etree._Element:
        """The file's header: what the file is, and the own data categories (core)."""
        header = etree.Element(self._name(self.dialect.header), nsmap=self.nsmap)
        file_desc = self.sub(header, "fileDesc")
        self.sub(self.sub(file_desc, "sourceDesc"), "p", f"{title}, exported {date}. "
                 "Renderings marked preferredTerm are agreed by a facilitator and a mediator.")
        if self.dialect.name == "2008":
            self.sub(self.sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs",
                     type="XCSURI")
        elif self.dialect.own_categories:
            encoding = self.sub(header, "encodingDesc")
            for name, meaning in OWN_CATEGORIES.items():
                self.sub(encoding, "p", f"{name}: {meaning}", type="dataCategory")
        return header

    def concept(self, view, working: str) -> etree._Element:
        """The entry of one concept (a ``ConceptView`` from :mod:`.tbx`)."""
        concept, own = view.concept, self.dialect.own_categories
        key = concept.key if concept.key[:1].isalpha() else "_" + concept.key
        entry = etree.Element(self._name(self.dialect.entry), {"id": key}, nsmap=self.nsmap)
        self.sub(entry, "descrip", view.domain.name, type="subjectField")
        details = getattr(concept, "details", None) or {}
        if concept.sensitivity:
            if own:
                self.sub(entry, "descrip", concept.sensitivity, type="sensitivity")
            else:
                self.note(entry, "sensitivity", concept.sensitivity)
        if concept.status != "active":
            if own:
                self.sub(entry, "admin", concept.status, type="conceptStatus")
            else:
                self.note(entry, "concept_status", concept.status)
        if details.get("source"):
            self.sub(entry, "admin", details["source"], type="source")
        self.note(entry, "facilitator_note", concept.facilitator_note)
        languages = [working, *sorted(t for t in view.terms if t != working)]
        for reference in details.get("xrefs", []):
            if not reference.get("language"):
                self._reference(entry, reference)
        for tag in languages:
            terms = view.terms.get(tag)
            if terms:
                self._language(entry, view, tag, terms, working, details)
        return entry

    def _reference(self, parent, reference: dict) -> None:
        kind, target, text = (reference.get("type"), reference.get("target") or "",
                              reference.get("text") or "")
        if kind in ("xGraphic", "externalCrossReference") and target.startswith(
                ("http://", "https://")):
            self.sub(parent, "xref", text or None, type=kind, target=target)
        elif kind in ("xGraphic", "externalCrossReference") and target:
            # TBX wants a URL (or an id in the file) as a target: a file name is a note.
            self.sub(parent, "note", f"{label_of(kind)}: {target}")
        elif kind == "crossReference" and text:
            # A target names an entry of the source file, which this file may not hold:
            # the reference keeps its wording only (an unresolved IDREF is invalid).
            self.sub(parent, "ref", text, type="crossReference")

    def _language(self, entry, view, tag: str, terms, working: str, details: dict) -> None:
        concept = view.concept
        section = self.sub(entry, self.dialect.language, **{XML_LANG: tag})
        # The working language's definition is the concept's; another language's is the
        # participants' explanation of its renderings (one line, one element).
        explained = concept.definition if tag == working else "\n".join(
            term.explanation for term in terms if getattr(term, "explanation", ""))
        for line in explained.splitlines():
            if line.strip():
                self.sub(section, "descrip", line, type="definition")
        for reference in details.get("xrefs", []):
            if reference.get("language") == tag and reference.get("type") == "xGraphic":
                self._reference(section, reference)
        for signature, person in view.signatures.get(tag, []):
            date, who = signature.created_at.date().isoformat(), f"{person.name} ({signature.role})"
            if self.dialect.own_categories:
                group = self.sub(section, "transacGrp")
                self.sub(group, "transac", "approval", type="transactionType")
                self.sub(group, "date", date)
                self.sub(group, "transacNote", who, type="responsibility")
            else:
                self.note(section, "approval", f"{date}, {who}")
        agreed = tag == working or view.agreed(tag)
        for term in terms:
            self._term(section, term, agreed)

    def _term(self, section, term, agreed: bool) -> None:
        element = self.sub(section, self.dialect.term)
        self.sub(element, "term", term.text)
        own = self.dialect.own_categories
        details = getattr(term, "details", None) or {}
        status = term.status
        if status is not None and not agreed and status != "deprecated":
            status = "admitted"  # never announced as preferred before it is agreed
        if status:
            self.sub(element, "termNote", ADMIN_STATUS[status], type="administrativeStatus")
        for category, values in PICKLISTS.items():
            value = details.get(category)
            if value and (own or value in values):
                self.sub(element, "termNote", value, type=category)
        if details.get("context"):
            self.sub(element, "descrip", details["context"], type="context")
        if details.get("source"):
            self.sub(element, "admin", details["source"], type="source")
        if own:
            if term.usage_register:
                self.sub(element, "termNote", term.usage_register, type="register")
            if term.no_equivalent:
                self.sub(element, "termNote", "incommensurate", type="directionality")
                if term.paraphrase:
                    self.sub(element, "termNote", term.paraphrase, type="transferComment")
            if term.back_translation:
                self.sub(element, "termNote", term.back_translation, type="backTranslation")
            if status != term.status:
                self.sub(element, "termNote", term.status, type="proposedStatus")
        else:
            for category, values in PICKLISTS.items():
                value = details.get(category)
                if value and value not in values:
                    self.sub(element, "note", f"{label_of(category)}: {value}")
            if status != term.status:
                self.note(element, "proposed_status", term.status)
            if term.usage_register:
                self.note(element, "register", term.usage_register)
            if term.no_equivalent:
                self.note(element, "no_equivalent", "yes")
                self.note(element, "paraphrase", term.paraphrase)
            self.note(element, "back_translation", term.back_translation)
        self.note(element, "", term.usage_note)


def serialise(element, namespace: str | None) -> bytes:
    """One element as UTF-8 text without the namespace declaration the root makes."""
    text = etree.tostring(element, encoding="unicode", pretty_print=True)
    if namespace:
        text = text.replace(f' xmlns="{namespace}"', "", 1)
    return text.encode()
