"""The trainers' readiness report as a PDF, laid out by Typst from
``templates/exports/typst/report.typ`` with the bundled fonts: what the printable page
(/trainers/report) shows, without the charts (their figures are the coverage column of
the totals per language): summary, totals per language, mediators' training, stale
agreements, agreements signed by a mediator whose training lapsed, agreements edited
since signing and open disputes, each list in full.

Like the page, the report is in the reader's interface language: when it is right to
left, so are the page and its tables (columns from the right), as in the handouts.
Concepts are named in the working language, in its own script and direction; language
names carry their endonym.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _

from .. import gaps
from ..charts import percent
from ..languages import LanguageInfo
from . import typst_builders as typst
from .content import Para, Span, TextLanguage, para
from .gap_reports import Table, list_tables


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Column shares from the longest text of each column (within 6 to 40 characters);
    a header wraps between words, so its longest word counts, with room for bold."""
    return [min(max(max(len(w) for w in h.split()) + 3, *(len(r[i]) + 2 for r in rows), 6), 40)
            for i, h in enumerate(header)]


def _section(heading: str, header: Sequence[str], rows: Sequence[Sequence], lang: TextLanguage,
             *, first_cells: Sequence[Para] | None = None,
             columns: dict[int, TextLanguage] | None = None) -> dict:
    """A heading and a table in ``lang``; ``columns`` gives the language of some columns
    by index, ``first_cells`` replaces the first column's paragraphs."""
    texts = [[_text(v) for v in row] for row in rows]
    columns = columns or {}
    body = []
    for index, row in enumerate(texts):
        cells = [[typst.paragraph(para(v, columns.get(i, lang)))] for i, v in enumerate(row)]
        if first_cells is not None:
            cells[0] = [typst.paragraph(first_cells[index])]
        body.append(cells)
    return {"heading": typst.paragraph(para(heading, lang, "heading2")),
            "header": [[typst.paragraph(para(h, lang, bold=True))] for h in header],
            "rows": body, "widths": _widths(header, texts),
            "empty": typst.paragraph(para(_("None."), lang))}


def _summary(matrix: gaps.Matrix, lists: gaps.GapLists, settings: dict) -> list[str]:
    covered, cells = gaps.coverage(matrix.totals)
    blocked = [t for t in lists.training if not t.can_sign]
    due = [t for t in lists.training if t.status == "due"]
    stale = ngettext("agreement older than %(num)d month",
                     "agreements older than %(num)d months", settings["stale_months"])
    soon = ngettext("mediator due for a refresher within %(num)d day",
                    "mediators due for a refresher within %(num)d days", settings["due_days"])
    return [
        f"{matrix.concept_count} {_('active concepts')}",
        f"{len(matrix.languages)} {_('languages')}",
        f"{percent(covered, cells)}% " + _("of concept and language pairs agreed "
                                           "(%(covered)d of %(all)d)", covered=covered,
                                           all=cells),
        f"{len(lists.stale)} {stale}",
        f"{len(lists.lapsed)} {_('signed by a mediator whose training has lapsed')}",
        f"{len(lists.review)} {_('need review')}",
        f"{len(lists.disputes)} {_('open disputes')}",
        f"{len(blocked)} {_('mediators who cannot sign (training overdue or missing)')}",
        f"{len(due)} {soon}",
    ]


def report_data(matrix: gaps.Matrix, lists: gaps.GapLists, *, working: str, today: date,
                settings: dict, describe: Callable[[str], LanguageInfo]) -> dict:
    """Everything the PDF report shows, as data for ``report.typ``."""
    info = describe(working)
    reader = str(get_locale() or "en").replace("_", "-")
    lang = TextLanguage(reader, describe(reader).rtl)
    concept = {2: TextLanguage(working, info.rtl)}  # list_tables: the concept's wording
    title = _("Terminology readiness report")
    meta = _("As of %(date)s · working language: %(working)s", date=format_date(today),
             working=info.name)
    names = {t: describe(t).name for t in {working, *matrix.languages}
             | {e.language for e in (*lists.stale, *lists.lapsed, *lists.review,
                                     *lists.disputes)}
             | {t for entry in lists.training for t in entry.languages}}
    labels = [str(gaps.STATE_LABELS[s]) for s in gaps.CELL_STATES]
    totals = []
    for tag in matrix.languages:
        counts = matrix.column_totals[tag]
        totals.append([names[tag], *(counts[s] for s in gaps.CELL_STATES),
                       f"{percent(*gaps.coverage(counts))}%"])
    endonyms = [para([Span(names[t] + " "), Span(describe(t).endonym,
                                                 lang=TextLanguage(t, describe(t).rtl))],
                     lang) for t in matrix.languages]
    tables = {t.name: t for t in list_tables(lists, names, working)}

    def listed(name: str, heading: str) -> dict:
        table: Table = tables[name]
        return _section(heading, table.headers, table.rows, lang,
                        columns=None if name == "training" else concept)

    sections = [
        _section(_("Totals per language"), [_("Language"), *labels, _("Coverage")], totals,
                 lang, first_cells=endonyms),
        listed("training", _("Mediators’ SGBV training")),
        listed("stale", ngettext("Agreed more than %(num)d month ago",
                                 "Agreed more than %(num)d months ago",
                                 settings["stale_months"])),
        listed("lapsed", _("Signed by a mediator whose training has lapsed since")),
        listed("review", _("Edited since signing")),
        listed("disputes", _("Open disputes")),
    ]
    return {
        "frame": typst.frame(base=lang, footer=[Span(f"{title} · {format_date(today)}")],
                             footer_lang=lang, page_label=_("page"), draft_mark=None,
                             draft_word=""),
        "rtl": lang.rtl,
        "title": typst.paragraph(para(title, lang, "title")),
        "meta": typst.paragraph(para(meta, lang, "meta")),
        "summary_heading": typst.paragraph(para(_("Summary"), lang, "heading2")),
        "summary": [typst.paragraph(para(line, lang)) for line in _summary(matrix, lists,
                                                                           settings)],
        "sections": sections,
    }


def report_pdf(matrix: gaps.Matrix, lists: gaps.GapLists, *, working: str, today: date,
               settings: dict, describe: Callable[[str], LanguageInfo]) -> bytes:
    """The report as PDF bytes (see :func:`report_data`)."""
    pdf = typst.compile_document("report.typ", report_data(
        matrix, lists, working=working, today=today, settings=settings, describe=describe))
    assert isinstance(pdf, bytes)
    return pdf
