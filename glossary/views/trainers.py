"""Trainers' view: where each language stands (gap matrix, charts), agreements that are
stale or at risk, mediators' training, spreadsheet downloads and a printable report (a
page, and a PDF). For trainers and admins."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import select

from .. import gaps, htmx
from ..charts import Bar, Chart, percent
from ..db import get_session
from ..exports import gap_report_files, gap_report_pdf, gap_reports
from ..listing import ordered_domains
from ..models.groups import Group
from .helpers import language_info, past_the_last_page, roles_required, today, working_language

bp = Blueprint("trainers", __name__, url_prefix="/trainers")

SYMBOLS = {"agreed": "✔", "no_equivalent": "≈", "proposed": "?", "needs_review": "⟳",
           "disputed": "✖", "none": "–"}
LIST_LIMIT = 200


def _settings() -> dict:
    config = current_app.config
    return {
        "validity_months": config["TRAINING_VALIDITY_MONTHS"],
        "stale_months": config.get("GAPS_STALE_MONTHS", gaps.DEFAULT_STALE_MONTHS),
        "due_days": config.get("GAPS_TRAINING_DUE_DAYS", gaps.DEFAULT_DUE_DAYS),
    }


def _filters() -> dict:
    return {
        "domain": request.args.get("domain") or None,
        "languages": [t for t in request.args.getlist("language") if t],
        "state": request.args.get("state") or None,
        "group": request.args.get("group", type=int),
    }


def _sort_key(tag: str) -> str:
    return str(language_info(tag).name).casefold()


def _matrix(page_size: int | None, **filters) -> gaps.Matrix:
    return gaps.matrix(get_session(), working=working_language(), page_size=page_size,
                       sort_key=_sort_key, **filters)


def _lists() -> gaps.GapLists:
    settings = _settings()
    return gaps.gap_lists(get_session(), working=working_language(), today=today(),
                          validity_months=settings["validity_months"],
                          stale_months=settings["stale_months"], due_days=settings["due_days"])


def _charts(matrix: gaps.Matrix) -> list[Chart]:
    """Coverage per language, per domain, and agreements reached per month."""
    n = matrix.concept_count
    by_language = [
        Bar(str(language_info(t).name), covered / n if n else 0,
            _("%(percent)d%% (%(covered)d of %(all)d)", percent=percent(covered, n),
              covered=covered, all=n))
        for t in matrix.languages
        for covered in [gaps.coverage(matrix.column_totals[t])[0]]
    ]
    by_domain = []
    for key, name in matrix.domain_names.items():
        covered, cells = gaps.coverage(matrix.domain_totals[key])
        by_domain.append(Bar(name, covered / cells if cells else 0,
                             _("%(percent)d%% (%(covered)d of %(all)d)",
                               percent=percent(covered, cells), covered=covered, all=cells)))
    months = gaps.agreements_over_time(get_session(), working=working_language(),
                                       today=today())
    over_time = [Bar(format_date(month, "MMM") + "\n" + format_date(month, "y"), count,
                     str(count)) for month, count in months]

    def listing(bars):
        return "; ".join(f"{b.label.replace(chr(10), ' ')}: {b.text}" for b in bars) or "—"

    share = (_("Language"), _("Agreed (directly or on a paraphrase)"))
    return [
        Chart("chart-languages", _("Coverage per language"),
              _("Share of the %(n)d active concepts with an agreed rendering, per language. "
                "%(values)s.", n=n, values=listing(by_language)),
              by_language, maximum=1, headers=share),
        Chart("chart-domains", _("Coverage per domain"),
              _("Share of concept and language pairs with an agreed rendering, per domain. "
                "%(values)s.", values=listing(by_domain)),
              by_domain, maximum=1, headers=(_("Domain"), share[1])),
        Chart("chart-time", _("Agreements reached per month"),
              _("Agreements reached in each of the last 12 months (each agreement counted "
                "in the month of its latest sign-off). %(values)s.", values=listing(over_time)),
              over_time, kind="columns", headers=(_("Month"), _("Agreements"))),
    ]


def _common() -> dict:
    # Labels translated once per request, not once per cell.
    labels = {state: str(label) for state, label in gaps.STATE_LABELS.items()}
    return {"symbols": SYMBOLS, "gap_labels": labels, "gap_states": gaps.CELL_STATES,
            "training_labels": gaps.TRAINING_LABELS, "reason_labels": gap_reports.REASON_LABELS,
            "coverage": gaps.coverage, "percent": percent, "settings": _settings(),
            "list_limit": LIST_LIMIT, "today": today()}


@bp.route("/")
@roles_required("trainer", "admin")
def overview():
    """One page: summary numbers, coverage charts, who needs a training refresher, and
    the downloads."""
    matrix = _matrix(0)
    lists = _lists()
    return render_template("trainers/overview.html", matrix=matrix, lists=lists,
                           charts=_charts(matrix), **_common())


@bp.route("/matrix")
@roles_required("trainer", "admin")
def matrix_page():
    """The gap matrix, filtered by domain, language and state, one page of concepts at a
    time; an htmx request gets only the table."""
    filters = _filters()
    asked = request.args.get("page", 1, type=int)
    matrix = _matrix(gaps.DEFAULT_PAGE_SIZE, page=asked, **filters)
    if (beyond := past_the_last_page(asked, matrix.pages)) is not None:
        return beyond
    db = get_session()
    export_args = {"domain": filters["domain"], "language": filters["languages"],
                   "state": filters["state"], "group": filters["group"]}
    context = dict(matrix=matrix, filters=filters, export_args=export_args,
                   domains=ordered_domains(db),
                   groups=db.exec(select(Group).order_by(Group.name)).all(),
                   all_languages=sorted(gaps.languages_in_use(db, working_language()),
                                        key=_sort_key), **_common())
    if htmx:
        return render_template("trainers/_matrix.html", **context)
    return render_template("trainers/matrix.html", **context)


@bp.route("/agreements")
@roles_required("trainer", "admin")
def agreements():
    """Stale agreements, agreements signed by a mediator whose training lapsed since,
    agreements that need review and open disputes."""
    return render_template("trainers/agreements.html", lists=_lists(), **_common())


@bp.route("/training")
@roles_required("trainer", "admin")
def training():
    """Mediators with their SGBV training dates: overdue, due soon, current."""
    settings = _settings()
    entries = gaps.training(get_session(), today=today(),
                            validity_months=settings["validity_months"],
                            due_days=settings["due_days"])
    return render_template("trainers/training.html", entries=entries, **_common())


@bp.route("/report")
@roles_required("trainer", "admin")
def report():
    """Everything above on one printable page (the full matrix is in the spreadsheet)."""
    matrix = _matrix(0)
    return render_template("trainers/report.html", matrix=matrix, lists=_lists(),
                           charts=_charts(matrix), **_common())


@bp.route("/report.pdf")
@roles_required("trainer", "admin")
def report_pdf():
    """The printable report as a PDF (Typst, bundled fonts)."""
    pdf = gap_report_pdf.report_pdf(_matrix(0), _lists(), working=working_language(),
                                    today=today(), settings=_settings(),
                                    describe=language_info)
    return _download(pdf, "application/pdf", f"readiness-report-{today().isoformat()}.pdf")


def _tables(sheet: str | None = None) -> list[gap_reports.Table]:
    return gap_reports.build_tables(get_session(), working=working_language(), today=today(),
                                    sheet=sheet, name_of=lambda t: language_info(t).name,
                                    sort_key=_sort_key, **_settings(), **_filters())


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


@bp.route("/export/<sheet>.csv")
@roles_required("trainer", "admin")
def export_csv(sheet: str):
    """One table (the matrix with the page's filters, or a list) as CSV."""
    if sheet not in gap_reports.SHEETS:
        abort(404)
    table = _tables(sheet)[0]
    return _download(gap_report_files.csv_bytes(table), "text/csv",
                     f"gaps-{sheet}-{today().isoformat()}.csv")


@bp.route("/export/gaps.xlsx")
@roles_required("trainer", "admin")
def export_xlsx():
    """The matrix (with the page's filters) and every list, one sheet each."""
    return _download(gap_report_files.xlsx_bytes(_tables()),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"gaps-{today().isoformat()}.xlsx")
