"""Concept list, concept page, concept and rendering forms, history."""

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
from sqlmodel import select

from .. import concepts as service
from ..db import get_session
from ..errors import Conflict, InputError
from ..listing import concept_filters, ordered_domains, page_of_concepts
from ..models import (
    Agreement,
    Concept,
    Domain,
    Term,
)
from ..proposing import agreed_pairs_touched, group_languages_of, proposable
from ..versioned_cache import cached
from .error_pages import forbid
from .helpers import (
    custom_language_map,
    language_info,
    login_required,
    page_count,
    past_the_last_page,
    working_language,
)
from .notices import training_notice_now
from .panels import build_panels, concept_terms

bp = Blueprint("concepts", __name__)


def _term_languages(session) -> frozenset[str]:
    return frozenset(session.exec(select(Term.language).distinct()))


def known_languages(session) -> list[str]:
    """Every language tag in use, for filters and forms (working language excluded).
    The tags of the terms are read once per glossary version: at 150,000 terms the
    distinct scan costs tens of milliseconds, too much for every page."""
    tags = set(cached(session, ("term-languages",), _term_languages))
    tags |= set(custom_language_map())
    tags.discard(working_language())
    return sorted(tags, key=lambda t: str(language_info(t).name))


def get_concept_or_404(concept_id: int) -> Concept:
    """The concept, or a 404 page."""
    concept = get_session().get(Concept, concept_id)
    if concept is None:
        abort(404)
    return concept


def get_term_or_404(term_id: int) -> Term:
    """The rendering, or a 404 page."""
    term = get_session().get(Term, term_id)
    if term is None:
        abort(404)
    return term


@bp.route("/")
@login_required
def index():
    """The start page is the concept list."""
    return redirect(url_for("concepts.concept_list"))


@bp.route("/concepts")
@login_required
def concept_list():
    """Concepts with filters (domain, language pair, state, text) and paging."""
    db = get_session()
    working = working_language()
    domain_id = request.args.get("domain", type=int)
    language = request.args.get("language") or ""
    if "language" not in request.args:
        # Start on the person's own pair: a mediator's language, else a language of
        # their groups (a facilitator's).
        language = next(iter([*g.person.language_list, *group_languages_of(db, g.person)]),
                        "")
    state = request.args.get("state") or ""
    text = (request.args.get("q") or "").strip()
    waiting = bool(request.args.get("waiting"))
    page = max(request.args.get("page", 1, type=int), 1)
    size = current_app.config["PAGE_SIZE"]

    filters = concept_filters(working, domain_id=domain_id, language=language, state=state,
                              text=text, waiting=waiting)
    domains = ordered_domains(db)
    listed = page_of_concepts(db, domains, filters, page=page, size=size)
    rows, total = listed.rows, listed.total
    pages = page_count(total, size)
    if (beyond := past_the_last_page(page, pages)) is not None:
        return beyond
    ids = [c.id for c, _d in rows] or [0]
    sources: dict[int, str] = {}
    for term in db.exec(select(Term).where(Term.concept_id.in_(ids), Term.language == working)
                        .order_by(Term.id)):
        sources.setdefault(term.concept_id, term.text)
    # A concept still waiting for its working-language wording: its other terms as a hint.
    hints: dict[int, list[Term]] = {}
    waiting_ids = [cid for cid in ids if cid and cid not in sources]
    if waiting_ids:
        for term in db.exec(select(Term).where(Term.concept_id.in_(waiting_ids))
                            .order_by(Term.language, Term.id)):
            hints.setdefault(term.concept_id, []).append(term)
    states: dict[int, str] = {}
    renderings: dict[int, list[Term]] = {}
    if language:
        for a in db.exec(select(Agreement).where(Agreement.concept_id.in_(ids),
                                                 Agreement.source_language == working,
                                                 Agreement.target_language == language)):
            states[a.concept_id] = a.state
        for term in db.exec(select(Term).where(Term.concept_id.in_(ids),
                                               Term.language == language).order_by(Term.id)):
            renderings.setdefault(term.concept_id, []).append(term)
    context = dict(
        rows=rows, sources=sources, hints=hints, states=states, renderings=renderings,
        total=total,
        page=page, pages=pages,
        domains=domains, languages=list(dict.fromkeys(
            [*known_languages(db), *([language] if language else [])])),
        filters=dict(domain=domain_id, language=language, state=state, q=text,
                     waiting=waiting),
    )
    return render_template("concepts/list.html", **context)


@bp.route("/concepts/<int:concept_id>")
@login_required
def concept_page(concept_id: int):
    """One concept: working-language wording and definition, then every language's
    renderings, agreement state and signatures."""
    db = get_session()
    concept = get_concept_or_404(concept_id)
    working = working_language()
    terms = concept_terms(db, concept)
    panels = build_panels(db, concept, g.person, working, terms=terms)
    sources = [term for term in terms if term.language == working]
    addable = proposable(db, g.person, working=working, taken={p.tag for p in panels},
                         known=known_languages(db),
                         sort_key=lambda t: str(language_info(t).name))
    return render_template("concepts/page.html", concept=concept, panels=panels,
                           sources=sources, domain=db.get(Domain, concept.domain_id),
                           training=training_notice_now(g.person),
                           addable=addable, not_started=", ".join(
                               str(language_info(t).name) for t in addable.own
                               if t in g.person.language_list))


@bp.route("/concepts/new", methods=["GET", "POST"])
@login_required
def concept_new():
    """Create a concept with its working-language wording (facilitators, admins)."""
    if not g.person.has_role("facilitator", "admin"):
        forbid("facilitator", "admin")
    error = None
    if request.method == "POST":
        db = get_session()
        try:
            data = service.parse_concept(request.form, session=db)
            concept = service.create_concept(db, data=data,
                                             source_text=request.form.get("source_text"),
                                             working=working_language(), person=g.person)
        except InputError as exc:
            error = exc
        else:
            return redirect(url_for("concepts.concept_page", concept_id=concept.id))
    return render_template("concepts/form.html", concept=None, form=request.form,
                           domains=ordered_domains(get_session()), error=error), (
        400 if error else 200)


@bp.route("/concepts/<int:concept_id>/edit", methods=["GET", "POST"])
@login_required
def concept_edit(concept_id: int):
    """Edit a concept's key, domain, definition, sensitivity, note and status."""
    concept = get_concept_or_404(concept_id)
    if not g.person.has_role("facilitator", "admin"):
        forbid("facilitator", "admin")
    error = None
    form = request.form if request.method == "POST" else concept.model_dump()
    if request.method == "POST":
        db = get_session()
        try:
            data = service.parse_concept(request.form, session=db, unstated=True)
            service.update_concept(db, concept=concept, data=data,
                                   seen_version=request.form.get("version", type=int) or 0,
                                   person=g.person)
        except (InputError, Conflict) as exc:
            error = exc
            concept = get_session().get(Concept, concept_id)
        else:
            return redirect(url_for("concepts.concept_page", concept_id=concept.id))
    return render_template("concepts/form.html", concept=concept, form=form,
                           domains=ordered_domains(get_session()), error=error), (
        409 if isinstance(error, Conflict) else 400 if error else 200)


@bp.route("/concepts/<int:concept_id>/terms/new", methods=["GET", "POST"])
@login_required
def term_new(concept_id: int):
    """Propose a rendering of the concept in a language."""
    db = get_session()
    concept = get_concept_or_404(concept_id)
    language = request.values.get("language", "")
    error = None
    if request.method == "POST":
        try:
            data = service.parse_term(request.form)
            term = service.propose_term(db, concept=concept, language=language, data=data,
                                        person=g.person, working=working_language())
        except InputError as exc:
            error = exc
        else:
            flash(_("Your rendering in %(language)s is saved: “%(text)s”. It now waits for "
                    "a facilitator and a mediator to sign it.",
                    language=language_info(term.language).name, text=term.text), "success")
            return redirect(url_for("concepts.concept_page", concept_id=concept.id,
                                    _anchor=f"lang-{language}"))
    return render_template("concepts/term_form.html", concept=concept, term=None,
                           language=language, form=request.form, error=error,
                           languages=known_languages(db),
                           beside=concept_terms(db, concept)), (400 if error else 200)


@bp.route("/terms/<int:term_id>/edit", methods=["GET", "POST"])
@login_required
def term_edit(term_id: int):
    """Edit a rendering; a save based on an outdated version is refused, both texts kept."""
    db = get_session()
    term = get_term_or_404(term_id)
    concept = get_concept_or_404(term.concept_id)
    error = conflict = None
    form = request.form if request.method == "POST" else term.model_dump()
    seen_version = term.version
    if request.method == "POST":
        seen_version = request.form.get("version", type=int) or 0
        try:
            data = service.parse_term(request.form, unstated=True)
            service.edit_term(db, term=term, data=data, seen_version=seen_version,
                              person=g.person, working=working_language())
        except Conflict as exc:
            error = conflict = exc
            term = db.get(Term, term_id)
            db.refresh(term)
        except InputError as exc:
            error = exc
        else:
            return redirect(url_for("concepts.concept_page", concept_id=concept.id,
                                    _anchor=f"lang-{term.language}"))
    status = 409 if conflict else 400 if error else 200
    agreed = agreed_pairs_touched(db, term, working=working_language())
    return render_template("concepts/term_form.html", concept=concept, term=term,
                           language=term.language, form=form, error=error, conflict=conflict,
                           seen_version=seen_version, languages=[], agreed_pairs=agreed,
                           beside=[t for t in concept_terms(db, concept) if t.id != term.id]
                           ), status

from . import history  # noqa: E402,F401  (its routes join this blueprint)
