"""The gap matrix: the state of each active concept's agreement in each target language,
with totals by language and by domain, and agreements reached month by month."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, or_, union
from sqlmodel import Session, select

from .. import agreement as rules
from .. import languages as language_registry
from ..concepts import custom_languages
from ..errors import InputError
from ..i18n import _l
from ..models import LIST_ORDER, Agreement, Concept, Domain, Language, Person, Term
from ..text import choice
from .common import CELL_STATES, DEFAULT_PAGE_SIZE, NONE, cell_state, wordings_of


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
        from ..models.groups import Group, GroupLanguage

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
        from ..models.groups import GroupConcept

        concept_query = concept_query.where(Concept.id.in_(
            select(GroupConcept.concept_id).where(GroupConcept.group_id == group)))
    concepts = session.exec(concept_query).all()

    # A direct rendering: a term that is neither "avoid" nor a no-equivalent paraphrase.
    direct = (
        select(Term.concept_id, Term.language)
        .where(Term.no_equivalent.is_(False),
               or_(Term.status.is_(None), Term.status != "deprecated"))  # unstated counts
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
        # Touched even without a language column, so every named domain has its totals.
        totals = domain_totals[domain_key]
        for tag, cell in cells.items():
            column_totals[tag][cell] += 1
            totals[cell] += 1

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
