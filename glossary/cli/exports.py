"""The ``export`` group and the gap reports: ``gaps``, ``export gaps``, the glossary as
TBX, CSV or XLSX, and ``export flyer``. (``export handout`` lives with the groups.)"""

from __future__ import annotations

from pathlib import Path

import click

from . import app_session, main


@main.group()
def export() -> None:
    """Write handouts, flyers, glossaries and reports to files."""


def _gap_settings(app) -> dict:
    from datetime import date

    from ..gaps import DEFAULT_DUE_DAYS, DEFAULT_STALE_MONTHS

    return {"working": app.config["WORKING_LANGUAGE"],
            "today": app.config.get("TODAY") or date.today(),
            "validity_months": app.config["TRAINING_VALIDITY_MONTHS"],
            "stale_months": app.config.get("GAPS_STALE_MONTHS", DEFAULT_STALE_MONTHS),
            "due_days": app.config.get("GAPS_TRAINING_DUE_DAYS", DEFAULT_DUE_DAYS)}


def _language_namer(session):
    from ..concepts import custom_languages
    from ..languages import describe

    custom = custom_languages(session)
    return lambda tag: describe(tag, "en", custom).name


@main.command()
@click.option("--language", "languages", multiple=True, help="Only this language (repeatable).")
@click.option("--domain", default=None, help="Only concepts of this domain key.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def gaps(languages, domain, as_json) -> None:
    """Show the gap matrix: agreement state per concept and language, with totals."""
    import json

    from .. import gaps as service
    from ..errors import UserError
    from ..exports.gap_report_text import matrix_json, matrix_text

    with app_session() as (app, session):
        name_of = _language_namer(session)
        try:
            matrix = service.matrix(session, working=app.config["WORKING_LANGUAGE"],
                                    domain=domain, languages=languages, page_size=None,
                                    sort_key=lambda t: name_of(t).casefold())
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        names = {t: name_of(t) for t in matrix.languages}
        if as_json:
            click.echo(json.dumps(matrix_json(matrix, names), ensure_ascii=False, indent=2))
        else:
            click.echo(matrix_text(matrix, names))


@export.command("gaps")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--sheet", type=click.Choice(["matrix", "stale", "lapsed", "review", "disputes",
                                            "training"]), default=None,
              help="Only this table (CSV holds one table: the matrix unless given).")
@click.option("--language", "languages", multiple=True, help="Matrix: only this language.")
@click.option("--domain", default=None, help="Matrix: only concepts of this domain key.")
def export_gaps(fmt, output, sheet, languages, domain) -> None:
    """Write the gap matrix and the stale, at-risk and training lists (CSV or XLSX)."""
    from ..errors import UserError
    from ..exports import gap_report_files, gap_reports

    with app_session() as (app, session):
        name_of = _language_namer(session)
        try:
            tables = gap_reports.build_tables(
                session, **_gap_settings(app), domain=domain, languages=languages,
                sheet=sheet or ("matrix" if fmt == "csv" else None), name_of=name_of,
                sort_key=lambda t: name_of(t).casefold())
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        if fmt == "csv":
            output.write_bytes(gap_report_files.csv_bytes(tables[0]))
        else:
            gap_report_files.write_xlsx(tables, output)
    click.echo(f"Wrote {output} ({', '.join(t.name for t in tables)}).")


def _export_glossary(kind: str, output: Path, languages: str, agreed_only: bool,
                     **options) -> None:
    from ..exports import glossary_table, tbx

    writer = {"tbx": tbx.write_tbx, "csv": glossary_table.write_csv,
              "xlsx": glossary_table.write_xlsx}[kind]
    tags = [t.strip() for t in languages.split(",") if t.strip()] or None
    with app_session() as (app, session):
        count = writer(session, str(output), working=app.config["WORKING_LANGUAGE"],
                       languages=tags, agreed_only=agreed_only, **options)
    click.echo(f"Wrote {output} ({count} concepts).")


@export.command("tbx")
@click.option("--languages", default="", help="Comma-separated target languages, e.g. "
              "ar,fa-AF (default: all). The working language is always in.")
@click.option("--agreed-only", is_flag=True, help="Only agreed language pairs.")
@click.option("--dialect", type=click.Choice(["basic", "core", "2008"]), default="basic",
              show_default=True, help="basic: TBX-Basic (TBX v3), what TBX-Basic has no "
              "place for as labelled notes; core: TBX v3 with this project's own data "
              "categories, declared; 2008: TBX-Basic v2 (martif) for tools that read only "
              "TBX 2008.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True)
def export_tbx(languages: str, agreed_only: bool, dialect: str, output: Path) -> None:
    """Write the glossary as TBX."""
    _export_glossary("tbx", output, languages, agreed_only, dialect=dialect)


for _kind in ("csv", "xlsx"):
    def _make(kind: str):
        @export.command(kind, help=f"Write the glossary as {kind.upper()}.")
        @click.option("--languages", default="", help="Comma-separated target languages, "
                      "e.g. ar,fa-AF (default: all). The working language is always in.")
        @click.option("--agreed-only", is_flag=True, help="Only agreed language pairs.")
        @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      required=True)
        def command(languages: str, agreed_only: bool, output: Path) -> None:
            _export_glossary(kind, output, languages, agreed_only)

        return command

    _make(_kind)


@export.command("flyer")
@click.option("--flyer", "flyer_ref", required=True, help="The flyer's name or id.")
@click.option("--language", required=True, help="Target language tag, e.g. ar or uk.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "txt", "png"]),
              required=True)
@click.option("--size", type=click.Choice(["post", "story"]), default="post",
              help="For png: a square post (1080x1080) or a story (1080x1920).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--draft", is_flag=True, help="Allow a translation that is not signed off; "
              "every page is marked DRAFT.")
def export_flyer(flyer_ref, language, fmt, size, output, draft) -> None:
    """Write a flyer in one language as PDF, DOCX, text for messaging, or a PNG image
    for social media (with its alt text printed)."""
    from ..errors import UserError
    from ..exports.flyers import write_flyer
    from ..flyers import find_flyer
    from ..languages import canonical_tag

    with app_session() as (_app, session):
        try:
            flyer = find_flyer(session, flyer_ref)
            output.parent.mkdir(parents=True, exist_ok=True)
            with output.open("wb") as target:
                text = write_flyer(session, flyer=flyer, language=canonical_tag(language),
                                   fmt=fmt, draft=draft, target=target, size=size)
        except UserError as exc:
            output.unlink(missing_ok=True)
            raise click.ClickException(str(exc)) from None
    mark = " (DRAFT)" if text.draft else ""
    click.echo(f"Wrote {output}{mark}.")
    if fmt == "png":
        from ..exports.flyers import alt_text

        click.echo(f"Alt text: {alt_text(text)}")
