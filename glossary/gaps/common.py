"""What the gap matrix and the lists share: the cell states and their labels, the
defaults of the trainers' view, coverage, and the working-language wording of concepts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlmodel import Session, select

from .. import agreement as rules
from ..i18n import _l
from ..models import Term

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


def cell_state(agreement_state: str | None, direct: bool) -> str:
    """The matrix state of an agreement: ``none`` without one (or while open),
    ``no_equivalent`` when agreed without a direct rendering, else the stored state."""
    if agreement_state in (None, rules.OPEN):
        return NONE
    if agreement_state == rules.AGREED and not direct:
        return NO_EQUIVALENT
    return agreement_state


def coverage(counts: Counter) -> tuple[int, int]:
    """(cells covered, all cells) of a totals counter: covered means agreed, directly or
    on a paraphrase."""
    return sum(counts[s] for s in COVERED), sum(counts.values())


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
