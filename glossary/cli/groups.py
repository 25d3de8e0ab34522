"""Groups on the command line: ``pack create`` freezes a group's agreed wording into a
session pack, ``export handout`` prints a handout from one."""

from __future__ import annotations

from pathlib import Path

import click

from . import app_session, main
from .exports import export


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
    from ..errors import UserError
    from ..groups import create_pack, find_group
    from ..languages import canonical_tag

    with app_session() as (_app, session):
        try:
            group = find_group(session, group_ref)
            created = create_pack(session, group=group, language=canonical_tag(language),
                                  person=None, draft=draft)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{group.name}: {_pack_summary(created)}.")


def _has_text(pack, kind: str) -> bool:
    return any(text["kind"] == kind for text in pack.content.get("handouts", []))


@export.command("handout")
@click.option("--group", "group_ref", required=True, help="The group's name or id.")
@click.option("--language", required=True, help="Target language tag, e.g. ar or fa-AF.")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: a name in the exports folder).")
@click.option("--pack", "pack_id", type=int, default=None,
              help="Print from this pack instead of the language's newest.")
@click.option("--kind", type=click.Choice(["glossary", "participant", "rules", "programme",
                                           "confidentiality", "help"]),
              default="glossary", show_default=True,
              help="glossary: the staff glossary sheet; participant: the participants' "
              "glossary; rules, programme, confidentiality, help: the group's handout text "
              "in the participants' language first (a group without a ground-rules text "
              "prints the file template in data/handouts/).")
@click.option("--easy-read", is_flag=True, help="Participant handouts: larger text, short "
              "lines, generous spacing and the chosen pictograms.")
@click.option("--layout", type=click.Choice(["lines", "columns"]), default="lines",
              show_default=True, help="Participant handouts: the working language as a "
              "smaller second line, or in a facing column.")
def export_handout(group_ref, language, fmt, output, pack_id, kind, easy_read, layout) -> None:
    """Print a handout of a group from its newest session pack (or --pack)."""
    from ..errors import UserError
    from ..exports.handouts import (
        handout_filename,
        handout_for,
        language_describer,
        render_handout,
    )
    from ..exports.participant import participant_filename, render_participant
    from ..groups import find_group, get_pack, latest_pack, readiness
    from ..languages import canonical_tag

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
            name = handout_filename(handout, kind, fmt)
            if kind == "glossary" or (kind == "rules" and not _has_text(chosen, kind)):
                data = render_handout(handout, kind=kind, fmt=fmt, describe=describe)
            else:
                data = render_participant(handout, kind=kind, fmt=fmt, layout=layout,
                                          easy=easy_read)
                name = participant_filename(handout, kind, fmt, easy=easy_read)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        path = output or Path(app.config["EXPORTS_DIR"]) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        click.echo(f"Wrote {path} ({_pack_summary(chosen)}).")
