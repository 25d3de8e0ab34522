"""The shared document engine: small builders for DOCX (python-docx, with the OOXML it
has no API for) and PDF and PNG (Typst templates fed with JSON data), right in every
script.

Builders know paragraphs, spans, tables, languages and pages, never groups or flyers, so
any handout or flyer can be written with them. Callers import this module
(``from . import document as engine``); the code lives in the modules beside it, whose
docstrings give the right-to-left rules each follows:

- :mod:`.content`: languages, their scripts and bundled fonts, spans and paragraphs;
- :mod:`.bidi`: numbers and addresses isolated inside right-to-left text;
- :mod:`.docx_builders`: documents, paragraphs, tables, footers and draft marks in DOCX,
  with right-to-left paragraphs, runs, tables and sections;
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
from .docx_builders import (
    BODY_PT,
    HEADING1_PT,
    HEADING2_PT,
    HEADINGS,
    LEAD_PT,
    PPR_ORDER,
    RPR_ORDER,
    SECTPR_ORDER,
    SIZES,
    SMALL_PT,
    STYLE_IDS,
    TBLPR_ORDER,
    TCPR_ORDER,
    TITLE_PT,
    TRPR_ORDER,
    add_paragraph,
    add_table,
    new_docx,
    save_docx,
    set_child,
    set_draft_mark,
    set_footer,
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
    "BODY_PT", "HEADING1_PT", "HEADING2_PT", "HEADINGS", "LEAD_PT", "PPR_ORDER", "RPR_ORDER",
    "SECTPR_ORDER", "SIZES", "SMALL_PT", "STYLE_IDS", "TBLPR_ORDER", "TCPR_ORDER", "TITLE_PT",
    "TRPR_ORDER", "add_paragraph", "add_table", "new_docx", "save_docx", "set_child",
    "set_draft_mark", "set_footer",
    # .typst_builders
    "FONT_DIR", "TYPST_DIR", "available_fonts", "compile_document", "font_files",
    "font_stacks", "frame", "paragraph", "paragraphs", "span_runs", "write_bytes",
]
