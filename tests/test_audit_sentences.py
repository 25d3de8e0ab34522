"""Every event the app writes to the audit log is told as a sentence, not as the
fallback that shows its codes ("Anna: record (handout_translation)")."""

from __future__ import annotations

import re
from pathlib import Path

from glossary.audit_text import SENTENCES, UNKNOWN, tell
from glossary.models import AuditEvent

ROOT = Path(__file__).resolve().parent.parent / "glossary"
WRITTEN = re.compile(r'action="([a-z_]+)",\s*entity="([a-z_]+)"')
# Actions and entities given through a variable (glossary/signoff_subjects.py, the
# recordings in glossary/audio/store.py): the entities they take.
SUBJECT_ENTITIES = ("flyer_translation", "handout_translation")
BY_VARIABLE = ({("translate", e) for e in SUBJECT_ENTITIES}
               | {(f"{e}_state", e) for e in SUBJECT_ENTITIES}
               | {("sign", e) for e in SUBJECT_ENTITIES}
               | {("record", e) for e in ("term", "flyer_translation", "handout_translation")})


def written_events() -> set[tuple[str, str]]:
    found = set()
    for path in ROOT.rglob("*.py"):
        found |= set(WRITTEN.findall(path.read_text(encoding="utf-8")))
    return found | BY_VARIABLE


def test_every_event_written_has_a_sentence():
    events = written_events()
    assert len(events) > 30
    assert sorted(events - set(SENTENCES)) == []


def test_an_unknown_event_still_says_who_and_what():
    event = AuditEvent(action="launch", entity="rocket", before=None, after=None)
    told = tell(event, who="Anna", language_of_event=None, language_name=str)
    assert str(told.sentence) == str(UNKNOWN) % {"who": "Anna", "action": "launch",
                                                  "entity": "rocket"}
