"""Where the organisation is not ready: the gap matrix (concepts x languages), stale and
at-risk agreements, open disputes and mediators' SGBV training.

Plain functions over a session, no request. Each one runs a fixed number of queries,
whatever the number of concepts or languages (no query per row or per cell).

A cell of the matrix is the state of the agreement between the working language and one
target language, with two states the stored agreement does not have: ``none`` (no
agreement, or nothing to agree on yet) and ``no_equivalent`` (agreed, but on a paraphrase
only: the language has no direct word for the concept).

The modules: :mod:`.common` (cell states, labels, defaults, coverage, wordings),
:mod:`.grid` (the matrix), :mod:`.lists` (stale, lapsed, review and dispute lists) and
:mod:`.mediators` (training). Callers import from this package, not from the modules.
"""

from .common import (
    CELL_STATES,
    COVERED,
    DEFAULT_DUE_DAYS,
    DEFAULT_PAGE_SIZE,
    DEFAULT_STALE_MONTHS,
    NO_EQUIVALENT,
    NONE,
    STATE_LABELS,
    cell_state,
    coverage,
    wordings_of,
)
from .grid import Matrix, MatrixRow, agreements_over_time, languages_in_use, matrix
from .lists import (
    AgreementEntry,
    GapLists,
    gap_lists,
    lapsed_signatures,
    needs_review,
    open_disputes,
    stale_agreements,
)
from .mediators import TRAINING_LABELS, TRAINING_STATUSES, TrainingEntry, training

__all__ = [
    "CELL_STATES", "COVERED", "DEFAULT_DUE_DAYS", "DEFAULT_PAGE_SIZE", "DEFAULT_STALE_MONTHS",
    "NONE", "NO_EQUIVALENT", "STATE_LABELS", "TRAINING_LABELS", "TRAINING_STATUSES",
    "AgreementEntry", "GapLists", "Matrix", "MatrixRow", "TrainingEntry",
    "agreements_over_time", "cell_state", "coverage", "gap_lists", "languages_in_use",
    "lapsed_signatures", "matrix", "needs_review", "open_disputes", "stale_agreements",
    "training", "wordings_of",
]
