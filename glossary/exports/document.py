"""The shared document engine: small builders for DOCX (python-docx, with the OOXML it
has no API for) and PDF and PNG (Typst templates fed with JSON data), right in every
script.

Builders know paragraphs, spans, tables, languages and pages, never groups or flyers, so
any handout or flyer can be written with them. Callers import this module
(``from . import document as engine``); the code lives in the modules beside it, whose
docstrings give the right-to-left rules each follows:

- :mod:`.content`: languages, their scripts and bundled fonts, spans and paragraphs;
- :mod:`.bidi`: numbers and addresses isolated inside right-to-left text;
- :mod:`.docx_builders`: documents, tables, footers and draft marks in DOCX, with
  right-to-left tables and sections;
- :mod:`.docx_paragraphs`: DOCX paragraphs and runs, right to left where the text is;
- :mod:`.docx_ooxml`: OOXML elements python-docx has no API for, in schema order;
- :mod:`.typst_builders`: paragraphs and runs as data for the Typst templates in
  ``templates/exports/typst/``, compiled to PDF or PNG with the bundled fonts only.
"""

from __future__ import annotations

from .bidi import (
    KEPT_HYPHEN,
    LRM,
    LTR_SPAN,
    NB_HYPHEN,
    NBSP,
    WJ,
    first_strong_rtl,
    isolate_ltr,
    isolated,
    ltr_segments,
)
from .content import (
    LATIN,
    SCRIPTS,
    Cell,
    Para,
    Script,
    Span,
    TextLanguage,
    para,
    script_for,
)
from .docx_builders import add_table, new_docx, save_docx, set_draft_mark, set_footer
from .docx_ooxml import (
    PPR_ORDER,
    RPR_ORDER,
    SECTPR_ORDER,
    TBLPR_ORDER,
    TCPR_ORDER,
    TRPR_ORDER,
    set_child,
)
from .docx_paragraphs import (
    BODY_PT,
    HEADING1_PT,
    HEADING2_PT,
    HEADINGS,
    LEAD_PT,
    SIZES,
    SMALL_PT,
    STYLE_IDS,
    TITLE_PT,
    add_paragraph,
)
from .typst_builders import (
    FONT_DIR,
    TYPST_DIR,
    available_fonts,
    compile_document,
    font_files,
    font_stacks,
    frame,
    paragraph,
    paragraphs,
    span_runs,
    write_bytes,
)

__all__ = [
    # .bidi
    "KEPT_HYPHEN", "LRM", "LTR_SPAN", "NBSP", "NB_HYPHEN", "WJ", "first_strong_rtl",
    "isolate_ltr", "isolated", "ltr_segments",
    # .content
    "LATIN", "SCRIPTS", "Cell", "Para", "Script", "Span", "TextLanguage", "para", "script_for",
    # .docx_builders
    "add_table", "new_docx", "save_docx", "set_draft_mark", "set_footer",
    # .docx_ooxml
    "PPR_ORDER", "RPR_ORDER", "SECTPR_ORDER", "TBLPR_ORDER", "TCPR_ORDER", "TRPR_ORDER",
    "set_child",
    # .docx_paragraphs
    "BODY_PT", "HEADING1_PT", "HEADING2_PT", "HEADINGS", "LEAD_PT", "SIZES", "SMALL_PT",
    "STYLE_IDS", "TITLE_PT", "add_paragraph",
    # .typst_builders
    "FONT_DIR", "TYPST_DIR", "available_fonts", "compile_document", "font_files",
    "font_stacks", "frame", "paragraph", "paragraphs", "span_runs", "write_bytes",
]
