"""Looking terms up: ``search`` across the glossary, and ``check`` of a text and its
translation against the agreed renderings."""

from __future__ import annotations

from pathlib import Path

import click

from . import app_session, main


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

    from ..errors import InputError
    from ..languages import canonical_tag
    from ..models import Domain
    from ..search import search

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

    from ..errors import UserError
    from ..languages import canonical_tag
    from ..qa import check_pair, clean_check_text, read_text_file, summarise

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
