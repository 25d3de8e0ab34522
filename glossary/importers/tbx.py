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
(facilitator note). Notes written by our own export (:data:`.tbx_details.LABELS`) and
the categories of its ``core`` dialect are read back into their fields, so an export
re-imports without loss.

This module reads the document (safety checks, dialect, streaming); one concept entry is
read by :mod:`.tbx_concepts`, its terms by :mod:`.tbx_terms`, with the element walking of
:mod:`.tbx_items` and the kept structure of :mod:`.tbx_details`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from ..errors import InputError
from ..i18n import _l
from .entries import ConceptEntry
from .tbx_concepts import read_concept
from .tbx_items import localname

__all__ = ["TbxError", "TbxReader", "check_prolog", "read_tbx"]

TBX_V3_NAMESPACES = ("urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed:3.0")
CONCEPT_TAGS = ("termEntry", "conceptEntry", "entry")
PROLOG_SCAN = 1024 * 1024


class TbxError(InputError):
    """The file cannot be imported as TBX; nothing was changed."""

    def __init__(self, message, *, line: int | None = None):
        super().__init__(message)
        self.line = line


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
                yield read_concept(element, self.working)
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


def read_tbx(stream: BinaryIO, *, working: str = "en") -> TbxReader:
    """A reader over ``stream`` (a binary file, seekable); iterate it for the entries."""
    return TbxReader(stream, working=working)
