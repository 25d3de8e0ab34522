"""Sign, dispute and resolve: each returns the language panel in place for htmx, or
redirects back to the concept page for a plain form post."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import htmx
from .. import signoff as service
from ..db import get_session
from ..errors import UserError
from ..models import Agreement
from .concepts import get_concept_or_404
from .helpers import login_required, today, working_language
from .panels import build_panel, panel_languages

bp = Blueprint("signoff", __name__)


def _respond(concept, tag: str, *, message: str, kind: str):
    """The updated panel (htmx) or a redirect with a flashed message (plain post)."""
    if htmx:
        db = get_session()
        panel = build_panel(db, concept, tag, g.person, working_language())
        panel.message, panel.message_kind = message, kind
        return render_template("partials/_language_panel.html", panel=panel, announce=True)
    flash(message, kind)
    return redirect(url_for("concepts.concept_page", concept_id=concept.id, _anchor=f"lang-{tag}"))


def _act(concept_id: int, tag: str, action, success: str):
    db = get_session()
    concept = get_concept_or_404(concept_id)
    if tag not in panel_languages(db, concept, working_language()):
        abort(404)
    try:
        agreement = service.get_or_create_agreement(
            db, concept_id=concept.id, source=working_language(), target=tag)
        db.commit()
        action(db, agreement)
    except UserError as exc:
        db.rollback()
        return _respond(concept, tag, message=str(exc), kind="error")
    return _respond(concept, tag, message=success, kind="success")


@bp.post("/concepts/<int:concept_id>/languages/<tag>/sign")
@login_required
def sign(concept_id: int, tag: str):
    """Sign the wording the signer saw (its fingerprint comes with the form)."""
    role = request.form.get("role", "")

    def action(db, agreement: Agreement):
        service.sign(db, agreement=agreement, person=g.person, role=role,
                     seen_fingerprint=request.form.get("fingerprint", ""), today=today(),
                     validity_months=current_app.config["TRAINING_VALIDITY_MONTHS"])

    return _act(concept_id, tag, action, _("Signed."))


@bp.post("/concepts/<int:concept_id>/languages/<tag>/dispute")
@login_required
def dispute(concept_id: int, tag: str):
    """Object to the rendering with a comment."""

    def action(db, agreement: Agreement):
        service.raise_dispute(db, agreement=agreement, person=g.person,
                              comment=request.form.get("comment", ""))

    return _act(concept_id, tag, action,
                _("Dispute recorded; agreement is blocked until resolved."))


@bp.post("/concepts/<int:concept_id>/languages/<tag>/resolve")
@login_required
def resolve(concept_id: int, tag: str):
    """Close the open dispute with a resolution note."""

    def action(db, agreement: Agreement):
        service.resolve_dispute(db, agreement=agreement, person=g.person,
                                resolution=request.form.get("resolution", ""))

    return _act(concept_id, tag, action, _("Dispute resolved."))
