"""OOXML that python-docx has no API for, inserted where Word looks for it: the child
order of paragraph, run, table, row, cell and section properties (ISO/IEC 29500-1, 17.3,
17.4 and 17.6) and the helpers that create ``w:`` elements in that order."""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml.ns import qn
from lxml import etree

# Child order of the OOXML elements we add to (ISO/IEC 29500-1, 17.3 and 17.4, 17.6):
# Word rejects or ignores children out of this order.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
             "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs",
             "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
             "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing",
             "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
             "cnfStyle", "rPr", "sectPr", "pPrChange")
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
             "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
             "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
             "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
             "em", "lang", "eastAsianLayout", "specVanish", "oMath")
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
               "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
               "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter",
              "cantSplit", "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden")
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd",
              "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
SECTPR_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type",
                "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols",
                "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
                "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def local_name(element) -> str:
    """The element's name without its namespace."""
    return etree.QName(element).localname


def set_child(parent, name: str, order: Sequence[str], **attrs: str):
    """Return ``parent``'s ``w:name`` child, created in its schema position (before the
    first sibling that ``order`` puts after it) when missing; set ``attrs`` on it."""
    existing = parent.find(qn(f"w:{name}"))
    if existing is None:
        existing = etree.Element(qn(f"w:{name}"))
        later = set(order[order.index(name) + 1:])
        anchor = next((c for c in parent if local_name(c) in later), None)
        if anchor is None:
            parent.append(existing)
        else:
            anchor.addprevious(existing)
    for key, value in attrs.items():
        existing.set(qn(f"w:{key}"), value)
    return existing


def sub_element(parent, name: str, **attrs: str):
    """Append a new ``w:name`` child with ``attrs`` to ``parent`` and return it."""
    element = etree.SubElement(parent, qn(f"w:{name}"))
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element
