"""SQLModel tables: languages, domains, concepts, terms with versions, agreements,
signatures, disputes, people and audit events.

Nothing here stores anything about participants or victims, nor anyone's ethnicity or
community: people are staff, and matching cautions are confirmations on a group.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel, col

from ..agreement import OPEN, ROLES  # noqa: F401  (roles and states are defined there)

TERM_STATUSES = ("preferred", "admitted", "deprecated")
REGISTERS = ("clinical", "neutral", "colloquial", "euphemism", "vulgar")
CONCEPT_STATUSES = ("active", "retired")
SENSITIVITIES = ("low", "medium", "high")


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC, as every table stores it."""
    return datetime.now(UTC)


# A language that CLDR lacks, or whose name or direction the organisation sets itself.
class Language(SQLModel, table=True):
    tag: str = Field(primary_key=True, max_length=35)
    name: str | None = Field(default=None, max_length=120)
    endonym: str | None = Field(default=None, max_length=120)
    direction: str | None = Field(default=None, max_length=3)
    created_at: datetime = Field(default_factory=utcnow)


# A topic that groups concepts: sexual violence, legal, emotions ...
class Domain(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=60)
    name: str = Field(max_length=120)
    position: int = 0


# Fields shared by a concept and its input model.
class ConceptBase(SQLModel):
    key: str = Field(unique=True, index=True, max_length=120)
    domain_id: int = Field(foreign_key="domain.id")
    definition: str = Field(default="", max_length=4000)
    # None: not stated (an imported file did not say).
    sensitivity: str | None = Field(default="medium", max_length=10)
    facilitator_note: str = Field(default="", max_length=4000)
    status: str = Field(default="active", max_length=10)


# One meaning, written in the organisation's working language.
class Concept(ConceptBase, table=True):
    # A domain's concepts in key order, straight from the index (glossary.listing).
    __table_args__ = (Index("ix_concept_domain_key", "domain_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = 1
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # From interchange files: source and cross-references (xrefs), keyed as TBX names them.
    details: dict | None = Field(default=None, sa_column=Column(JSON))


# The order of every concept list: domain by domain (position, then id, so that the
# order is total), then by key (see glossary.listing for reading one page of it).
DOMAIN_ORDER = (col(Domain.position), col(Domain.id))
LIST_ORDER = (*DOMAIN_ORDER, col(Concept.key))


# Fields a person enters for a rendering.
class TermBase(SQLModel):
    text: str = Field(max_length=500)
    # None: not stated (an imported file did not say).
    status: str | None = Field(default="preferred", max_length=12)
    usage_register: str | None = Field(default="neutral", max_length=12)
    back_translation: str = Field(default="", max_length=1000)
    usage_note: str = Field(default="", max_length=4000)
    no_equivalent: bool = False
    paraphrase: str = Field(default="", max_length=1000)
    # For participants, in the rendering's own language and plain words (the mediator's).
    explanation: str = Field(default="", max_length=2000)


# The current wording of one rendering of a concept in one language.
class Term(TermBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    concept_id: int = Field(foreign_key="concept.id", index=True)
    language: str = Field(max_length=35, index=True)
    version: int = 1
    is_demo: bool = False
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(default_factory=utcnow)
    # From interchange files: partOfSpeech, grammaticalGender, termType, context, source,
    # xrefs (keyed as TBX names them); not part of a version: agreement is on wording.
    details: dict | None = Field(default=None, sa_column=Column(JSON))
    # Recordings of the wording by slot ("wording": SHA-256 of the audio): part of what
    # is signed, so a new recording makes a new version. None while there is none.
    audio: dict | None = Field(default=None, sa_column=Column(JSON))


# Every version a term has had, the current one included; never updated or deleted.
class TermVersion(TermBase, table=True):
    __table_args__ = (UniqueConstraint("term_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    term_id: int = Field(foreign_key="term.id", index=True)
    version: int
    author_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    audio: dict | None = Field(default=None, sa_column=Column(JSON))


# Agreement on how one concept is said for one language pair.
class Agreement(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("concept_id", "source_language", "target_language"),)
    id: int | None = Field(default=None, primary_key=True)
    concept_id: int = Field(foreign_key="concept.id", index=True)
    source_language: str = Field(max_length=35)
    target_language: str = Field(max_length=35, index=True)
    # Cached result of agreement.derive_state, refreshed on every change.
    state: str = Field(default=OPEN, max_length=14, index=True)
    # Bumped first in every change, so that concurrent changes queue on this row.
    lock_version: int = 0
    agreed_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


# One person's signature, bound to the exact wording versions they saw.
class Signature(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: str = Field(max_length=12)
    fingerprint: str = Field(max_length=2000)
    wording: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


# An objection to a rendering; blocks agreement until resolved.
class Dispute(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    comment: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None
    resolved_by_id: int | None = Field(default=None, foreign_key="person.id")
    resolution: str = Field(default="", max_length=4000)


# A member of staff. Languages and roles are comma-separated tags.
class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    email: str = Field(unique=True, index=True, max_length=254)
    password_hash: str = Field(max_length=255)
    roles: str = Field(default="", max_length=120)
    languages: str = Field(default="", max_length=500)
    qualified: bool = False
    training_date: date | None = None
    ui_locale: str | None = Field(default=None, max_length=10)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def role_list(self) -> list[str]:
        """The person's roles as a list."""
        return [r for r in self.roles.split(",") if r]

    @property
    def language_list(self) -> list[str]:
        """The language tags the person works in (mediators sign only for these)."""
        return [t for t in self.languages.split(",") if t]

    def has_role(self, *roles: str) -> bool:
        """True when the person holds any of the given roles."""
        return any(r in self.role_list for r in roles)


# Who changed or signed what, when, with the state before and after.
class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    before: dict | None = Field(default=None, sa_column=Column(JSON))
    after: dict | None = Field(default=None, sa_column=Column(JSON))


# Feature tables live in their own modules of this package and are imported here, so
# that ``glossary.models`` registers every table on the metadata (migrations, tests).
from .api_tokens import ApiToken  # noqa: E402,F401
from .flyers import Flyer, FlyerSignature, FlyerTranslation  # noqa: E402,F401
from .groups import Group, SessionPack  # noqa: E402,F401
from .handouts import HandoutSignature, HandoutText, HandoutTranslation  # noqa: E402,F401
from .ops import LoginAttempt  # noqa: E402,F401
from .recordings import AudioBlob, KitLink, Recording  # noqa: E402,F401
from .search import SearchChange  # noqa: E402,F401
from .sessions import WebSession  # noqa: E402,F401
from .uploads import ImportMapping, PendingUpload  # noqa: E402,F401
