"""Search (full page, live results for the header box), "did you mean" warnings for the
concept and rendering forms, and the terminology check page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from .. import htmx, languages, qa
from .. import search as service
from ..audio.store import wording_audio
from ..db import get_session
from ..errors import InputError
from ..i18n import _l
from ..listing import ordered_domains
from ..search.similarity import explain
from ..text import clean_text, noticing
from ..uploads import UploadLimits
from .concepts import known_languages
from .helpers import language_info, login_required, working_language

bp = Blueprint("search", __name__)

LIVE_LIMIT = 8
PROBLEM_LABELS = {
    "not_agreed": _l("Not agreed for this pair"),
    "missing_rendering": _l("Agreed rendering not used"),
    "avoid_used": _l("“Avoid” rendering used"),
    "vulgar_used": _l("Vulgar rendering used"),
}
FIELD_LABELS = {
    "term": _l("rendering"),
    "paraphrase": _l("paraphrase"),
    "back_translation": _l("back-translation"),
    "definition": _l("definition"),
    "explanation": _l("explanation for participants"),
}


def _query(name: str = "q", *, max_length: int = 200) -> str:
    return clean_text(request.args.get(name), label=_l("Search"), field=name,
                      max_length=max_length, required=False)


def _language_filter(value: str | None) -> str | None:
    """A language tag from the query string, or None when it is missing or malformed."""
    try:
        return languages.canonical_tag(value) if value else None
    except InputError:
        return None


@bp.route("/search")
@login_required
def search_page():
    """Search every text of the glossary; filters for language and domain. An htmx
    request gets the results alone (``live=1``: the few shown under the header box)."""
    db = get_session()
    working = working_language()
    error = None
    try:
        q = _query()
    except InputError as exc:
        q, error = "", exc
    language = _language_filter(request.args.get("language"))
    domain_id = request.args.get("domain", type=int)
    live = bool(htmx) and request.args.get("live") == "1"
    limit = LIVE_LIMIT if live else min(max(request.args.get("limit", 25, type=int), 1), 100)
    hits = service.search(db, q, working=working, language=language, domain_id=domain_id,
                          limit=limit) if q else []
    domains = {} if live else {d.id: d for d in ordered_domains(db)}
    context = dict(q=q, hits=hits, live=live, error=error, field_labels=FIELD_LABELS,
                   filters=dict(language=language or "", domain=domain_id), domains=domains,
                   recordings=wording_audio(db, [hit.term_id for hit in hits]))
    if htmx:
        return render_template("partials/_search_results.html", **context)
    # The full page: filter choices. Languages come from the index (no scan of the
    # terms table); the working language first.
    tags = service.get_index(db, working=working).languages - {working}
    context["languages"] = [working, *sorted(tags, key=lambda t: str(language_info(t).name))]
    return render_template("search/index.html", **context)


@bp.route("/search/similar")
@login_required
def similar():
    """Existing renderings near a wording being typed in a concept or rendering form
    ("did you mean"), in the same language, and warnings about the wording itself
    (look-alike letters of another script, invisible characters); the form's field is
    ``text`` or ``source_text``. An htmx request gets the list alone."""
    db = get_session()
    working = working_language()
    raw = request.args.get("text") or request.args.get("source_text") or ""
    # What saving would change or warn about (invisible characters, look-alike letters)
    # is shown with the hints, before the person saves.
    with noticing() as notices:
        try:
            text = clean_text(raw, label=_l("Wording"), max_length=500, required=False)
        except InputError as exc:
            text = ""
            notices.append(exc.message)
    language = _language_filter(request.args.get("language")) or working
    exclude = request.args.get("exclude_term", type=int)
    hits = service.near_duplicates(db, text, working=working, language=language,
                                   exclude_term_id=exclude) if len(text) >= 2 else []
    context = dict(hits=hits, text=text, language=language, notices=notices,
                   concept_id=request.args.get("concept", type=int), explain=explain)
    if htmx:
        return render_template("partials/_duplicates.html", **context)
    return render_template("search/similar.html", **context)


def _side(name: str, label) -> str:
    """The text of one side of the check: an uploaded file wins over pasted text."""
    upload = request.files.get(f"{name}_file")
    if upload is not None and upload.filename:
        raw = qa.read_text_file(upload.filename, upload.read(),
                                limits=UploadLimits.from_config(current_app.config))
    else:
        raw = request.form.get(f"{name}_text", "")
    return qa.clean_check_text(raw, label=label)


@bp.route("/check", methods=["GET", "POST"])
@login_required
def check():
    """Check a working-language text and its translation against the glossary: the
    concepts the text uses, whether the translation uses the agreed renderings, and any
    "avoid" or vulgar rendering in it. Texts are pasted or uploaded (.docx, .txt)."""
    db = get_session()
    working = working_language()
    targets = known_languages(db)
    target = request.values.get("target_language") or (targets[0] if targets else "")
    findings = summary = error = None
    form = {"source_text": "", "target_text": ""}
    if request.method == "POST":
        form = {"source_text": request.form.get("source_text", ""),
                "target_text": request.form.get("target_text", "")}
        try:
            if target not in targets:
                raise InputError(_l("Choose the language of the translation."),
                                 field="target_language")
            source_text = _side("source", _l("Source text"))
            target_text = _side("target", _l("Translation"))
            form = {"source_text": source_text, "target_text": target_text}
            findings = qa.check_pair(db, source_text=source_text, target_text=target_text,
                                     source_language=working, target_language=target)
            summary = qa.summarise(findings)
        except InputError as exc:
            error = exc
    term_ids = [r.term_id for f in findings or [] for r in f.renderings]
    return render_template("search/check.html", targets=targets, target=target, form=form,
                           findings=findings, summary=summary, error=error,
                           recordings=wording_audio(db, term_ids),
                           problem_labels=PROBLEM_LABELS,
                           max_chars=qa.MAX_TEXT_CHARS), (400 if error else 200)
