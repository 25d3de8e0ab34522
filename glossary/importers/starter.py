"""Starter concept lists in ``data/terms/``: one CSV file per domain, in the working
language, with definitions. They carry no renderings: those are agreed between people.

``domains.csv`` has columns ``key,name,position``; every other ``<domain-key>.csv`` has
``key,term,definition,sensitivity,facilitator_note``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import Session, select

from ..concepts import create_concept, parse_concept
from ..config import ROOT
from ..models import Concept, Domain

STARTER_DIR = ROOT / "data" / "terms"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_domains(session: Session, directory: Path = STARTER_DIR) -> dict[str, Domain]:
    """Create the domains listed in ``domains.csv`` that do not exist yet."""
    domains = {d.key: d for d in session.exec(select(Domain))}
    for row in _rows(directory / "domains.csv"):
        if row["key"] not in domains:
            domain = Domain(key=row["key"], name=row["name"], position=int(row["position"]))
            session.add(domain)
            domains[domain.key] = domain
    session.commit()
    return domains


def load_starter(session: Session, *, working: str, directory: Path = STARTER_DIR,
                 is_demo: bool = False) -> int:
    """Create every starter concept whose key is not taken; return how many were added."""
    domains = load_domains(session, directory)
    existing = set(session.exec(select(Concept.key)))
    added = 0
    for key, domain in domains.items():
        path = directory / f"{key}.csv"
        if not path.exists():
            continue
        for row in _rows(path):
            if row["key"] in existing:
                continue
            data = parse_concept({**row, "domain_id": domain.id, "source_text": row["term"]},
                                 session=session)
            create_concept(session, data=data, source_text=row["term"], working=working,
                           person=None, is_demo=is_demo)
            existing.add(row["key"])
            added += 1
    return added
