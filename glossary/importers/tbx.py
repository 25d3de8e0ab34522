"""Reading TBX files (ISO 30042) of both generations, streaming, and safely.

- TBX 2008 / TBX-Basic: root ``martif`` (with or without a namespace, with or without a
  DOCTYPE), ``termEntry / langSet / tig|ntig / term``;
- TBX v3 (2019): root ``tbx`` in ``urn:iso:std:iso:30042:ed-2``, ``conceptEntry /
  langSec / termSec / term``, in DCA style (``<termNote type="administrativeStatus">``)
  or DCT style (module elements such as ``<min:administrativeStatus>``), any dialect
  (TBX-Basic, TBX-Core, TBX-Min);
- the first TBX-Min (root ``TBX dialect="TBX-Min"``, ``entry / langGroup / termGroup``).

Safety: the file is parsed with lxml's ``iterparse`` (memory stays flat however long the
file is), no DTD is ever loaded or fetched, nothing is fetched from a network, entities
are never expanded, and a document that declares entities (internal or external, the
"billion laughs" bomb and XXE) is refused before its body is read. A DOCTYPE naming a DTD
that does not exist is fine: it is not opened. Malformed XML is reported with its line.

Mapping into :class:`~glossary.importers.entries.ConceptEntry`: ``subjectField`` names the
domain; a ``definition`` at concept level or in the working language's section is the
concept's definition, one in another language's section the participants' explanation of
that language's first rendering not marked "avoid"; ``administrativeStatus`` (and
``normativeAuthorization``, TBX-Min ``termStatus`` / ``usageStatus``) gives the status;
``register`` the register; ``directionality`` ``incommensurate`` with ``transferComment``
marks "no direct equivalent" and its paraphrase; ``transacGrp`` goes into the history.
Every other ``partOfSpeech``, ``grammaticalGender``, ``termType``, ``context`` and
``source`` are kept as structure (the term's ``details``), cross-references (``xref`` with
their URLs, ``ref``) in the concept's ``details``. Every other category is kept as a note
line ``"Geographical usage: UK"``: on the term (usage note), or on the concept
(facilitator note). Notes written by our own export (:data:`LABELS`) and the categories of
its ``core`` dialect are read back into their fields, so an export re-imports without
loss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from ..errors import InputError
from ..i18n import _l
from .entries import ConceptEntry, TermEntry, map_register, map_status
from .tbx_details import (
    REFERENCES,
    TERM_DETAILS,
    add_reference,
    detail_note,
    label_of,
    merge_detail,
    reference_note,
)

__all__ = ["LABELS", "REFERENCES", "TERM_DETAILS", "XML_LANG", "TbxError", "TbxReader",
           "label_of", "localname", "read_tbx", "text_of"]

TBX_V3_NAMESPACES = ("urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed:3.0")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONCEPT_TAGS = ("termEntry", "conceptEntry", "entry")
LANGUAGE_TAGS = frozenset(("langSet", "langSec", "langGroup"))
TERM_TAGS = frozenset(("tig", "ntig", "termSec", "termGroup"))
GROUP_TAGS = frozenset(("descripGrp", "adminGrp", "termNoteGrp", "termGrp", "termCompList"))
META_TAGS = frozenset(("descrip", "termNote", "admin", "transac", "transacNote", "ref", "xref",
                       "descripNote", "adminNote", "termCompListSpec"))
STATUS_CATEGORIES = frozenset(("administrativeStatus", "normativeAuthorization", "termStatus",
                               "usageStatus", "status"))

# Labels of the notes our export writes for fields TBX has no category for. They are part
# of the file format, so they are not translated.
LABELS = {
    "sensitivity": "Sensitivity",
    "facilitator_note": "Facilitator note",
    "concept_status": "Concept status",
    "back_translation": "Back-translation",
    "register": "Register",
    "proposed_status": "Proposed status",
    "no_equivalent": "No direct equivalent",
    "paraphrase": "Paraphrase",
    "approval": "Approval",
}
PROLOG_SCAN = 1024 * 1024
_LINE_BREAKS = re.compile(r"[ \t]*\n[ \t\n]*")


class TbxError(InputError):
    """The file cannot be imported as TBX; nothing was changed."""

    def __init__(self, message, *, line: int | None = None):
        super().__init__(message)
        self.line = line


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


def _labelled(value: str) -> tuple[str, str] | None:
    """``("back_translation", "...")`` for a note written by our export, else None."""
    for name, label in LABELS.items():
        if value.startswith(label + ": "):
            return name, value[len(label) + 2:]
    return None


def _reference(details: dict, category: str, value: str, element, language: str = "") -> None:
    """A cross-reference (``xref`` with its URL, or ``ref`` naming another entry)."""
    target = element.get("target") or ""
    text = text_of(element)
    if not target and not text:
        return
    reference = {"type": category, "target": target, "text": text}
    if language:
        reference["language"] = language
    add_reference(details, reference)


def check_prolog(head: bytes) -> None:
    """Refuse a document whose DOCTYPE declares entities, before lxml reads it."""
    text = head.decode("latin-1")
    doctype = text.find("<!DOCTYPE")
    if doctype < 0:
        return
    root = re.search(r"<[A-Za-z_]", text[doctype:])
    subset = text[doctype: doctype + root.start()] if root else text[doctype:]
    if "<!ENTITY" in subset:
        raise TbxError(_l("The file declares XML entities, which can be used to attack the "
                          "server. It was refused; export it again without a DTD subset."))
    if root is None and len(head) >= PROLOG_SCAN:
        raise TbxError(_l("The file's DOCTYPE is too large to be a TBX file; it was refused."))


class TbxReader:
    """Iterate the concept entries of a TBX file; :attr:`dialect` says what the file is
    once reading has started."""

    def __init__(self, stream: BinaryIO, *, working: str = "en"):
        self.stream = stream
        self.working = working
        self.dialect = ""

    def __iter__(self) -> Iterator[ConceptEntry]:
        head = self.stream.read(PROLOG_SCAN)
        self.stream.seek(0)
        check_prolog(head)
        context = etree.iterparse(
            self.stream, events=("start", "end"), tag=tuple(f"{{*}}{t}" for t in CONCEPT_TAGS),
            resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
            huge_tree=False, remove_comments=True, remove_pis=True, recover=False)
        checked = False
        try:
            for event, element in context:
                if not checked:
                    self._check_document(element.getroottree())
                    checked = True
                if event == "start":
                    continue
                yield self._concept(element)
                parent = element.getparent()
                element.clear(keep_tail=False)
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
            if not checked:
                root = context.root
                if root is None:
                    raise TbxError(_l("The file is empty."))
                self._check_document(root.getroottree())
        except etree.XMLSyntaxError as exc:
            raise TbxError(_l("The file is not well-formed XML: line %(line)d: %(reason)s",
                              line=exc.lineno or 0, reason=exc.msg), line=exc.lineno) from None

    def _check_document(self, tree) -> None:
        dtd = tree.docinfo.internalDTD
        if dtd is not None and list(dtd.iterentities()):
            raise TbxError(_l("The file declares XML entities, which can be used to attack "
                              "the server. It was refused."))
        root = tree.getroot()
        name = localname(root)
        namespace = etree.QName(root).namespace or ""
        if name == "martif":
            self.dialect = f"TBX 2008 ({root.get('type') or 'martif'})"
        elif name == "tbx":
            style = (root.get("style") or "dca").upper()
            self.dialect = f"TBX v3 {root.get('type') or ''} {style}".replace("  ", " ")
            if namespace and namespace not in TBX_V3_NAMESPACES:
                self.dialect += f" ({namespace})"
        elif name == "TBX":
            self.dialect = root.get("dialect") or "TBX-Min"
        else:
            raise TbxError(_l("This is not a TBX file: its root element is <%(name)s>.",
                              name=name))

    # -- one concept -------------------------------------------------------------------

    def _items(self, element) -> Iterator[tuple[str, object, object]]:
        """(category, value, element) of the data categories directly in ``element``,
        groups flattened; structural children (languages, terms) are yielded as is."""
        for child in element:
            name = localname(child)
            if not name:
                continue
            if name in LANGUAGE_TAGS or name in TERM_TAGS or name == "term":
                yield name, child, child
            elif name in GROUP_TAGS:
                yield from self._items(child)
            elif name == "transacGrp":
                yield "transacGrp", self._transaction(child), child
            elif name == "noteGrp":
                parts = {localname(c): text_of(c) for c in child}
                key, value = parts.get("noteKey", ""), parts.get("noteValue", "")
                yield "note", f"{key}: {value}" if key else value, child
            elif name in META_TAGS:
                yield child.get("type") or name, text_of(child) or child.get("target", ""), child
            else:
                yield name, text_of(child), child

    def _transaction(self, group) -> dict:
        record = {}
        for category, value, _el in self._items(group):
            if category in ("transactionType", "transac"):
                record["type"] = value
            elif category == "date":
                record["date"] = value
            elif category == "responsibility":
                record["by"] = value
            elif value:
                record[category] = value
        return record

    def _concept(self, element) -> ConceptEntry:
        entry = ConceptEntry(line=element.sourceline or 0, ref=element.get("id") or "")
        definitions, notes = [], []
        for category, value, child in self._items(element):
            if category in LANGUAGE_TAGS:
                self._language(child, entry, definitions)
            elif category in TERM_TAGS:  # a term directly in the entry: the working language
                entry.terms.append(self._term(child, self.working, []))
            elif category == "subjectField":
                entry.domain = entry.domain or value
            elif category == "sensitivity":  # our core dialect's own category
                entry.sensitivity = value
            elif category == "conceptStatus":
                entry.status = value
            elif category == "source" and value:
                entry.details["source"] = value
            elif category in REFERENCES:
                _reference(entry.details, category, value, child)
            elif category == "definition":
                definitions.append(value)
            elif category == "transacGrp":
                entry.history.append(value)
            elif category == "note":
                labelled = _labelled(value)
                if labelled and labelled[0] == "sensitivity":
                    entry.sensitivity = labelled[1]
                elif labelled and labelled[0] == "concept_status":
                    entry.status = labelled[1]
                elif labelled and labelled[0] == "facilitator_note":
                    notes.append(labelled[1])
                elif reference_note(value):
                    add_reference(entry.details, reference_note(value))
                elif value:
                    notes.append(value)
            elif value:
                notes.append(f"{label_of(category)}: {value}")
        if definitions:
            entry.definition = "\n".join(definitions)
        if notes:
            entry.facilitator_note = "\n".join(notes)
        return entry

    def _language(self, element, entry: ConceptEntry, definitions: list) -> None:
        tag = element.get(XML_LANG) or element.get("lang") or ""
        working = tag.split("-")[0].lower() == self.working.split("-")[0].lower()
        notes, history, terms, explained = [], [], [], []
        for category, value, child in self._items(element):
            if category in TERM_TAGS:
                terms.append(self._term(child, tag, history))
            elif category == "definition":
                if working:
                    definitions.append(value)
                elif value:
                    explained.append(value)
            elif category == "transacGrp":
                history.append(value)
            elif category in REFERENCES:
                _reference(entry.details, category, value, child, language=tag)
            elif category == "note" and reference_note(value):
                add_reference(entry.details, reference_note(value) | {"language": tag})
            elif category == "note" and (_labelled(value) or ("",))[0] == "approval":
                history.append({"type": "approval", "note": _labelled(value)[1]})
            elif category == "note" and value:
                notes.append(value)
            elif value:
                notes.append(f"{label_of(category)}: {value}")
        if terms and explained:
            # A definition in another language than the working one explains its
            # renderings: it goes to the first one that is not "avoid".
            usable = [t for t in terms if t.fields.get("status") != "deprecated"]
            (usable or terms)[0].fields["explanation"] = "\n".join(explained)
        elif explained:
            notes += [f"{label_of('definition')}: {value}" for value in explained]
        if terms and notes:
            first = terms[0]
            lines = [first.fields["usage_note"]] if first.fields.get("usage_note") else []
            first.fields["usage_note"] = "\n".join(lines + notes)
        entry.terms.extend(terms)

    def _term(self, element, language: str, language_history: list) -> TermEntry:
        term = TermEntry(language=language, text="", line=element.sourceline or 0,
                         history=language_history)
        lines, status, register, proposed, ours = [], None, None, None, None
        details: dict = {}
        for category, value, child in self._items(element):
            if category == "term":
                term.text = term.text or text_of(child)
                term.line = child.sourceline or term.line
            elif category in STATUS_CATEGORIES:
                status = map_status(value)
                if status is None and value:
                    lines.append(f"{label_of(category)}: {value}")
            elif category == "register":
                register = map_register(value)
                if register is None and value:
                    lines.append(f"{label_of(category)}: {value}")
            elif category == "directionality":
                if value.strip().lower() == "incommensurate":
                    term.fields["no_equivalent"] = True
                elif value:
                    lines.append(f"{label_of(category)}: {value}")
            elif category == "transferComment":
                term.fields["paraphrase"] = value
            elif category in TERM_DETAILS:
                merge_detail(details, category, value)
            elif category in REFERENCES:
                _reference(details, category, value, child)
            elif category == "backTranslation":  # our core dialect's own categories
                term.fields["back_translation"] = value
            elif category == "proposedStatus" and map_status(value):
                proposed = map_status(value)
            elif category == "transacGrp":
                term.history = [*term.history, value]
            elif category in ("note", "usageNote"):
                labelled = _labelled(value) if category == "note" else None
                if labelled and labelled[0] == "back_translation":
                    term.fields["back_translation"] = labelled[1]
                elif labelled and labelled[0] == "register" and map_register(labelled[1]):
                    ours = map_register(labelled[1])
                elif labelled and labelled[0] == "proposed_status" and map_status(labelled[1]):
                    proposed = map_status(labelled[1])
                elif labelled and labelled[0] == "no_equivalent":
                    term.fields["no_equivalent"] = True
                elif labelled and labelled[0] == "paraphrase":
                    term.fields["paraphrase"] = labelled[1]
                elif category == "note" and detail_note(value):
                    merge_detail(details, *detail_note(value))
                elif value:
                    lines.append(value)
            elif value:
                lines.append(f"{label_of(category)}: {value}")
        if proposed or status:
            term.fields["status"] = proposed or status
        if ours or register:
            term.fields["register"] = ours or register
        if lines:
            term.fields["usage_note"] = "\n".join(lines)
        if details:
            term.fields["details"] = details
        return term


def read_tbx(stream: BinaryIO, *, working: str = "en") -> TbxReader:
    """A reader over ``stream`` (a binary file, seekable); iterate it for the entries."""
    return TbxReader(stream, working=working)
