"""Moving data in and out whole: ``import`` of a TBX, CSV or XLSX glossary, ``backup``
and ``restore``."""

from __future__ import annotations

from pathlib import Path

import click

from . import _engine, app_session, main, new_app


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

    from ..errors import UserError
    from ..importers.plan import Source, apply_import, build_plan
    from ..models import Domain
    from ..uploads import UploadLimits

    with app_session() as (app, session):
        working = app.config["WORKING_LANGUAGE"]
        try:
            source = Source(path, working=working, fmt=fmt,
                            domain_keys=session.exec(select(Domain.key)).all(),
                            limits=UploadLimits.from_config(app.config))
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
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--include-exports", is_flag=True,
              help="Also put the files of exports/ in the archive (by default only their "
              "names, sizes and checksums).")
def backup(path: Path, include_exports: bool) -> None:
    """Write a consistent backup of the whole database (safe while the app runs)."""
    from datetime import UTC, datetime

    from ..backup import create_backup
    from ..errors import UserError

    # No migration first: a backup taken before an upgrade must show the old schema.
    app = new_app()
    if path.is_dir():
        path = path / f"glossary-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.zip"
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose another name.")
    with app.app_context():
        try:
            manifest = create_backup(
                _engine(app), path, exports_dir=Path(app.config["EXPORTS_DIR"]),
                include_exports=include_exports,
                progress=_echo_rows)
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
            _engine(app).dispose()
        if summary["repaired"]:
            click.echo(f"Corrected {len(summary['repaired'])} stored states that disagreed "
                       "with their signatures:")
            for mismatch in summary["repaired"]:
                click.echo(f"  {mismatch}")
    url = _engine(app).url.render_as_string(hide_password=True)
    click.echo(f"Restored {sum(summary['tables'].values())} rows into {url} (backup schema "
               f"{', '.join(summary['revisions'])}; now at the current version).")
