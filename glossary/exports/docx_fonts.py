"""Fonts carried inside a DOCX file, so that Word and LibreOffice on a computer without
the Noto fonts show the same glyphs as the PDF.

Every bundled family a document names (``w:rFonts`` in its text, headers, footers and
styles) is embedded as ECMA-376 requires (Part 1, 17.8.1 "Font Embedding" and 17.8.3.3
``embedRegular``): an obfuscated font part ``word/fonts/fontN.odttf`` of content type
``application/vnd.openxmlformats-officedocument.obfuscatedFont``, related from the font
table, whose ``w:font`` entry names it with ``w:embedRegular`` (and ``w:embedBold`` when
the document has bold text) and gives the key in ``w:fontKey``; ``w:embedTrueTypeFonts``
in the settings tells Word to keep them. Obfuscation: the key is a GUID; its 16 bytes,
read from the GUID's hex digits in reverse order, are XORed into the font's first 32
bytes (bytes 0-15 and again 16-31). The key is derived from the font data, so one document
always gives the same file.

Every document carries the same bytes for a font, never a subset of its own: LibreOffice
keeps the first embedded font it meets under a family name for the rest of its session,
so with subsets cut per document a Sorani handout opened after a Tigrinya one (whose
Naskh held no Arabic letters) printed its Sorani in a fallback font. Noto Sans is cut
once per process (and at a worker's warm-up) to Latin, Greek and Cyrillic with their
punctuation and signs, without hinting instructions (300 KB of 513 KB); the script fonts
(Naskh, Nastaliq, Ethiopic) are embedded whole. A script font is embedded only when the
document holds a letter of its script, bold faces only when the document has bold text.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from lxml import etree

from ..config import INSTANCE
from .content import SCRIPTS
from .typst_builders import FONT_DIR

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
LATIN_FAMILY = "Noto Sans"
# What Noto Sans keeps: Latin, IPA, Greek, Cyrillic (with their extensions, Vietnamese
# included), punctuation, currency, letterlike signs and number forms.
KEPT_RANGES = ((0x0000, 0x052F), (0x1D00, 0x1FFF), (0x2000, 0x20CF), (0x2100, 0x218F),
               (0x2C60, 0x2C7F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F), (0xA720, 0xA7FF),
               (0xAB30, 0xAB6F), (0xFB00, 0xFB06), (0xFFFC, 0xFFFD))
SUBSET = frozenset({"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"})
# Settings children that come before w:embedTrueTypeFonts (ISO/IEC 29500-1, 17.15.1.78).
SETTINGS_BEFORE = ("writeProtection", "view", "zoom", "removePersonalInformation",
                   "removeDateAndTime", "doNotDisplayPageBoundaries",
                   "displayBackgroundShape", "printPostScriptOverText",
                   "printFractionalCharacterWidth", "printFormsData")
FONT_FACES = {script.word_font: (script.regular, script.bold) for script in SCRIPTS.values()}


def font_key(data: bytes) -> str:
    """The obfuscation key for ``data``, a GUID as Word writes it: ``{XXXXXXXX-...}``."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes of ``data`` with the GUID ``key``'s bytes in reverse
    order; applied twice it gives back the font."""
    mask = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


@lru_cache(maxsize=8)
def _cmap(filename: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(FONT_DIR / filename, lazy=True) as font:
        return frozenset(font.getBestCmap())


def covered(family: str) -> frozenset[int]:
    """The code points the bundled font ``family`` (a ``word_font``) has glyphs for."""
    return _cmap(FONT_FACES[family][0])


@lru_cache(maxsize=8)
def font_data(filename: str) -> bytes:
    """The bytes embedded for the bundled font ``filename``: Noto Sans cut to
    :data:`KEPT_RANGES` (with the glyphs its shaping rules reach from them), the others
    whole. The same for every document.

    Cutting takes seconds a face, so the cut is kept in ``instance/font-cache/``, named
    by a hash of the font, the ranges and the fontTools version: every later process
    (each worker, each test process) reads it instead of cutting again. A cache that
    cannot be written is not an error; the cut is then made again next time."""
    data = (FONT_DIR / filename).read_bytes()
    if filename not in SUBSET:
        return data
    import fontTools

    digest = hashlib.sha256(data + repr((KEPT_RANGES, fontTools.version)).encode())
    cached = INSTANCE / "font-cache" / f"{Path(filename).stem}-{digest.hexdigest()[:16]}.ttf"
    if cached.is_file():
        return cached.read_bytes()
    cut = _cut(data, filename)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(cut)
        partial.replace(cached)  # atomic: a reader sees the whole file or none
    except OSError:
        pass
    return cut


def _cut(data: bytes, filename: str) -> bytes:
    """``data`` (the font ``filename``) cut to :data:`KEPT_RANGES`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    kept = {c for c in _cmap(filename) if any(a <= c <= b for a, b in KEPT_RANGES)}
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(io.BytesIO(data))
    # The name table is kept whole and out of the subsetter, which would otherwise walk
    # every table of the font looking for the names they use (most of its time).
    names = font["name"]
    del font["name"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    font["name"] = names
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def warm() -> None:
    """Prepare every font a DOCX may embed (a worker's warm-up: cutting Noto Sans takes
    about a second a face)."""
    for regular, bold in FONT_FACES.values():
        font_data(regular)
        font_data(bold)


def _xml_parts(document: DocxDocument) -> Iterable[XmlPart]:
    """The document, its headers and footers, and its styles."""
    for part in document.part.package.iter_parts():
        if isinstance(part, XmlPart) and ("header" in part.partname or "footer" in part.partname
                                          or part is document.part
                                          or part.partname.endswith("/styles.xml")):
            yield part


def fonts_in_use(document: DocxDocument) -> dict[str, bool]:
    """The bundled families the document needs, each with whether bold text needs its
    bold face: those it names, a script family only when a letter of its script (one
    Noto Sans lacks) is in the text."""
    named: dict[str, bool] = {}
    text: set[str] = set()
    slots = [qn(f"w:{name}") for name in ("ascii", "hAnsi", "cs", "eastAsia")]
    for part in _xml_parts(document):
        bold = part.element.find(f".//{qn('w:b')}") is not None
        for fonts in part.element.iter(qn("w:rFonts")):
            for slot in slots:
                family = fonts.get(slot)
                if family in FONT_FACES:
                    named[family] = named.get(family, False) or bold
        for t in part.element.iter(qn("w:t")):
            text.update(t.text or "")
    used = {ord(c) for c in text} - _cmap(FONT_FACES[LATIN_FAMILY][0])
    return {family: bold for family, bold in named.items()
            if family == LATIN_FAMILY or used & _cmap(FONT_FACES[family][0])}


def _font_entry(fonts, family: str):
    """The font table's ``w:font`` for ``family``, added when missing."""
    for entry in fonts.findall(qn("w:font")):
        if entry.get(qn("w:name")) == family:
            return entry
    entry = etree.SubElement(fonts, qn("w:font"))
    entry.set(qn("w:name"), family)
    etree.SubElement(entry, qn("w:family")).set(qn("w:val"), "auto")
    etree.SubElement(entry, qn("w:pitch")).set(qn("w:val"), "variable")
    return entry


def _embed_setting(document: DocxDocument) -> None:
    settings = document.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is not None:
        return
    element = etree.Element(qn("w:embedTrueTypeFonts"))
    earlier = [c for c in settings if etree.QName(c).localname in SETTINGS_BEFORE]
    if earlier:
        earlier[-1].addnext(element)
    else:
        settings.insert(0, element)


def embed_fonts(document: DocxDocument) -> None:
    """Embed the bundled fonts ``document`` uses (see the module's docstring) before it
    is saved. Does nothing for a document naming no bundled font."""
    families = fonts_in_use(document)
    if not families:
        return
    table_part: Part = document.part.part_related_by(RT.FONT_TABLE)
    fonts = etree.fromstring(table_part.blob)
    package = document.part.package
    for family, bold in sorted(families.items()):
        entry = _font_entry(fonts, family)
        regular, bold_file = FONT_FACES[family]
        faces = [("embedRegular", regular)] + ([("embedBold", bold_file)] if bold else [])
        for tag, filename in faces:
            data = font_data(filename)
            key = font_key(data)
            partname = package.next_partname("/word/fonts/font%d.odttf")
            part = Part(PackURI(partname), OBFUSCATED_FONT, obfuscate(data, key), package)
            embed = etree.SubElement(entry, qn(f"w:{tag}"))
            embed.set(qn("r:id"), table_part.relate_to(part, RT.FONT))
            embed.set(qn("w:fontKey"), key)
    table_part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
    _embed_setting(document)
