"""A deterministic synthetic glossary for benchmarks: by default 5,000 concepts in 30
languages (about 160,000 terms), in Latin script with diacritics, Cyrillic, Arabic
script (Arabic, Persian, Dari, Pashto, Urdu, Sorani) and Ethiopic (Tigrinya, Amharic).

Words are made of syllables drawn from each language's own letters, so that
neighbouring languages share letters and near-miss words exist, as in a real glossary.
Arabic-script renderings sometimes carry the article, tashkeel, tatweel or a ZWNJ, so
that normalisation is exercised. The same seed always gives the same glossary, queries
and text pair.

Nothing here is real vocabulary: it is only shaped like it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

WORKING = "en"
DOMAINS = ("sexual-violence", "body-sexual-health", "legal", "gender-relationships",
           "emotions", "programme-rules", "services-referral")


def _ethiopic(rows: tuple[int, ...], orders: int = 7) -> list[str]:
    return [chr(base + order) for base in rows for order in range(orders)]


# tag -> (consonants, vowels); Ethiopic languages use syllables as "vowels" and no
# consonants.
ALPHABETS: dict[str, tuple[str, str]] = {
    "en": ("bcdfghklmnprstvw", "aeiou"),
    "de": ("bdfghklmnprstwzß", "aeiouäöü"),
    "fr": ("bcdfglmnprstvç", "aeiouéèêàô"),
    "es": ("bcdfglmnprstvñ", "aeiouáéíóú"),
    "it": ("bcdfglmnprstvz", "aeiouàèò"),
    "pt": ("bcdfglmnprstvç", "aeiouãõáéâ"),
    "pl": ("bcdfgklmnprstwzłśżźć", "aeiouęąó"),
    "cs": ("bcdfhklmnprstvzčřšž", "aeiouáéěíůý"),
    "ro": ("bcdfglmnprstvșț", "aeiouăâî"),
    "tr": ("bcdfgklmnprstvyzçğş", "aeıioöuü"),
    "vi": ("bcdghklmnpqrstvxđ", "aeiouăâêôơưàáảãạếộ"),
    "hu": ("bcdfghjklmnprstvz", "aeioáéíóöőúüű"),
    "nl": ("bdfghjklmnprstvwz", "aeiouëï"),
    "hr": ("bcdfgjklmnprstvzčćđšž", "aeiou"),
    "sq": ("bcdfghjklmnprstvxzç", "aeiouë"),
    "so": ("bcdfghjklmnqrstwxy", "aeiou"),
    "ku": ("bcdfghjklmnpqrstvwxzçş", "aeiouêîû"),
    "uk": ("бвгґджзйклмнпрстфхцчшщ", "аеєиіїоуюя"),
    "ru": ("бвгджзйклмнпрстфхцчшщ", "аеёиоуыэюя"),
    "bg": ("бвгджзйклмнпрстфхцчшщ", "аеиоуъюя"),
    "mk": ("бвгдѓжзѕјклљмнњпрстќфхцчџш", "аеиоу"),
    "sr-Cyrl": ("бвгдђжзјклљмнњпрстћфхцчџш", "аеиоу"),
    "ar": ("بتثجحخدذرزسشصضطظعغفقكلمنهوي", "اوي"),
    "fa": ("بپتثجچحخدذرزژسشصطظعغفقکگلمنهوی", "اوی"),
    "fa-AF": ("بپتجچحخدرزژسشطعغفقکگلمنهوی", "اوی"),
    "ps": ("بپتټجچحخدډرړزږسشښغفقکګلمنڼهوی", "اوېی"),
    "ur": ("بپتٹجچحخدڈرڑزسشصعغفقکگلمنںہوی", "اوےی"),
    "ckb": ("بپتجچحخدرڕزژسشعغفڤقکگلڵمنھوی", "اەێۆوی"),
    "ti": ("", "".join(_ethiopic((0x1200, 0x1208, 0x1218, 0x1228, 0x1230, 0x1240, 0x1260,
                                  0x1270, 0x1290, 0x12A8, 0x12C8, 0x12D8, 0x12F0, 0x1308,
                                  0x1320, 0x1348)))),
    "am": ("", "".join(_ethiopic((0x1200, 0x1208, 0x1218, 0x1228, 0x1230, 0x1238, 0x1240,
                                  0x1260, 0x1270, 0x1290, 0x12A0, 0x12A8, 0x12C8, 0x12D8,
                                  0x12F0, 0x1300, 0x1308, 0x1320, 0x1348)))),
}
LANGUAGES = tuple(ALPHABETS)
ARABIC_SCRIPT = {"ar", "fa", "fa-AF", "ps", "ur", "ckb"}
TASHKEEL = "\u064e\u064f\u0650\u0651\u0652"


@dataclass
class TermSpec:
    """One synthetic rendering."""

    text: str
    status: str = "preferred"
    register: str = "neutral"
    back_translation: str = ""


@dataclass
class ConceptSpec:
    """One synthetic concept with its renderings per language (the working language's
    first term is its source wording)."""

    key: str
    domain: str
    definition: str
    terms: dict[str, list[TermSpec]] = field(default_factory=dict)


@dataclass
class Query:
    """A benchmark query and the concept it is meant to find (None for prefixes)."""

    text: str
    language: str
    concept: int | None
    typos: int


class Generator:
    """Makes words, terms, concepts, queries and texts from one seeded random source."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        self.used: dict[str, set[str]] = {tag: set() for tag in LANGUAGES}
        self.english = [self.word("en", 2, 3) for _ in range(3000)]

    def syllable(self, tag: str) -> str:
        consonants, vowels = ALPHABETS[tag]
        pick = self.random.choice
        if not consonants:
            return pick(vowels)
        shape = self.random.random()
        if shape < 0.6:
            return pick(consonants) + pick(vowels)
        if shape < 0.9:
            return pick(consonants) + pick(vowels) + pick(consonants)
        return pick(vowels) + pick(consonants)

    def word(self, tag: str, low: int = 2, high: int = 4) -> str:
        if not ALPHABETS[tag][0]:
            low, high = low + 1, high + 2
        while True:
            word = "".join(self.syllable(tag) for _ in range(self.random.randint(low, high)))
            if len(word) >= 3 and word not in self.used[tag]:
                self.used[tag].add(word)
                return word

    def term_text(self, tag: str) -> str:
        count = self.random.choices((1, 2, 3), weights=(55, 35, 10))[0]
        words = [self.word(tag) for _ in range(count)]
        if tag in ARABIC_SCRIPT:
            if tag == "ar" and self.random.random() < 0.3:
                words[0] = "ال" + words[0]
            if self.random.random() < 0.03:
                words[0] = words[0][:2] + self.random.choice(TASHKEEL) + words[0][2:]
            if self.random.random() < 0.02:
                words[0] = words[0][:2] + "\u0640" + words[0][2:]
            if tag in ("fa", "fa-AF") and len(words) == 1 and self.random.random() < 0.05:
                words[0] = words[0][:3] + "\u200c" + words[0][3:]
        text = " ".join(words)
        if tag == WORKING and self.random.random() < 0.05:
            text += f" ({self.random.choice(self.english)})"
        return text

    def english_phrase(self, low: int, high: int) -> str:
        return " ".join(self.random.choice(self.english)
                        for _ in range(self.random.randint(low, high)))

    def concepts(self, count: int = 5000, languages=LANGUAGES) -> list[ConceptSpec]:
        out = []
        for number in range(count):
            concept = ConceptSpec(key=f"c{number:05d}", domain=DOMAINS[number % len(DOMAINS)],
                                  definition=self.english_phrase(8, 20).capitalize() + ".")
            for tag in languages:
                back = "" if tag == WORKING else self.english_phrase(1, 3)
                terms = [TermSpec(self.term_text(tag), back_translation=back)]
                if tag != WORKING and self.random.random() < 0.08:
                    terms.append(TermSpec(self.term_text(tag), status="deprecated",
                                          register=self.random.choice(("vulgar", "colloquial"))))
                concept.terms[tag] = terms
            out.append(concept)
        return out

    def typo(self, word: str, tag: str, edits: int) -> str:
        letters = ALPHABETS[tag][0] + ALPHABETS[tag][1]
        original = word
        while True:
            word = original
            for _ in range(edits):
                kind = self.random.choice(("substitute", "delete", "insert", "transpose"))
                at = self.random.randrange(len(word))
                if kind == "substitute":
                    word = word[:at] + self.random.choice(letters) + word[at + 1:]
                elif kind == "delete":
                    word = word[:at] + word[at + 1:]
                elif kind == "insert":
                    word = word[:at] + self.random.choice(letters) + word[at:]
                elif at + 1 < len(word):
                    word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
            if word != original:
                return word

    def queries(self, concepts: list[ConceptSpec], count: int = 200) -> list[Query]:
        """Half clean queries (whole terms, single words and 2-5 letter prefixes), half
        whole terms with 1 or 2 typos in a word of six letters or more."""
        out: list[Query] = []
        languages = list(concepts[0].terms)
        while len(out) < count // 2:
            number = self.random.randrange(len(concepts))
            tag = self.random.choice(languages)
            text = concepts[number].terms[tag][0].text
            kind = self.random.random()
            if kind < 0.5:
                out.append(Query(text, tag, number, 0))
            elif kind < 0.75:
                out.append(Query(self.random.choice(text.split(" ")), tag, None, 0))
            else:
                out.append(Query(text[: self.random.randint(2, 5)], tag, None, 0))
        while len(out) < count:
            number = self.random.randrange(len(concepts))
            tag = self.random.choice(languages)
            words = concepts[number].terms[tag][0].text.split(" ")
            long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
            if not long_words:
                continue
            at = self.random.choice(long_words)
            edits = self.random.choice((1, 2))
            words[at] = self.typo(words[at], tag, edits)
            out.append(Query(" ".join(words), tag, number, edits))
        return out

    def text_pair(self, concepts: list[ConceptSpec], target: str, words: int = 1000,
                  mentions: int = 80) -> tuple[str, str, list[int]]:
        """A source text in the working language and its "translation" into ``target``,
        about ``words`` words each, mentioning ``mentions`` concepts; some mentions carry
        an inflection, a few translations use an avoid-rendering or none at all."""
        chosen = self.random.sample(range(len(concepts)), mentions)
        filler_target = [self.word(target) for _ in range(400)]
        source: list[str] = []
        translation: list[str] = []
        per_mention = max(1, words // mentions - 2)
        for number in chosen:
            source.extend(self.random.choice(self.english) for _ in range(per_mention))
            translation.extend(self.random.choice(filler_target) for _ in range(per_mention))
            term = concepts[number].terms[WORKING][0].text.split(" (")[0]
            source.append(term + ("s" if self.random.random() < 0.2 else "") + ".")
            renderings = concepts[number].terms[target]
            roll = self.random.random()
            if roll < 0.85:
                prefix = "و" if target == "ar" and self.random.random() < 0.2 else ""
                translation.append(prefix + renderings[0].text + ".")
            elif roll < 0.95 and len(renderings) > 1:
                translation.append(renderings[1].text + ".")
        return " ".join(source), " ".join(translation), chosen


def write_database(engine, concepts: list[ConceptSpec], *, target: str = "ar",
                   seed: int = 7) -> dict[int, int]:
    """Write the synthetic glossary into an empty database (schema included) with bulk
    inserts, plus agreements for the working language and ``target`` in every state.
    Returns the database id of each concept, by position in ``concepts``."""
    from sqlalchemy import insert, select
    from sqlmodel import SQLModel

    from glossary.migrate import stamp
    from glossary.models import Agreement, Concept, Domain, Term, utcnow

    chooser = random.Random(seed)
    SQLModel.metadata.create_all(engine)
    stamp(engine)  # the schema is current: the app serves it (else "schema behind", 503)
    now = utcnow()
    with engine.begin() as connection:
        connection.execute(insert(Domain), [
            {"key": key, "name": key.replace("-", " ").capitalize(), "position": number}
            for number, key in enumerate(DOMAINS, start=1)])
        domain_ids = dict(connection.execute(select(Domain.key, Domain.id)).all())
        connection.execute(insert(Concept), [
            {"key": c.key, "domain_id": domain_ids[c.domain], "definition": c.definition,
             "sensitivity": "medium", "facilitator_note": "", "status": "active",
             "version": 1, "is_demo": False, "created_at": now, "updated_at": now}
            for c in concepts])
        ids = dict(connection.execute(select(Concept.key, Concept.id)).all())
        rows = []
        for c in concepts:
            for tag, terms in c.terms.items():
                for term in terms:
                    rows.append({
                        "concept_id": ids[c.key], "language": tag, "text": term.text,
                        "status": term.status, "usage_register": term.register,
                        "back_translation": term.back_translation, "usage_note": "",
                        "no_equivalent": False, "paraphrase": "", "version": 1,
                        "is_demo": False, "updated_at": now})
        for start in range(0, len(rows), 20000):
            connection.execute(insert(Term), rows[start:start + 20000])
        states = ("agreed",) * 14 + ("proposed",) * 3 + ("needs_review", "disputed", "open")
        connection.execute(insert(Agreement), [
            {"concept_id": ids[c.key], "source_language": WORKING, "target_language": target,
             "state": chooser.choice(states), "lock_version": 0, "updated_at": now}
            for c in concepts])
    return {number: ids[c.key] for number, c in enumerate(concepts)}


@dataclass
class BenchGlossary:
    """A synthetic glossary written into a SQLite file of its own, with the app over it,
    one facilitator (``EMAIL``, ``PASSWORD``), the benchmark's queries and a text pair."""

    generator: Generator
    concepts: list[ConceptSpec]
    queries: list[Query]
    source_text: str
    target_text: str
    workdir: str
    url: str
    ids: dict[int, int]  # concept position -> database id
    app: object
    person_id: int
    EMAIL = "bench@example.org"
    PASSWORD = "bench-password-1"

    @property
    def term_count(self) -> int:
        return sum(len(terms) for c in self.concepts for terms in c.terms.values())

    @property
    def engine(self):
        return self.app.extensions["glossary_engine"]

    def close(self) -> None:
        """Close the app's connections and remove the database."""
        import shutil

        self.engine.dispose()
        shutil.rmtree(self.workdir, ignore_errors=True)


def bench_glossary(concepts: int, *, seed: int, target: str = "ar", queries: int = 200,
                   prefix: str = "search-bench-") -> BenchGlossary:
    """What the search benchmarks start from: ``concepts`` synthetic concepts in every
    language (:class:`Generator`), bulk-written into a new SQLite database (schema
    stamped current, so the app serves it), ``queries`` queries and a 1,000-word text
    pair working language -> ``target``, and a facilitator to sign in as."""
    import tempfile

    from sqlmodel import Session

    from glossary import create_app
    from glossary.db import make_engine
    from glossary.people import create_person

    generator = Generator(seed)
    specs = generator.concepts(concepts)
    chosen = generator.queries(specs, queries)
    source_text, target_text, _mentioned = generator.text_pair(specs, target)
    workdir = tempfile.mkdtemp(prefix=prefix)
    url = f"sqlite:///{workdir}/bench.db"
    engine = make_engine(url)
    ids = write_database(engine, specs, target=target, seed=seed)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "EXPORTS_DIR": f"{workdir}/exports"})
    with app.app_context(), Session(app.extensions["glossary_engine"],
                                    expire_on_commit=False) as session:
        person = create_person(session, fields={
            "name": "Bench", "email": BenchGlossary.EMAIL, "roles": "facilitator",
            "languages": "", "qualified": False, "training_date": None},
            password=BenchGlossary.PASSWORD, by=None)
    return BenchGlossary(generator, specs, chosen, source_text, target_text, workdir, url,
                         ids, app, person.id)


def record_section(path, start: str, end: str, section: str) -> None:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) in place of
    the text between those markers in the file ``path``, or append it."""
    from pathlib import Path

    path = Path(path)
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if start in existing and end in existing:
        head, rest = existing.split(start, 1)
        existing = head + section + rest.split(end, 1)[1]
    else:
        existing = existing.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(existing, encoding="utf-8")
    print(f"Recorded in {path}")
