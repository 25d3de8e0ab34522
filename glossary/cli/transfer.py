"""Moving data in and out whole: ``import`` of a TBX, CSV or XLSX glossary, ``backup``
and ``restore``."""

from __future__ import annotations

from pathlib import Path

import click

from . import _engine, app_session, main, new_app, release


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


def _echo_mapping(mapping) -> None:
    """Print what each column was read as."""
    for sheet in mapping.sheets:
        title = f"Sheet {sheet.name}" if sheet.name else "Columns"
        click.echo(f"{title}{' (skipped)' if sheet.skip else ''}"
                   f"{'' if sheet.has_header else ' (no header row)'}:")
        for index, role in enumerate(sheet.roles):
            click.echo(f"  {sheet.label(index)} = {role}")


@main.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "xlsx"]), default=None,
              help="Default: from the file name or content.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--domain", default=None, help="Domain key for entries that name none.")
@click.option("--map", "columns", default="",
              help="CSV/XLSX: what columns hold, e.g. 'English Term=term:en,Persian Term=fa,"
              "Notes=note,Wikipedia=ignore' (a column by its header or number from 1).")
@click.option("--languages", default="",
              help="CSV/XLSX: the languages of the columns still without one, in order "
              "(a headerless two-column file: 'en,fr'; 'source,target': 'en,ar').")
def import_command(path: Path, fmt, dry_run: bool, domain, columns: str,
                   languages: str) -> None:
    """Import a TBX, CSV, TSV or XLSX glossary (or a data/terms folder), as one
    transaction. A spreadsheet's columns are recognised from its header (printed); a
    column whose language cannot be told must be given with --map or --languages."""
    from sqlmodel import select

    from ..concepts import custom_languages
    from ..errors import UserError
    from ..importers.mapping import apply_overrides, parse_overrides
    from ..importers.plan import Source, apply_import, build_plan
    from ..models import Domain
    from ..uploads import UploadLimits

    with app_session() as (app, session):
        working = app.config["WORKING_LANGUAGE"]
        try:
            source = Source(path, working=working, fmt=fmt,
                            domain_keys=session.exec(select(Domain.key)).all(),
                            limits=UploadLimits.from_config(app.config),
                            custom=custom_languages(session))
            source.mapping = source.guess()
            if source.mapping is not None:
                tags = [t.strip() for t in languages.split(",") if t.strip()]
                apply_overrides(source.mapping, parse_overrides(columns), tags,
                                working=working)
                _echo_mapping(source.mapping)
            run = build_plan if dry_run else apply_import
            plan = run(session, entries=source, source=source.name, working=working,
                       default_domain=domain, domain_names=source.domain_names)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        plan.dialect = source.dialect
    _echo_plan(plan)
    click.echo("Dry run: nothing was written." if dry_run else
               f"Imported: {plan.changes} changes written in one transaction.")


def _echo_rows(table: str, rows: int) -> None:
    """Progress of a backup or restore: one line per table."""
    click.echo(f"  {table:<24} {rows:>8} rows")


@main.command()
@click.argument("path", required=False)
@click.option("--include-exports", is_flag=True,
              help="Also put the files of exports/ in the archive (by default only their "
              "names, sizes and checksums).")
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="After writing, keep only the N newest glossary-*.zip archives of the "
              "folder (other files are left alone).")
@click.option("--verify", "verify", type=click.Path(exists=True, dir_okay=False,
                                                    path_type=Path),
              help="Instead of writing a backup, restore ARCHIVE into a scratch database "
              "and compare every table's row count and content hash.")
@click.option("--scratch-url", default=None,
              help="With --verify: an empty database to restore into (default: a "
              "temporary SQLite file).")
def backup(path: str | None, include_exports: bool, keep: int | None, verify: Path | None,
           scratch_url: str | None) -> None:
    """Write a consistent backup of the whole database (safe while the app runs).

    PATH is a file, or a folder (an existing one, or any path ending in /, created
    when missing) in which a timestamped archive is made. Archives are readable by
    their owner only."""
    if verify is not None:
        if path or keep or include_exports:
            raise click.UsageError("--verify takes the archive alone.")
        _verify(verify, scratch_url)
        return
    if not path:
        raise click.UsageError("Give the file or folder to write the backup to.")
    _write_backup(path, include_exports=include_exports, keep=keep)


def _write_backup(path: str, *, include_exports: bool, keep: int | None) -> None:
    """Write one archive to ``path`` (a folder gets a timestamped name), then prune."""
    import os
    from datetime import UTC, datetime

    from ..backup import create_backup
    from ..backup.write import archive_name, prune_backups
    from ..errors import UserError

    target = Path(path)
    # A trailing slash says "folder": make it, instead of writing a file of that name.
    if path.endswith(("/", os.sep)) or target.is_dir():
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = target / archive_name(datetime.now(UTC))
    if target.exists():
        raise click.ClickException(f"{target} already exists; choose another name.")
    # No migration first: a backup taken before an upgrade must show the old schema.
    app = new_app()
    with app.app_context():
        try:
            manifest = create_backup(
                _engine(app), target, exports_dir=Path(app.config["EXPORTS_DIR"]),
                include_exports=include_exports,
                progress=_echo_rows)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            release(app)
    click.echo(f"Backup written: {target} (schema "
               f"{', '.join(manifest['schema']['revisions'])}, "
               f"{len(manifest['exports']['files'])} export files listed)")
    if keep:
        for removed in prune_backups(target.parent, keep=keep):
            click.echo(f"Removed old backup: {removed}")


def _verify(archive: Path, scratch_url: str | None) -> None:
    """Test-restore ``archive`` and print the report; exit 1 when anything differs."""
    from ..backup.verify import verify_backup
    from ..errors import UserError

    with new_app().app_context():  # messages and settings; the app's database is not used
        try:
            report = verify_backup(archive, scratch_url=scratch_url)
        except UserError as exc:
            raise click.ClickException(f"{archive} cannot be restored: {exc}") from None
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise SystemExit(1)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace everything in a database that is not empty.")
@click.option("--repair", is_flag=True,
              help="Store the agreement states the archive's signatures give, where its "
              "stored states disagree (they are listed); without it such an archive is "
              "refused.")
def restore(path: Path, force: bool, repair: bool) -> None:
    """Restore a backup into an empty database (SQLite or PostgreSQL)."""
    from ..backup import restore_backup
    from ..errors import UserError

    app = new_app()
    with app.app_context():
        try:
            summary = restore_backup(
                _engine(app), path, force=force, repair=repair,
                exports_dir=Path(app.config["EXPORTS_DIR"]), progress=_echo_rows)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            release(app)
        if summary["repaired"]:
            click.echo(f"Corrected {len(summary['repaired'])} stored states that disagreed "
                       "with their signatures:")
            for mismatch in summary["repaired"]:
                click.echo(f"  {mismatch}")
    url = _engine(app).url.render_as_string(hide_password=True)
    click.echo(f"Restored {sum(summary['tables'].values())} rows into {url} (backup schema "
               f"{', '.join(summary['revisions'])}; now at the current version).")
