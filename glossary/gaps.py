"""Where the organisation is not ready: the gap matrix (concepts x languages), stale and
at-risk agreements, open disputes and mediators' SGBV training.

Plain functions over a session, no request. Each one runs a fixed number of queries,
whatever the number of concepts or languages (no query per row or per cell).

A cell of the matrix is the state of the agreement between the working language and one
target language, with two states the stored agreement does not have: ``none`` (no
agreement, or nothing to agree on yet) and ``no_equivalent`` (agreed, but on a paraphrase
only: the language has no direct word for the concept).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, union
from sqlmodel import Session, select

from . import agreement as rules
from . import languages as language_registry
from .concepts import custom_languages
from .errors import InputError
from .models import (
    LIST_ORDER,
    Agreement,
    Concept,
    Dispute,
    Domain,
    Language,
    Person,
    Signature,
    Term,
)
from .text import choice

NONE, NO_EQUIVALENT = "none", "no_equivalent"
# Order of display: the best state first.
CELL_STATES = (rules.AGREED, NO_EQUIVALENT, rules.PROPOSED, rules.NEEDS_REVIEW,
               rules.DISPUTED, NONE)
COVERED = (rules.AGREED, NO_EQUIVALENT)
STATE_LABELS = {
    rules.AGREED: _l("Agreed"),
    NO_EQUIVALENT: _l("No direct equivalent"),
    rules.PROPOSED: _l("Proposed"),
    rules.NEEDS_REVIEW: _l("Needs review"),
    rules.DISPUTED: _l("Disputed"),
    NONE: _l("No agreement"),
}
DEFAULT_STALE_MONTHS = 12
DEFAULT_DUE_DAYS = 60
DEFAULT_PAGE_SIZE = 50


@dataclass
class MatrixRow:
    """One concept with the state of each language's cell and its totals."""

    concept_id: int
    key: str
    domain_key: str
    domain_name: str
    cells: dict[str, str]
    wording: str = ""

    @property
    def totals(self) -> Counter:
        """How many of the row's cells are in each state."""
        return Counter(self.cells.values())


@dataclass
class Matrix:
    """A page of the gap matrix, with totals over every concept the filters keep."""

    working: str
    languages: list[str]
    rows: list[MatrixRow]
    concept_count: int
    page: int
    pages: int
    column_totals: dict[str, Counter]
    domain_totals: dict[str, Counter]
    domain_concepts: dict[str, int]
    domain_names: dict[str, str]

    @property
    def totals(self) -> Counter:
        """How many cells of the whole filtered matrix are in each state."""
        out: Counter = Counter()
        for counts in self.column_totals.values():
            out.update(counts)
        return out


def cell_state(agreement_state: str | None, direct: bool) -> str:
    """The matrix state of an agreement: ``none`` without one (or while open),
    ``no_equivalent`` when agreed without a direct rendering, else the stored state."""
    if agreement_state in (None, rules.OPEN):
        return NONE
    if agreement_state == rules.AGREED and not direct:
        return NO_EQUIVALENT
    return agreement_state


def languages_in_use(session: Session, working: str) -> list[str]:
    """Every target language the organisation works in: those with renderings or
    agreements, those it added itself, and those its mediators are registered for."""
    tags = set(session.exec(union(select(Term.language), select(Agreement.target_language),
                                  select(Language.tag))).scalars())
    for roles, langs in session.exec(select(Person.roles, Person.languages)
                                     .where(Person.active)):
        if "mediator" in roles.split(","):
            tags |= {t for t in langs.split(",") if t}
    tags.discard(working)
    return sorted(tags)


def _check_filters(session: Session, *, domain: str | None, languages: Sequence[str],
                   state: str | None) -> list[str]:
    if state:
        choice(state, CELL_STATES, label=_l("State"), field="state")
    if domain and session.exec(select(Domain.id).where(Domain.key == domain)).first() is None:
        raise InputError(_l("Unknown domain “%(key)s”.", key=domain), field="domain")
    if not languages:
        return []
    custom = custom_languages(session)
    return list(dict.fromkeys(language_registry.validate_tag(t, custom) for t in languages))


def matrix(
    session: Session,
    *,
    working: str,
    domain: str | None = None,
    languages: Sequence[str] = (),
    state: str | None = None,
    group: int | None = None,
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
    sort_key: Callable[[str], str] | None = None,
) -> Matrix:
    """The gap matrix of active concepts (rows, ordered by domain then key) by target
    language (columns: ``languages``, or every language in use, ordered by ``sort_key``).

    ``domain`` (a domain key) keeps that domain's concepts; ``group`` (an id) keeps the
    concepts the group needs, with the group's languages as columns; ``state`` keeps the concepts
    with at least one cell in that state. Totals cover every concept kept; ``rows`` hold
    one page of ``page_size`` (``None``: all, ``0``: none, for totals only). Raises
    :class:`InputError` for an unknown domain, state or language tag.

    Queries: the filters and languages (a few), then one for the concepts, one for the
    agreements and one for the working-language wording of the page's concepts.
    """
    chosen = _check_filters(session, domain=domain, languages=languages, state=state)
    group_languages: list[str] = []
    if group is not None:
        from .models.groups import Group, GroupLanguage

        if session.get(Group, group) is None:
            raise InputError(_l("No such group."), field="group")
        group_languages = list(session.exec(select(GroupLanguage.language).where(
            GroupLanguage.group_id == group)))
    columns = chosen or group_languages or languages_in_use(session, working)
    columns.sort(key=sort_key or (lambda tag: tag))

    concept_query = (
        select(Concept.id, Concept.key, Domain.key, Domain.name)
        .join(Domain, Domain.id == Concept.domain_id)
        .where(Concept.status == "active")
        .order_by(*LIST_ORDER)
    )
    if domain:
        concept_query = concept_query.where(Domain.key == domain)
    if group is not None:
        from .models.groups import GroupConcept

        concept_query = concept_query.where(Concept.id.in_(
            select(GroupConcept.concept_id).where(GroupConcept.group_id == group)))
    concepts = session.exec(concept_query).all()

    # A direct rendering: a term that is neither "avoid" nor a no-equivalent paraphrase.
    direct = (
        select(Term.concept_id, Term.language)
        .where(Term.no_equivalent.is_(False), Term.status != "deprecated")
        .group_by(Term.concept_id, Term.language)
        .subquery()
    )
    agreement_query = (
        select(Agreement.concept_id, Agreement.target_language, Agreement.state,
               direct.c.concept_id.is_not(None))
        .join(Concept, Concept.id == Agreement.concept_id)
        .outerjoin(direct, and_(direct.c.concept_id == Agreement.concept_id,
                                direct.c.language == Agreement.target_language))
        .where(Agreement.source_language == working, Concept.status == "active",
               Agreement.state != rules.OPEN, Agreement.target_language.in_(columns or [""]))
    )
    if domain:
        agreement_query = agreement_query.join(Domain, Domain.id == Concept.domain_id).where(
            Domain.key == domain)
    # Through the connection: plain rows, without the ORM's per-row work (tens of thousands).
    states = {(cid, tag): cell_state(stored, bool(has_direct))
              for cid, tag, stored, has_direct in session.connection().execute(agreement_query)}

    rows: list[MatrixRow] = []
    column_totals = {tag: Counter() for tag in columns}
    domain_totals: dict[str, Counter] = defaultdict(Counter)
    domain_concepts: Counter = Counter()
    domain_names: dict[str, str] = {}
    for cid, key, domain_key, domain_name in concepts:
        cells = {tag: states.get((cid, tag), NONE) for tag in columns}
        if state and state not in cells.values():
            continue
        rows.append(MatrixRow(cid, key, domain_key, domain_name, cells))
        domain_names[domain_key] = domain_name
        domain_concepts[domain_key] += 1
        for tag, cell in cells.items():
            column_totals[tag][cell] += 1
            domain_totals[domain_key][cell] += 1

    count = len(rows)
    if page_size is None:
        page, pages, shown = 1, 1, rows
    elif page_size == 0:
        page, pages, shown = 1, 1, []
    else:
        pages = max((count + page_size - 1) // page_size, 1)
        page = min(max(page, 1), pages)
        shown = rows[(page - 1) * page_size: page * page_size]
    wordings = wordings_of(session, [row.concept_id for row in shown], working)
    for row in shown:
        row.wording = wordings.get(row.concept_id, row.key)
    return Matrix(working=working, languages=columns, rows=shown, concept_count=count,
                  page=page, pages=pages, column_totals=column_totals,
                  domain_totals=dict(domain_totals), domain_concepts=dict(domain_concepts),
                  domain_names=domain_names)


def wordings_of(session: Session, concept_ids: Iterable[int], working: str) -> dict[int, str]:
    """The first working-language wording of each concept, in one query."""
    ids = list(concept_ids)
    if not ids:
        return {}
    wordings: dict[int, str] = {}
    for cid, text in session.exec(select(Term.concept_id, Term.text)
                                  .where(Term.concept_id.in_(ids), Term.language == working)
                                  .order_by(Term.id)):
        wordings.setdefault(cid, text)
    return wordings


def agreements_over_time(session: Session, *, working: str, today: date,
                         months: int = 12) -> list[tuple[date, int]]:
    """How many agreements were last reached in each of the past ``months`` months (the
    current one included), oldest first, as (first day of the month, count)."""
    first = rules.add_months(today.replace(day=1), -(months - 1))
    since = datetime.combine(first, time.min, tzinfo=UTC)
    counts: Counter = Counter()
    for agreed_at in session.exec(select(Agreement.agreed_at).where(
            Agreement.source_language == working, Agreement.agreed_at >= since)):
        counts[agreed_at.date().replace(day=1)] += 1
    return [(month, counts[month])
            for month in (rules.add_months(first, n) for n in range(months))]


# --- stale and at-risk agreements ------------------------------------------------------


@dataclass
class AgreementEntry:
    """One agreement on a list, with what makes it stale or at risk."""

    agreement_id: int
    concept_id: int
    concept_key: str
    domain_name: str
    language: str
    state: str
    wording: str = ""
    since: datetime | None = None  # agreed, edited or disputed at
    age_days: int = 0
    reason: str = ""  # "wording" or "concept" (needs review), or the dispute comment
    person_name: str = ""  # the lapsed mediator, or who raised the dispute
    training_date: date | None = None
    training_expiry: date | None = None


def _entries(session: Session, working: str, rows, today: date) -> list[AgreementEntry]:
    """Entries from rows of :func:`_agreement_query` whose first extra column is the
    date the entry counts from, with the concepts' wordings (one more query)."""
    entries = [
        AgreementEntry(agreement_id=aid, concept_id=cid, concept_key=key,
                       domain_name=domain_name, language=language, state=state,
                       since=since, age_days=(today - since.date()).days if since else 0)
        for aid, cid, language, state, key, domain_name, since, *_rest in rows
    ]
    wordings = wordings_of(session, {e.concept_id for e in entries}, working)
    for entry in entries:
        entry.wording = wordings.get(entry.concept_id, entry.concept_key)
    return entries


def _agreement_query(working: str, *extra):
    # Columns rather than entities: lists can hold thousands of agreements.
    return (
        select(Agreement.id, Agreement.concept_id, Agreement.target_language, Agreement.state,
               Concept.key, Domain.name, *extra)
        .join(Concept, Concept.id == Agreement.concept_id)
        .join(Domain, Domain.id == Concept.domain_id)
        .where(Agreement.source_language == working, Concept.status == "active")
    )


def stale_agreements(session: Session, *, working: str, today: date,
                     months: int = DEFAULT_STALE_MONTHS) -> list[AgreementEntry]:
    """Agreements agreed more than ``months`` months before ``today``, oldest first."""
    cutoff = datetime.combine(rules.add_months(today, -months), time.min, tzinfo=UTC)
    rows = session.exec(_agreement_query(working, Agreement.agreed_at)
                        .where(Agreement.state == rules.AGREED, Agreement.agreed_at < cutoff)
                        .order_by(Agreement.agreed_at, Agreement.id)).all()
    return _entries(session, working, rows, today)


def lapsed_signatures(session: Session, *, working: str, today: date,
                      validity_months: int) -> list[AgreementEntry]:
    """Agreed agreements whose current mediator signature came from someone whose SGBV
    training has lapsed since (or was never recorded), by language then concept key.

    The current signatures of an agreed agreement are those bound to the same wording as
    its latest signature: a signature can only be added to the wording as it stands, and
    wording fingerprints never return to an earlier value, so the latest signature of an
    agreement that is still agreed is bound to the current wording."""
    people = {p.id: p for p in session.exec(select(Person))}
    lapsed = {pid for pid, p in people.items()
              if not rules.training_current(p.training_date, today, validity_months)}
    if not lapsed:
        return []
    candidates = select(Signature.agreement_id).where(Signature.person_id.in_(lapsed),
                                                      Signature.role == "mediator")
    signatures = session.exec(
        select(Signature.agreement_id, Signature.person_id, Signature.role,
               Signature.fingerprint)
        .join(Agreement, Agreement.id == Signature.agreement_id)
        .where(Agreement.state == rules.AGREED, Agreement.source_language == working,
               Signature.agreement_id.in_(candidates))
        .order_by(Signature.agreement_id, Signature.id)
    ).all()
    by_agreement: dict[int, list] = defaultdict(list)
    for row in signatures:
        by_agreement[row[0]].append(row)
    at_risk: dict[int, int] = {}
    for agreement_id, rows in by_agreement.items():
        latest = rows[-1][3]
        for _aid, person_id, role, fp in rows:
            if role == "mediator" and fp == latest and person_id in lapsed:
                at_risk[agreement_id] = person_id
    if not at_risk:
        return []
    rows = session.exec(_agreement_query(working, Agreement.agreed_at)
                        .where(Agreement.id.in_(list(at_risk)))).all()
    entries = _entries(session, working, rows, today)
    for entry in entries:
        person = people[at_risk[entry.agreement_id]]
        entry.person_name = person.name
        entry.training_date = person.training_date
        entry.training_expiry = rules.training_expiry(person.training_date, validity_months)
    return sorted(entries, key=lambda e: (e.language, e.concept_key))


def needs_review(session: Session, *, working: str, today: date) -> list[AgreementEntry]:
    """Agreements whose wording was edited since signing (state needs review, reason
    ``wording``), and agreed ones whose concept (definition, note ...) was edited after
    the agreement was reached (reason ``concept``), longest waiting first."""
    rows = session.exec(
        _agreement_query(working, Agreement.updated_at, Concept.updated_at)
        .where(or_(Agreement.state == rules.NEEDS_REVIEW,
                   and_(Agreement.state == rules.AGREED,
                        Concept.updated_at > Agreement.agreed_at)))
    ).all()
    entries = _entries(session, working,
                       [(*row[:6], row[6] if row[3] == rules.NEEDS_REVIEW else row[7])
                        for row in rows], today)
    for entry in entries:
        entry.reason = "wording" if entry.state == rules.NEEDS_REVIEW else "concept"
    return sorted(entries, key=lambda e: (-e.age_days, e.language, e.concept_key))


def open_disputes(session: Session, *, working: str, today: date) -> list[AgreementEntry]:
    """Unresolved disputes with who raised them, their comment and age, oldest first."""
    rows = session.exec(
        _agreement_query(working, Dispute.created_at, Dispute.comment, Person.name)
        .join(Dispute, Dispute.agreement_id == Agreement.id)
        .join(Person, Person.id == Dispute.person_id)
        .where(Dispute.resolved_at.is_(None))
        .order_by(Dispute.created_at, Dispute.id)
    ).all()
    entries = _entries(session, working, rows, today)
    for entry, (*_rest, comment, name) in zip(entries, rows, strict=True):
        entry.reason, entry.person_name = comment, name
    return entries


# --- training -------------------------------------------------------------------------

TRAINING_STATUSES = ("missing", "overdue", "due", "current")
TRAINING_LABELS = {
    "missing": _l("No training recorded: cannot sign"),
    "overdue": _l("Overdue: cannot sign"),
    "due": _l("Refresher due soon"),
    "current": _l("Current"),
}


@dataclass
class TrainingEntry:
    """A mediator with the date of their last SGBV training or refresher."""

    person_id: int
    name: str
    languages: list[str]
    training_date: date | None
    expiry: date | None
    status: str
    days_left: int | None = None
    can_sign: bool = field(init=False)

    def __post_init__(self):
        self.can_sign = self.status in ("due", "current")


def training(session: Session, *, today: date, validity_months: int,
             due_days: int = DEFAULT_DUE_DAYS) -> list[TrainingEntry]:
    """Active mediators and their training status: ``missing`` or ``overdue`` (they cannot
    sign), ``due`` (training lapses within ``due_days``), or ``current``. Those who cannot
    sign come first, then by the day their training lapses."""
    entries = []
    for person in session.exec(select(Person).where(Person.active).order_by(Person.name)):
        if not person.has_role("mediator"):
            continue
        expiry = rules.training_expiry(person.training_date, validity_months)
        if expiry is None:
            status = "missing"
        elif not rules.training_current(person.training_date, today, validity_months):
            status = "overdue"
        elif expiry <= today + timedelta(days=due_days):
            status = "due"
        else:
            status = "current"
        entries.append(TrainingEntry(person.id, person.name, person.language_list,
                                     person.training_date, expiry, status,
                                     (expiry - today).days if expiry else None))
    order = {s: n for n, s in enumerate(TRAINING_STATUSES)}
    return sorted(entries, key=lambda e: (order[e.status], e.expiry or date.min, e.name))


@dataclass
class GapLists:
    """Every list of the trainers' view, as of one day."""

    stale: list[AgreementEntry]
    lapsed: list[AgreementEntry]
    review: list[AgreementEntry]
    disputes: list[AgreementEntry]
    training: list[TrainingEntry]


def gap_lists(session: Session, *, working: str, today: date, validity_months: int,
              stale_months: int = DEFAULT_STALE_MONTHS,
              due_days: int = DEFAULT_DUE_DAYS) -> GapLists:
    """Stale, lapsed-signature, needs-review, dispute and training lists together."""
    return GapLists(
        stale=stale_agreements(session, working=working, today=today, months=stale_months),
        lapsed=lapsed_signatures(session, working=working, today=today,
                                 validity_months=validity_months),
        review=needs_review(session, working=working, today=today),
        disputes=open_disputes(session, working=working, today=today),
        training=training(session, today=today, validity_months=validity_months,
                          due_days=due_days),
    )


def coverage(counts: Counter) -> tuple[int, int]:
    """(cells covered, all cells) of a totals counter: covered means agreed, directly or
    on a paraphrase."""
    return sum(counts[s] for s in COVERED), sum(counts.values())
