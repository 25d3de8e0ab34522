"""An import's preview (dry run), the choices made on it, and its confirmation.

A CSV or XLSX file's preview starts with its column mapping: how each column was
understood, with a role and a language per column that the person may change (the
preview follows each change, in place with htmx or by posting the form). A column whose
language nobody knows waits for the person: no plan is shown until it is chosen or
ignored. A possible duplicate may be merged into an existing concept with the same
wording; nothing is merged unless chosen. The choices are kept with the pending upload,
so the confirmation writes exactly the previewed plan (its digest is checked).
"""

from __future__ import annotations

from flask import flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select as sa_select

from .. import htmx
from ..concepts import custom_languages
from ..db import get_session
from ..errors import UserError
from ..importers.mapping import MappingError, TableMapping
from ..importers.plan import apply_import, build_plan
from ..importers.review import (
    ROLE_KINDS,
    ROLE_LABELS,
    column_samples,
    mapping_of,
    merge_candidates,
    merge_rows,
    read_form,
    read_merges,
    role_parts,
)
from ..importers.saved_mappings import delete_mapping, save_mapping, saved_mappings
from ..models import Term
from ..models.uploads import ImportMapping
from ..page_nonce import send_nonce
from ..uploads import discard_upload, record_choices, upload_file
from .helpers import roles_required, working_language
from .imports import _pending, _source, _upload_page, bp


def _language_options(db, mapping: TableMapping | None) -> list[str]:
    """Tags offered in the language fields: the working language, the glossary's
    languages and those the file's columns were given."""
    tags = [working_language()] + sorted(set(db.execute(
        sa_select(Term.language).distinct()).scalars()) | set(custom_languages(db)))
    for sheet in mapping.sheets if mapping else []:
        tags += [role_parts(r)[1] for r in sheet.roles if role_parts(r)[1] not in ("", "?")]
    return list(dict.fromkeys(tags))


def _render(token: str, *, errors: list[str] | None = None):
    """The preview page (or, for htmx, its body) with the upload's current choices."""
    pending = _pending(token)
    db = get_session()
    errors = list(errors or [])
    plan, heads = None, []
    try:
        with upload_file(pending) as path:
            source = _source(pending, path)
            mapping = mapping_of(db, pending, source)
            heads = source.head()
            if mapping is None or not mapping.missing():
                source.mapping = mapping
                try:
                    plan = build_plan(db, entries=source, source=pending.name,
                                      working=working_language(), person=g.person,
                                      default_domain=pending.domain,
                                      domain_names=source.domain_names,
                                      merges=pending.merges)
                    plan.dialect = source.dialect
                except MappingError as exc:
                    errors.append(str(exc))
    except UserError as exc:
        db.rollback()
        discard_upload(db, token=token, person=g.person)
        return _upload_page(str(exc))
    candidates = merge_candidates(db, working=working_language(), texts=[
        c.text for kind in ("possible_duplicate", "merged") for c in plan.items[kind]]
    ) if plan else {}
    sheets = []
    for number, sheet in enumerate(mapping.sheets if mapping else []):
        rows = heads[number][1] if number < len(heads) else []
        width = len(sheet.roles)
        sheets.append({"number": number, "sheet": sheet,
                       "samples": column_samples(rows, sheet.has_header, width),
                       "roles": [role_parts(r) for r in sheet.roles]})
    signature = mapping.signature() if mapping else ""
    context = {
        "token": token, "plan": plan, "mapping": mapping, "sheets": sheets,
        "errors": errors, "role_labels": ROLE_LABELS,
        "merge_rows": merge_rows(plan, candidates, pending.merges or {}) if plan else {},
        "role_kinds": ROLE_KINDS, "languages": _language_options(db, mapping),
        "saved": saved_mappings(db, signature=signature), "signature": signature,
        "meta": {"name": pending.name, "fmt": pending.fmt, "domain": pending.domain}}
    if htmx:
        return send_nonce(make_response(render_template("imports/_preview.html", **context)))
    return render_template("imports/preview.html", **context), 400 if errors else 200


@bp.get("/<token>")
@roles_required("facilitator", "admin")
def preview(token: str):
    """What the import would change; nothing is written until it is confirmed."""
    return _render(token)


@bp.post("/<token>/choices")
@roles_required("facilitator", "admin")
def choose(token: str):
    """Keep the mapping and merge choices of the posted preview form, then show the
    preview again with them."""
    pending = _pending(token)
    db = get_session()
    errors: list[str] = []
    mapping = None
    if pending.fmt != "tbx":
        with upload_file(pending) as path:
            try:
                mapping = mapping_of(db, pending, _source(pending, path))
            except UserError as exc:
                return _upload_page(str(exc))
    if mapping is not None:
        choices = read_form(request.form, mapping, custom=custom_languages(db))
        errors = choices.errors
    texts = request.form.getlist("merge_text")
    merges = read_merges(request.form, merge_candidates(db, working=working_language(),
                                                        texts=texts))
    record_choices(db, upload=pending, merges=merges,
                   mapping=mapping.to_dict() if mapping else None)
    if htmx or errors:
        return _render(token, errors=errors)
    return redirect(url_for("imports.preview", token=token))


@bp.post("/<token>/mapping/use")
@roles_required("facilitator", "admin")
def use_mapping(token: str):
    """Apply a saved mapping to this file's columns."""
    pending = _pending(token)
    db = get_session()
    saved = db.get(ImportMapping, request.form.get("saved_id", type=int) or 0)
    if saved is not None:
        with upload_file(pending) as path:
            source = _source(pending, path)
            pending.mapping = None
            mapping = mapping_of(db, pending, source)
        if mapping is not None:
            read_form(request.form, mapping, custom={}, saved=saved)
            record_choices(db, upload=pending, mapping=mapping.to_dict(),
                           merges=pending.merges)
    return redirect(url_for("imports.preview", token=token))


@bp.post("/<token>/mapping/save")
@roles_required("facilitator", "admin")
def save(token: str):
    """Save the file's current mapping under a name, for the next file."""
    pending = _pending(token)
    db = get_session()
    with upload_file(pending) as path:
        mapping = mapping_of(db, pending, _source(pending, path))
    if mapping is not None:
        try:
            row = save_mapping(db, name=request.form.get("name", ""), mapping=mapping,
                               person=g.person)
        except UserError as exc:
            return _render(token, errors=[str(exc)])
        mapping.saved_as = row.name
        record_choices(db, upload=pending, mapping=mapping.to_dict(), merges=pending.merges)
        flash(_("The mapping was saved as “%(name)s”.", name=row.name), "success")
    return redirect(url_for("imports.preview", token=token))


@bp.post("/<token>/confirm")
@roles_required("facilitator", "admin")
def confirm(token: str):
    """Apply the previewed import, with its choices, in one transaction."""
    pending = _pending(token)
    name = pending.name
    db = get_session()
    try:
        with upload_file(pending) as path:
            source = _source(pending, path)
            source.mapping = mapping_of(db, pending, source)
            plan = apply_import(db, entries=source, source=name, working=working_language(),
                                person=g.person, default_domain=pending.domain,
                                domain_names=source.domain_names, merges=pending.merges,
                                expected_digest=request.form.get("digest", ""))
    except UserError as exc:
        flash(str(exc), "error")
        return redirect(url_for("imports.preview", token=token))
    discard_upload(db, token=token, person=g.person)
    flash(" ".join((
        _("Imported %(name)s:", name=name),
        ngettext("%(num)d change,", "%(num)d changes,", plan.changes),
        ngettext("%(num)d conflict left as it was,", "%(num)d conflicts left as they were,",
                 plan.counts["conflict"]),
        ngettext("%(num)d entry skipped.", "%(num)d entries skipped.",
                 plan.counts["skipped"]))), "success")
    return redirect(url_for("imports.upload"))


@bp.post("/<token>/mapping/delete")
@roles_required("facilitator", "admin")
def delete_saved(token: str):
    """Delete the chosen saved mapping (this file keeps the columns it has)."""
    _pending(token)
    try:
        name = delete_mapping(get_session(), mapping_id=request.form.get("saved_id", type=int)
                              or 0, person=g.person)
    except UserError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The saved mapping “%(name)s” was deleted.", name=name), "success")
    return redirect(url_for("imports.preview", token=token))
