"""A concept's history: versions, signatures, disputes and events told as sentences."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from sqlmodel import select

from ..audit_text import tell_all
from ..db import get_session
from ..models import Agreement, AuditEvent, Dispute, Person, Signature, Term, TermVersion
from .concepts import bp, get_concept_or_404
from .helpers import language_info, login_required


@bp.route("/concepts/<int:concept_id>/history")
@login_required
def concept_history(concept_id: int):
    """Every version of every rendering, every signature with the wording it was bound
    to, disputes and audit events of the concept."""
    db = get_session()
    concept = get_concept_or_404(concept_id)
    terms = db.exec(select(Term).where(Term.concept_id == concept.id)
                    .order_by(Term.language, Term.id)).all()
    term_ids = [t.id for t in terms] or [0]
    versions = db.exec(select(TermVersion).where(TermVersion.term_id.in_(term_ids))
                       .order_by(TermVersion.term_id, TermVersion.version.desc())).all()
    agreements = {a.id: a for a in
                  db.exec(select(Agreement).where(Agreement.concept_id == concept.id))}
    agreement_ids = list(agreements) or [0]
    signatures = db.exec(select(Signature).where(Signature.agreement_id.in_(agreement_ids))
                         .order_by(Signature.id.desc())).all()
    disputes = db.exec(select(Dispute).where(Dispute.agreement_id.in_(agreement_ids))
                       .order_by(Dispute.id.desc())).all()
    events = db.exec(select(AuditEvent).where(
        ((AuditEvent.entity == "concept") & (AuditEvent.entity_id == concept.id))
        | ((AuditEvent.entity == "term") & AuditEvent.entity_id.in_(term_ids))
        | ((AuditEvent.entity == "agreement") & AuditEvent.entity_id.in_(agreement_ids))
    ).order_by(AuditEvent.id.desc())).all()
    people = {p.id: p for p in db.exec(select(Person))}
    told = tell_all(db, events, people=people, nobody=gettext("An import or the demo"),
                    language_name=lambda tag: str(language_info(tag).name))
    return render_template(
        "concepts/history.html", concept=concept, terms={t.id: t for t in terms},
        versions=versions, agreements=agreements, signatures=signatures,
        disputes=disputes, events=told, people=people,
    )
