"""The ``glossary`` command line: init, demo, serve, user add, translations."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from sqlmodel import Session

from .config import ROOT

_APPS: list = []


def _app():
    from . import create_app

    app = create_app()
    _APPS.append(app)
    return app


def _dispose_engines() -> None:
    """Close the pooled connections of every app a command created."""
    while _APPS:
        _APPS.pop().extensions["glossary_engine"].dispose()


def _engine(app):
    return app.extensions["glossary_engine"]


def _init_database(app) -> None:
    from .migrate import upgrade

    upgrade(_engine(app))


@contextmanager
def app_session():
    """The app (with migrations applied), an app context and a database session, for
    commands: ``with app_session() as (app, session): ...``."""
    app = _app()
    try:
        _init_database(app)
        with app.app_context(), Session(_engine(app), expire_on_commit=False) as session:
            yield app, session
    finally:
        _engine(app).dispose()  # close pooled connections now, not at garbage collection


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Agreed terminology for interpreted groups."""
    ctx.call_on_close(_dispose_engines)


@main.command()
def init() -> None:
    """Create the database, or upgrade its schema to the newest migration."""
    app = _app()
    _init_database(app)
    click.echo(f"Database ready: {_engine(app).url.render_as_string(hide_password=True)}")
    _engine(app).dispose()


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo is already loaded.")
def demo(if_empty: bool) -> None:
    """Load demo people, starter concepts and example renderings."""
    from .demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_loaded, load_demo

    with app_session() as (app, session):
        if demo_loaded(session):
            if not if_empty:
                click.echo("Demo data is already loaded.")
        else:
            load_demo(session, working=app.config["WORKING_LANGUAGE"],
                      validity_months=app.config["TRAINING_VALIDITY_MONTHS"])
            click.echo("Demo data loaded (renderings are examples, not vetted translations).")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for _name, email, roles, langs, _days in DEMO_PEOPLE:
        extra = f" [{langs}]" if langs else ""
        click.echo(f"  {email:<22} {roles}{extra}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Apply migrations, then serve the app (development server)."""
    app = _app()
    _init_database(app)
    click.echo(f"Serving on http://{host}:{port}/")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@main.group()
def user() -> None:
    """Manage staff accounts."""


@user.command("add")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--roles", required=True, help="Comma-separated: facilitator, mediator, "
              "outreach, trainer, admin.")
@click.option("--languages", default="", help="Comma-separated BCP 47 tags, e.g. ar,fa-AF.")
@click.option("--training-date", default="", help="SGBV training date, YYYY-MM-DD.")
@click.option("--qualified", is_flag=True, help="The mediator is a qualified interpreter.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def user_add(name, email, roles, languages, training_date, qualified, password) -> None:
    """Add a person with roles, languages and SGBV training date."""
    from .errors import UserError
    from .people import create_person, person_fields

    with app_session() as (_app_, session):
        try:
            fields = person_fields(session, {"name": name, "email": email,
                                             "training_date": training_date,
                                             "qualified": "1" if qualified else ""},
                                   roles=roles, langs=languages)
            person = create_person(session, fields=fields, password=password, by=None)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Added {person.name} <{person.email}> ({person.roles}).")


@main.group()
def export() -> None:
    """Write handouts, flyers, glossaries and reports to files."""


def _gap_settings(app) -> dict:
    from datetime import date

    from .gaps import DEFAULT_DUE_DAYS, DEFAULT_STALE_MONTHS

    return {"working": app.config["WORKING_LANGUAGE"],
            "today": app.config.get("TODAY") or date.today(),
            "validity_months": app.config["TRAINING_VALIDITY_MONTHS"],
            "stale_months": app.config.get("GAPS_STALE_MONTHS", DEFAULT_STALE_MONTHS),
            "due_days": app.config.get("GAPS_TRAINING_DUE_DAYS", DEFAULT_DUE_DAYS)}


def _language_namer(session):
    from .concepts import custom_languages
    from .languages import describe

    custom = custom_languages(session)
    return lambda tag: describe(tag, "en", custom).name


@main.command()
@click.option("--language", "languages", multiple=True, help="Only this language (repeatable).")
@click.option("--domain", default=None, help="Only concepts of this domain key.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def gaps(languages, domain, as_json) -> None:
    """Show the gap matrix: agreement state per concept and language, with totals."""
    import json

    from . import gaps as service
    from .errors import UserError
    from .exports.gap_reports import matrix_json, matrix_text

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
    from .errors import UserError
    from .exports import gap_reports

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
            output.write_bytes(gap_reports.csv_bytes(tables[0]))
        else:
            gap_reports.write_xlsx(tables, output)
    click.echo(f"Wrote {output} ({', '.join(t.name for t in tables)}).")


# -- interchange: glossary import / export tbx|csv|xlsx ---------------------------------

def _echo_plan(plan, limit: int = 50) -> None:
    """Print an import plan: counts, then the first items of each kind."""
    click.echo(f"{plan.source} ({plan.dialect}):")
    for kind, count in plan.summary().items():
        click.echo(f"  {kind.replace('_', ' '):<16} {count}")
    for kind, items in plan.items.items():
        if not items:
            continue
        click.echo(f"{kind.replace('_', ' ').capitalize()}:")
        for change in items[:limit]:
            where = f"line {change.line}: {change.concept}"
            what = f" [{change.language}] {change.text}" if change.language else ""
            detail = f" ({change.detail})" if str(change.detail) else ""
            click.echo(f"  {where}{what}{detail}")
        if plan.counts[kind] > limit:
            click.echo(f"  ... and {plan.counts[kind] - limit} more")


@main.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "xlsx"]), default=None,
              help="Default: from the file name or content.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--domain", default=None, help="Domain key for entries that name none.")
def import_command(path: Path, fmt, dry_run: bool, domain) -> None:
    """Import a TBX, CSV or XLSX glossary (or a data/terms folder), as one transaction."""
    from sqlmodel import select

    from .errors import UserError
    from .importers.plan import Source, apply_import, build_plan
    from .models import Domain

    with app_session() as (app, session):
        working = app.config["WORKING_LANGUAGE"]
        try:
            source = Source(path, working=working, fmt=fmt,
                            domain_keys=session.exec(select(Domain.key)).all())
            run = build_plan if dry_run else apply_import
            plan = run(session, entries=source, source=source.name, working=working,
                       default_domain=domain, domain_names=source.domain_names)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        plan.dialect = source.dialect
    _echo_plan(plan)
    click.echo("Dry run: nothing was written." if dry_run else
               f"Imported: {plan.changes} changes written in one transaction.")


def _export_glossary(kind: str, output: Path, languages: str, agreed_only: bool) -> None:
    from .exports import glossary_table, tbx

    writer = {"tbx": tbx.write_tbx, "csv": glossary_table.write_csv,
              "xlsx": glossary_table.write_xlsx}[kind]
    tags = [t.strip() for t in languages.split(",") if t.strip()] or None
    with app_session() as (app, session):
        count = writer(session, str(output), working=app.config["WORKING_LANGUAGE"],
                       languages=tags, agreed_only=agreed_only)
    click.echo(f"Wrote {output} ({count} concepts).")


for _kind in ("tbx", "csv", "xlsx"):
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
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "txt"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--draft", is_flag=True, help="Allow a translation that is not signed off; "
              "every page is marked DRAFT.")
def export_flyer(flyer_ref, language, fmt, output, draft) -> None:
    """Write a flyer in one language as PDF, DOCX or text for messaging."""
    from .errors import UserError
    from .exports.flyers import write_flyer
    from .flyers import find_flyer
    from .languages import canonical_tag

    with app_session() as (_app, session):
        try:
            flyer = find_flyer(session, flyer_ref)
            output.parent.mkdir(parents=True, exist_ok=True)
            with output.open("wb") as target:
                text = write_flyer(session, flyer=flyer, language=canonical_tag(language),
                                   fmt=fmt, draft=draft, target=target)
        except UserError as exc:
            output.unlink(missing_ok=True)
            raise click.ClickException(str(exc)) from None
    mark = " (DRAFT)" if text.draft else ""
    click.echo(f"Wrote {output}{mark}.")


TRANSLATIONS = ROOT / "glossary" / "translations"
POT = TRANSLATIONS / "messages.pot"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True,
                   cwd=ROOT)


@main.group()
def translations() -> None:
    """Extract, update and compile the interface's message catalogs."""


@translations.command("extract")
def translations_extract() -> None:
    """Collect every marked string into messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "-o", str(POT), ".")


@translations.command("update")
def translations_update() -> None:
    """Merge messages.pot into every language's catalog."""
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching")


@translations.command("init")
@click.argument("locale")
def translations_init(locale: str) -> None:
    """Start a catalog for a new interface language."""
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale)


@translations.command("compile")
def translations_compile() -> None:
    """Compile every catalog (.po) into the binary form the app reads (.mo)."""
    if any(Path(TRANSLATIONS).glob("*/LC_MESSAGES/messages.po")):
        _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--include-exports", is_flag=True,
              help="Also put the files of exports/ in the archive (by default only their "
              "names, sizes and checksums).")
def backup(path: Path, include_exports: bool) -> None:
    """Write a consistent backup of the whole database (safe while the app runs)."""
    from datetime import UTC, datetime

    from .backup import create_backup
    from .errors import UserError

    # No migration first: a backup taken before an upgrade must show the old schema.
    app = _app()
    if path.is_dir():
        path = path / f"glossary-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.zip"
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose another name.")
    with app.app_context():
        try:
            manifest = create_backup(
                _engine(app), path, exports_dir=Path(app.config["EXPORTS_DIR"]),
                include_exports=include_exports,
                progress=lambda table, rows: click.echo(f"  {table:<24} {rows:>8} rows"))
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            _engine(app).dispose()
    click.echo(f"Backup written: {path} (schema {', '.join(manifest['schema']['revisions'])}, "
               f"{len(manifest['exports']['files'])} export files listed)")


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace everything in a database that is not empty.")
def restore(path: Path, force: bool) -> None:
    """Restore a backup into an empty database (SQLite or PostgreSQL)."""
    from .backup import restore_backup
    from .errors import UserError

    app = _app()
    with app.app_context():
        try:
            summary = restore_backup(
                _engine(app), path, force=force, exports_dir=Path(app.config["EXPORTS_DIR"]),
                progress=lambda table, rows: click.echo(f"  {table:<24} {rows:>8} rows"))
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            _engine(app).dispose()
    url = _engine(app).url.render_as_string(hide_password=True)
    click.echo(f"Restored {sum(summary['tables'].values())} rows into {url} (backup schema "
               f"{', '.join(summary['revisions'])}; now at the current version).")



# --- groups: session packs and handouts ----------------------------------------------


def _pack_summary(pack) -> str:
    draft = ", DRAFT" if pack.draft else ""
    return (f"pack {pack.id} for {pack.target_language}, hash {pack.content_hash}, "
            f"{pack.agreed_count}/{pack.concept_count} concepts agreed{draft}")


@main.group()
def pack() -> None:
    """Freeze a group's agreed wording into session packs."""


@pack.command("create")
@click.option("--group", "group_ref", required=True, help="The group's name or id.")
@click.option("--language", required=True, help="Target language tag, e.g. ar or fa-AF.")
@click.option("--draft", is_flag=True, help="Freeze although concepts are not agreed; "
              "every page printed from it is marked DRAFT.")
def pack_create(group_ref: str, language: str, draft: bool) -> None:
    """Freeze the group's wording for a language; refused while it is not ready."""
    from .errors import UserError
    from .groups import create_pack, find_group
    from .languages import canonical_tag

    with app_session() as (_app, session):
        try:
            group = find_group(session, group_ref)
            created = create_pack(session, group=group, language=canonical_tag(language),
                                  person=None, draft=draft)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{group.name}: {_pack_summary(created)}.")


@export.command("handout")
@click.option("--group", "group_ref", required=True, help="The group's name or id.")
@click.option("--language", required=True, help="Target language tag, e.g. ar or fa-AF.")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: a name in the exports folder).")
@click.option("--pack", "pack_id", type=int, default=None,
              help="Print from this pack instead of the language's newest.")
@click.option("--kind", type=click.Choice(["glossary", "rules"]), default="glossary",
              show_default=True, help="The glossary sheet or the ground-rules handout.")
def export_handout(group_ref, language, fmt, output, pack_id, kind) -> None:
    """Print a handout of a group from its newest session pack (or --pack)."""
    from .errors import UserError
    from .exports.handouts import (
        handout_filename,
        handout_for,
        language_describer,
        render_handout,
    )
    from .groups import find_group, get_pack, latest_pack, readiness
    from .languages import canonical_tag

    with app_session() as (app, session):
        try:
            group = find_group(session, group_ref)
            tag = canonical_tag(language)
            chosen = get_pack(session, group, pack_id) if pack_id else latest_pack(
                session, group, tag)
            if chosen is None:
                pair = readiness(session, group, [tag])[0]
                state = ("ready" if pair.ready else
                         f"not ready, {pair.agreed} of {pair.needed} concepts agreed")
                raise click.ClickException(
                    f"{group.name} has no session pack for {tag} yet ({state}). Freeze one "
                    f"with: glossary pack create --group \"{group.name}\" --language {tag}"
                    + ("" if pair.ready else " --draft"))
            if chosen.target_language != tag:
                raise click.ClickException(
                    f"Pack {chosen.id} is for {chosen.target_language}, not {tag}.")
            describe = language_describer(session, group.working_language)
            handout = handout_for(chosen, group_name=group.name, start_date=group.start_date,
                                  describe=describe)
            data = render_handout(handout, kind=kind, fmt=fmt, describe=describe)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        path = output or Path(app.config["EXPORTS_DIR"]) / handout_filename(handout, kind, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        click.echo(f"Wrote {path} ({_pack_summary(chosen)}).")


@main.command("search")
@click.argument("query")
@click.option("--language", default="", help="Only texts in this language (BCP 47 tag), and "
              "back-translations of its renderings.")
@click.option("--domain", default="", help="Only concepts of this domain (its key).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
def search_command(query: str, language: str, domain: str, limit: int, as_json: bool) -> None:
    """Search every term, rendering, back-translation and definition (typos allowed)."""
    import json

    from sqlmodel import select

    from .errors import InputError
    from .languages import canonical_tag
    from .models import Domain
    from .search import search

    with app_session() as (app, session):
        try:
            tag = canonical_tag(language) if language else None
        except InputError as exc:
            raise click.ClickException(str(exc)) from None
        domain_id = None
        if domain:
            domain_id = session.exec(select(Domain.id).where(Domain.key == domain)).first()
            if domain_id is None:
                raise click.ClickException(f"No domain with the key “{domain}”.")
        hits = search(session, query, working=app.config["WORKING_LANGUAGE"], language=tag,
                      domain_id=domain_id, limit=limit)
    if as_json:
        click.echo(json.dumps([{"concept_key": h.concept_key, "language": h.language,
                                "text": h.text, "score": h.score, "match": h.match,
                                "field": h.field, "source_text": h.source_text}
                               for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"Nothing found for “{query}”.")
        return
    for hit in hits:
        click.echo(f"{hit.score:5.1f}  {hit.match:<6} {hit.language:<8} {hit.concept_key:<28} "
                   f"{hit.text}" + ("" if hit.field == "term" else f"  [{hit.field}]"))


@main.command("check")
@click.option("--pair", required=True, help="Source and target language, e.g. en:ar (the "
              "source is the working language).")
@click.option("--source", "source_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The working-language text (.txt or .docx).")
@click.option("--target", "target_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Its translation (.txt or .docx).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check_command(pair: str, source_file: Path, target_file: Path, as_json: bool) -> None:
    """Check a text and its translation against the glossary's agreed renderings."""
    import json

    from .errors import UserError
    from .languages import canonical_tag
    from .qa import check_pair, clean_check_text, read_text_file, summarise

    with app_session() as (app, session):
        working = app.config["WORKING_LANGUAGE"]
        try:
            source_tag, _sep, target_tag = pair.partition(":")
            source_tag, target_tag = canonical_tag(source_tag), canonical_tag(target_tag)
            if source_tag != working:
                raise click.ClickException(
                    f"The source must be the working language ({working}), e.g. "
                    f"--pair {working}:ar.")
            texts = [clean_check_text(read_text_file(path.name, path.read_bytes()),
                                      label=path.name)
                     for path in (source_file, target_file)]
            findings = check_pair(session, source_text=texts[0], target_text=texts[1],
                                  source_language=source_tag, target_language=target_tag)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    summary = summarise(findings)
    if as_json:
        click.echo(json.dumps({"pair": f"{source_tag}:{target_tag}", "summary": summary,
                               "findings": [f.as_dict() for f in findings]},
                              ensure_ascii=False, indent=2))
        return
    for finding in findings:
        used = ", ".join(a for r in finding.renderings for a in r.found_as) or "-"
        bad = ", ".join(a for r in finding.avoid + finding.vulgar for a in r.found_as)
        click.echo(f"{finding.concept_key:<28} {finding.state:<12} "
                   f"source: {', '.join(finding.found_in_source) or '-'} | "
                   f"translation: {used}" + (f" | avoid/vulgar: {bad}" if bad else "")
                   + (f"  [{', '.join(finding.problems)}]" if finding.problems else ""))
    click.echo(f"{summary['concepts']} concepts found, {summary['agreed']} agreed, "
               f"{summary['agreed_rendering_found']} with the agreed rendering; problems: "
               f"{summary['missing_rendering']} missing, {summary['avoid_used']} avoid, "
               f"{summary['vulgar_used']} vulgar, {summary['not_agreed']} not agreed.")

if __name__ == "__main__":
    main()
