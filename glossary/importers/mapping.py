"""Column mapping: what each column of a glossary spreadsheet holds.

A column's *role* is a short string: concept roles (``ignore``, ``extra`` — kept as a
line "Column: value" of the facilitator note —, ``key``, ``domain``, ``definition``,
``sensitivity``, ``note`` — the facilitator note —, ``concept_status``) or a rendering's
role in a language: ``term:ar``, ``status:ar``, ``register:ar``, ``back:ar``,
``usage:ar``, ``no_equivalent:ar``, ``paraphrase:ar``, ``explanation:ar`` (for
participants), ``pos:ar``, ``gender:ar``,
``context:ar``, optionally numbered (``term:ar:2``, a second rendering). A language of
``?`` is one the person must choose: the import waits for it.

:func:`guess_sheet` proposes a mapping from the header and the first rows (see
:mod:`.column_words`); the person changes it column by column, or the command line
with ``--map`` (:func:`parse_overrides`) and ``--languages``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from ..errors import InputError
from ..i18n import _l
from ..languages import canonical_tag
from .column_words import understand
from .language_names import fold

CONCEPT_ROLES = ("ignore", "extra", "key", "domain", "definition", "sensitivity", "note",
                 "concept_status")
TERM_ROLES = ("term", "status", "register", "back", "usage", "no_equivalent", "paraphrase",
              "explanation", "pos", "gender", "context")
UNKNOWN = "?"
# Our own export's header convention, read exactly as before the mapping step existed.
CONVENTION = {"key": "key", "domain": "domain", "definition": "definition",
              "sensitivity": "sensitivity", "facilitator_note": "note",
              "concept_status": "concept_status", "state": "ignore"}
CONVENTION_TERMS = {"term": "term", "status": "status", "register": "register",
                    "back": "back", "back_translation": "back", "note": "usage",
                    "usage_note": "usage", "no_equivalent": "no_equivalent",
                    "paraphrase": "paraphrase", "explanation": "explanation"}
ALIASES = {"facilitator_note": "note", "skip": "ignore", "usage_note": "usage",
           "back_translation": "back", "note_line": "extra"}
_CONVENTION = re.compile(r"^([a-z_]+)(?::([A-Za-z0-9-]+))?(?::(\d+))?$")
SAMPLE_ROWS = 50


class MappingError(InputError):
    """A mapping that cannot be read with (no wording column): the person changes it."""


@dataclass
class SheetMapping:
    """The roles of one sheet's columns (a CSV file is one sheet named "")."""

    name: str
    header: list[str]
    roles: list[str]
    has_header: bool = True
    skip: bool = False
    # A per-language role guessed for the language of another column: {column: column}.
    links: dict[int, int] = field(default_factory=dict)

    def missing(self) -> list[int]:
        """The columns whose language the person must still choose."""
        if self.skip:
            return []
        return [i for i, role in enumerate(self.roles) if split_role(role)[1] == UNKNOWN]

    def label(self, index: int) -> str:
        """How the column is named to the person: its header, else its number."""
        text = self.header[index] if self.has_header and index < len(self.header) else ""
        return text or f"#{index + 1}"

    def set_language(self, column: int, tag: str) -> None:
        """Give ``column`` (a rendering's column) its language, and the columns guessed
        to follow it theirs."""
        kind, _tag, number = split_role(self.roles[column])
        self.roles[column] = join_role(kind, tag, number)
        for other, leader in self.links.items():
            if leader == column and split_role(self.roles[other])[1] == UNKNOWN:
                okind, _t, onumber = split_role(self.roles[other])
                self.roles[other] = join_role(okind, tag, onumber)


@dataclass
class TableMapping:
    """A file's mapping: one :class:`SheetMapping` per sheet, in file order."""

    sheets: list[SheetMapping]
    saved_as: str = ""

    def missing(self) -> list[tuple[str, str]]:
        """(sheet, column label) of every column still waiting for a language."""
        return [(s.name, s.label(i)) for s in self.sheets for i in s.missing()]

    def sheet(self, name: str, index: int) -> SheetMapping | None:
        """The mapping of the sheet called ``name`` (else the one at ``index``)."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        return self.sheets[index] if index < len(self.sheets) else None

    def signature(self) -> str:
        """What "the same header" means for saved mappings: sheet names and headers,
        case-folded."""
        text = "\x1e".join(s.name.casefold() + "\x1f" + "\x1f".join(
            fold(h) for h in (s.header if s.has_header else [])) for s in self.sheets)
        return hashlib.sha256(text.encode()).hexdigest()

    def to_dict(self) -> dict:
        """The mapping as JSON data (kept with a pending upload, or saved under a name)."""
        return {"sheets": [asdict(s) | {"links": {str(k): v for k, v in s.links.items()}}
                           for s in self.sheets], "saved_as": self.saved_as}

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | dict) -> TableMapping:
        """The mapping :meth:`to_json` wrote."""
        data = json.loads(text) if isinstance(text, str) else text
        sheets = []
        for item in data.get("sheets", []):
            links = {int(k): int(v) for k, v in (item.get("links") or {}).items()}
            sheets.append(SheetMapping(name=item["name"], header=list(item["header"]),
                                       roles=list(item["roles"]),
                                       has_header=bool(item.get("has_header", True)),
                                       skip=bool(item.get("skip")), links=links))
        return cls(sheets=sheets, saved_as=data.get("saved_as", ""))


def split_role(role: str) -> tuple[str, str, int]:
    """(kind, language, number) of a role; concept roles have no language (``""``)."""
    parts = role.split(":")
    number = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    return parts[0], parts[1] if len(parts) > 1 else "", number


def join_role(kind: str, tag: str = "", number: int = 0) -> str:
    """The role string of (kind, language, number)."""
    if kind in CONCEPT_ROLES:
        return kind
    return f"{kind}:{tag or UNKNOWN}" + (f":{number}" if number else "")


def parse_role(text: str, working: str) -> str:
    """A role from what a person wrote (``--map`` values, form fields): a role string,
    an alias (``facilitator_note``, ``note:ar`` for the usage note), or a bare language
    tag for the wording in that language. Raises :class:`InputError` otherwise."""
    raw = (text or "").strip()
    kind, _sep, rest = raw.partition(":")
    kind = ALIASES.get(kind.lower(), kind.lower())
    if kind == "note" and rest:
        kind = "usage"
    if kind in CONCEPT_ROLES and not rest:
        return kind
    if kind in TERM_ROLES:
        tag, _sep, number = rest.partition(":")
        if number and not number.isdigit():
            raise _bad_role(raw)
        tag = working if not tag else (UNKNOWN if tag == UNKNOWN else canonical_tag(tag))
        return join_role(kind, tag, int(number or 0))
    if not rest:
        try:
            return join_role("term", canonical_tag(raw))
        except InputError:
            pass
    raise _bad_role(raw)


def _bad_role(raw: str) -> InputError:
    return InputError(_l("“%(role)s” is not a column role. Use a language tag (ar), "
                         "term:ar, back:ar, usage:ar, status:ar, register:ar, key, domain, "
                         "definition, note, extra or ignore.", role=raw))


def convention_role(header: str, working: str) -> str | None:
    """The role of a header cell written in our export's convention, else None."""
    match = _CONVENTION.match(header.strip().lower().replace(" ", "_")) if header else None
    if not match:
        return None
    name, tag, number = match.groups()
    if name == "state":  # the agreement state our export writes: agreement happens here
        return "ignore"
    if name in CONVENTION and not tag:
        return CONVENTION[name]
    if name in CONVENTION_TERMS:
        tag = header.strip().split(":")[1] if tag else working
        try:
            tag = canonical_tag(tag)
        except InputError:
            return None
        return join_role(CONVENTION_TERMS[name], tag, int(number or 0))
    return None


def cell_text(value) -> str:
    """A header or sample cell as text."""
    return "" if value is None else str(value).strip()


def guess_sheet(name: str, rows: list[list], *, working: str, custom: dict | None = None,
                hint: str = "") -> SheetMapping:
    """The proposed mapping of a sheet from its first rows (the header first). ``hint``
    is the file's or sheet's name, which may name a language pair (``en_fa.csv``)."""
    header = [cell_text(v) for v in (rows[0] if rows else [])]
    width = max((len(r) for r in rows), default=0)
    header += [""] * (width - len(header))
    convention = [convention_role(h, working) for h in header]
    if any(r and r.startswith("term:") for r in convention):
        return SheetMapping(name=name, header=header,
                            roles=[r or "extra" for r in convention])
    samples = [[cell_text(v) for v in row] for row in rows[1:SAMPLE_ROWS]]
    roles, links, recognised = understand(header, samples, working=working, custom=custom,
                                          hint=hint or name)
    if recognised:
        return SheetMapping(name=name, header=header, roles=roles, links=links)
    # Nothing in the first row is a column name: it is data, every column a wording
    # whose language the person gives.
    return SheetMapping(name=name, header=header, roles=[join_role("term", UNKNOWN)] * width,
                        has_header=False)


def parse_overrides(text: str) -> dict[str, str]:
    """``"English Term=term:en,Persian Term=fa"`` as {column name or number: role}."""
    overrides = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        column, sep, role = part.rpartition("=")
        if not sep or not column.strip():
            raise InputError(_l("Write each column as Column=role, e.g. "
                                "“English=en,Notes=note” (found “%(part)s”).", part=part))
        overrides[column.strip()] = role.strip()
    return overrides


def apply_overrides(mapping: TableMapping, overrides: dict[str, str], languages: list[str],
                    *, working: str) -> TableMapping:
    """Apply ``--map`` (by header, case-insensitively, or column number from 1) and
    ``--languages`` (the languages of the columns still waiting for one, in order)."""
    unused = dict(overrides)
    for sheet in mapping.sheets:
        for index in range(len(sheet.roles)):
            for key in (sheet.header[index] if sheet.has_header else None, str(index + 1)):
                chosen = next((v for k, v in overrides.items()
                               if key is not None and k.casefold() == key.casefold()), None)
                if chosen is not None:
                    sheet.roles[index] = parse_role(chosen, working)
                    unused.pop(next(k for k in overrides if k.casefold() == key.casefold()),
                               None)
                    break
        waiting = [i for i in sheet.missing() if split_role(sheet.roles[i])[0] == "term"]
        for index, tag in zip(waiting, languages, strict=False):
            sheet.set_language(index, canonical_tag(tag))
    if unused:
        raise InputError(_l("No column is called %(names)s.",
                            names=", ".join(f"“{k}”" for k in unused)))
    return mapping


def missing_message(mapping: TableMapping) -> InputError:
    """The refusal of a mapping with columns still waiting for a language."""
    names = ", ".join(f"“{label}”" + (f" ({sheet})" if sheet else "")
                      for sheet, label in mapping.missing())
    return InputError(_l("Choose the language of these columns (or ignore them): "
                         "%(columns)s.", columns=names))


def guess_table(sheets: list[tuple[str, list[list]]], *, working: str,
                custom: dict | None = None, hint: str = "") -> TableMapping:
    """The proposed mapping of a file from each sheet's first rows. An empty sheet, and
    a sheet without any wording column in a workbook whose other sheets have one (a
    "read me" sheet), are skipped."""
    guessed = []
    for name, rows in sheets:
        sheet = guess_sheet(name, rows, working=working, custom=custom,
                            hint=name if len(sheets) > 1 else hint)
        sheet.skip = not any(any(v not in (None, "") for v in row) for row in rows)
        guessed.append(sheet)
    with_terms = [s for s in guessed if not s.skip and any(
        r.startswith("term:") and not r.startswith(f"term:{UNKNOWN}") for r in s.roles)]
    for sheet in guessed if with_terms else []:
        sheet.skip = sheet.skip or sheet not in with_terms
    return TableMapping(guessed)
