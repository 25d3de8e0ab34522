"""Reading column headers that people write: "English Term", "Term (ar)", "Arabe",
"source", "targetString", "Definition", "Notes", "Category", "stringID".

:func:`understand` proposes a role for every column of a header (see :mod:`.mapping`),
using the words below (English, German, French, Italian and Arabic, the interface
languages), language names and codes (:mod:`.language_names`) and, where the header
says nothing, the values: a column of a single language tag tells the language of a
"source" or "target" column; a column of short texts in a file of language columns is
a wording whose language the person is asked for.
"""

from __future__ import annotations

import re

from .language_names import AMBIGUOUS_CODES, find_language, fold, language_of_code

FIELD_WORDS = {
    "key": ("key", "id", "concept id", "entry id", "string id", "identifier", "concept key",
            "term id", "schlüssel", "clé", "chiave", "معرف"),
    "definition": ("definition", "definitions", "description", "desc", "descr", "meaning",
                   "explanation", "gloss", "définition", "definizione", "beschreibung",
                   "bedeutung", "descrizione", "تعريف", "وصف", "الوصف", "التعريف"),
    "note": ("note", "notes", "comment", "comments", "remark", "remarks", "anmerkung",
             "anmerkungen", "bemerkung", "kommentar", "remarque", "remarques", "commentaire",
             "commentaires", "nota", "commento", "ملاحظة", "ملاحظات", "translator comments",
             "developer comments"),
    "domain": ("domain", "category", "categories", "subject", "subject field", "field",
               "topic", "area", "theme", "domaine", "catégorie", "kategorie", "bereich",
               "sachgebiet", "dominio", "categoria", "argomento", "مجال", "فئة", "الفئة",
               "المجال"),
    "sensitivity": ("sensitivity", "sensibilité", "sensibilità", "sensibilität"),
    "status": ("status", "term status", "statut", "stato", "الحالة"),
    "register": ("register", "registre", "registro", "level", "sprachebene"),
    "back": ("back translation", "backtranslation", "back", "literal", "literal meaning",
             "literal translation", "rückübersetzung", "rétrotraduction", "retrotraduzione",
             "ترجمة عكسية"),
    "usage": ("usage note", "usage notes", "usage", "verwendung", "utilisation", "uso"),
    "pos": ("pos", "part of speech", "word class", "wortart", "partie du discours",
            "catégorie grammaticale", "parte del discorso"),
    "gender": ("gender", "grammatical gender", "genus", "genre", "genere"),
    "context": ("context", "example", "examples", "kontext", "beispiel", "contexte",
                "exemple", "contesto", "esempio", "سياق", "مثال"),
    "paraphrase": ("paraphrase", "paraphrasis", "umschreibung", "parafrasi"),
    "explanation": ("explanation", "explanation for participants", "plain explanation",
                    "erklärung", "explication", "spiegazione", "شرح"),
    "term": ("term", "terms", "word", "words", "wording", "expression", "lemma", "entry",
             "begriff", "wort", "terme", "mot", "termine", "parola", "مصطلح", "كلمة",
             "المصطلح"),
}
SIDES = {"source": ("source", "source term", "source string", "source text", "src",
                    "original", "quelle", "ausgangssprache", "origine"),
         "target": ("target", "target term", "target string", "target text", "translation",
                    "translations", "übersetzung", "traduction", "traduzione", "ترجمة",
                    "الترجمة", "zielsprache", "cible")}
LANGUAGE_WORDS = ("lang", "language", "locale", "sprache", "langue", "lingua", "لغة")
_WORD_ROLE = {fold(word): role for role, words in FIELD_WORDS.items() for word in words}
_SIDE = {fold(word): side for side, words in SIDES.items() for word in words}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
PER_LANGUAGE = ("status", "register", "back", "usage", "pos", "gender", "context",
                "paraphrase", "explanation")
# Which rendering a per-language column without a language follows: the first
# wording column (the source), or the last (the translation a back-translation renders).
FOLLOWS_LAST = ("back", "usage", "paraphrase", "explanation")


def words_of(header: str) -> list[str]:
    """A header as folded words: ``targetString`` -> ``["target", "string"]``."""
    return fold(_CAMEL.sub(" ", header)).split()


def _side_and_language(words: list[str]) -> tuple[str, bool] | None:
    """("source"|"target", is a language column) for headers such as "source",
    "targetString", "sourceLang", "Target language"."""
    rest = [w for w in words if w not in LANGUAGE_WORDS]
    side = _SIDE.get(" ".join(rest))
    return (side, len(rest) != len(words)) if side else None


def _single_tag(samples: list[list[str]], index: int, custom: dict | None) -> str | None:
    values = {row[index] for row in samples if index < len(row) and row[index]}
    if len(values) != 1:
        return None
    return language_of_code(values.pop(), custom)


def _pair_from(hint: str, custom: dict | None) -> list[str]:
    tags = [language_of_code(w, custom) for w in re.split(r"[^A-Za-z]+", hint) if w]
    found = [t for t in tags if t]
    return found if len(found) == 2 else []


def _term_like(samples: list[list[str]], index: int) -> bool:
    values = [row[index] for row in samples if index < len(row) and row[index]]
    if not values:
        return False
    short = [v for v in values if len(v) <= 80 and "://" not in v
             and not v.replace(".", "").isdigit()]
    return len(short) * 2 >= len(values)


def understand(header: list[str], samples: list[list[str]], *, working: str,
               custom: dict | None = None, hint: str = "") -> tuple[list[str], dict, bool]:
    """(roles, links, recognised): a role per column, the per-language columns guessed to
    follow another column's language ({column: wording column}), and whether any header
    cell was understood at all."""
    from .mapping import UNKNOWN, join_role

    roles: list[str] = ["extra"] * len(header)
    weak: dict[int, str] = {}
    sides: dict[str, list[int]] = {"source": [], "target": []}
    side_tags: dict[str, str] = {}
    per_language: list[tuple[int, str]] = []
    recognised = False
    decided: set[int] = set()
    for index, text in enumerate(header):
        words = words_of(text)
        if not words:
            continue
        role = _WORD_ROLE.get(" ".join(words))
        side = _side_and_language(words)
        if side and side[1]:
            recognised = True
            roles[index] = "ignore"
            tag = _single_tag(samples, index, custom)
            if tag:
                side_tags[side[0]] = tag
            continue
        if side:
            recognised = True
            sides[side[0]].append(index)
            continue
        if role and role != "term":
            recognised = True
            if role in PER_LANGUAGE:
                per_language.append((index, role))
            else:
                roles[index] = role
            continue
        found = find_language(words, custom)
        if found is None:
            if role == "term":
                recognised = True
                roles[index] = join_role("term", working)
            continue
        tag, rest, named = found
        rest_text = " ".join(rest)
        rest_role = _WORD_ROLE.get(rest_text) or ("term" if _SIDE.get(rest_text) else None)
        if not named and rest and rest_role is None and words[0] in AMBIGUOUS_CODES:
            continue
        recognised = True
        if not rest or rest_role == "term":
            roles[index] = join_role("term", tag)
        elif rest_role in PER_LANGUAGE:
            roles[index] = join_role(rest_role, tag)
        elif rest_role == "note":
            roles[index] = join_role("usage", tag)
        elif rest_role == "definition":
            roles[index] = "definition" if tag == working else "extra"
        elif rest_role is None:
            weak[index] = tag
        else:
            roles[index] = rest_role
        decided.add(index)
    pair = _pair_from(hint, custom)
    for number, side in enumerate(("source", "target")):
        tag = side_tags.get(side) or (pair[number] if pair else UNKNOWN)
        for index in sides[side]:
            roles[index] = join_role("term", tag)
    claimed = {r for r in roles if r.startswith("term:")}
    for index, tag in weak.items():
        roles[index] = join_role("term", tag) if f"term:{tag}" not in claimed else "extra"
        claimed.add(f"term:{tag}")
    wordings = [i for i, r in enumerate(roles) if r.startswith("term:")]
    links = {}
    for index, role in per_language:
        leader = (wordings[-1] if role in FOLLOWS_LAST else wordings[0]) if wordings else None
        tag = roles[leader].split(":")[1] if leader is not None else working
        roles[index] = join_role(role, tag)
        if leader is not None:
            links[index] = leader
    if wordings:
        for index, role in enumerate(roles):
            if role == "extra" and header[index] and index not in decided \
                    and _term_like(samples, index):
                roles[index] = join_role("term", UNKNOWN)
    return roles, links, recognised
