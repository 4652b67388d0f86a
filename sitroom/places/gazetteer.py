"""The offline gazetteer: GeoNames countries, first- and second-level divisions, cities, and the
curated table of places gazetteers of cities miss.

Two shipped files (``sitroom/data``): ``gazetteer.tsv.gz`` (built by ``tools/build_gazetteer.py``
from GeoNames facts, CC BY 4.0) and ``places_curated.tsv`` (maintained by hand). Both are read once
per process by :func:`load_gazetteer`; lookups are by a folded key (lower case, no accents, no
hyphens), so "As-Suwayda", "as suwayda" and "As Suwayda" find the same entries.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

GAZETTEER_FILE = "gazetteer.tsv.gz"
CURATED_FILE = "places_curated.tsv"

# Plural and adjective forms that countryinfo's one demonym per country leaves out, and words for
# peoples that name no country; all are "not a place" (NORP) words.
EXTRA_DEMONYMS: dict[str, str | None] = {
    "british": "GBR", "briton": "GBR", "britons": "GBR", "english": "GBR", "scottish": "GBR", "welsh": "GBR",
    "palestinian": "PSE", "palestinians": "PSE", "emirati": "ARE", "saudi": "SAU", "saudis": "SAU",
    "dutch": "NLD", "swiss": "CHE", "french": "FRA", "irish": "IRL", "chinese": "CHN", "japanese": "JPN",
    "lebanese": "LBN", "sudanese": "SDN", "vietnamese": "VNM", "portuguese": "PRT", "taiwanese": "TWN",
    "congolese": "COD", "senegalese": "SEN", "maltese": "MLT", "nepalese": "NPL", "burmese": "MMR",
    "kurdish": None, "kurds": None, "druze": None, "bedouin": None, "arab": None, "arabs": None,
    "jewish": None, "muslim": None, "christian": None, "sunni": None, "shia": None, "shiite": None,
    "western": None, "european": None, "african": None, "asian": None, "soviet": "RUS", "yemeni": "YEM",
    "afghan": "AFG", "afghans": "AFG", "iraqi": "IRQ", "iraqis": "IRQ", "israeli": "ISR", "israelis": "ISR",
    "turkish": "TUR", "turks": "TUR", "spanish": "ESP", "polish": "POL", "danish": "DNK", "swedish": "SWE",
    "finnish": "FIN", "greek": "GRC", "filipino": "PHL", "filipinos": "PHL", "thai": "THA", "korean": None,
    "american": "USA", "americans": "USA", "kuwaiti": "KWT", "qatari": "QAT", "omani": "OMN", "bahraini": "BHR", "jordanian": "JOR",
}

_SPACE = re.compile(r"[\s\-‐‑–]+")
_DROP = re.compile(r"['’‘ʻʼ`]")


def key(name: str) -> str:
    """The lookup key of a name: accent-free lower case, hyphens as spaces, apostrophes dropped."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _DROP.sub("", text)
    return _SPACE.sub(" ", text).strip().lower()


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place in the gazetteer.

    Attributes:
        gid: ``geonames:<id>``, ``admin1:<CC>.<code>``, ``admin2:...`` or ``sitroom:<slug>``.
        kind: ``country``, ``admin1``, ``admin2``, ``city``, ``region``, ``facility``, ``water``, ``other``.
        name: the gazetteer's name.
        country: ISO 3166-1 alpha-3 code, or None (seas, disputed areas, continents).
        admin1: the first-level division's name, if known.
        lat, lon: a representative point (a city's own point, a country's or division's centre).
        population: GeoNames population (divisions: sum of their cities; curated places: 0).
        fcode: ``PCLI``, ``ADM1``, ``ADM2``, ``PPL``, ``PPLC`` (capital), ``CONT`` or ``CURATED``.
    """

    gid: str
    kind: str
    name: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int
    fcode: str

    @property
    def curated(self) -> bool:
        """True for places of the curated table (not from GeoNames)."""
        return self.fcode == "CURATED"


class Gazetteer:
    """Name → places index over the shipped data.

    Entries are kept as their raw TSV lines and parsed on first use, so loading costs one pass
    that only splits off each line's lookup keys.

    Args:
        lines: one TSV line per place (the columns of ``gazetteer.tsv.gz``).
        demonyms: folded demonym → ISO3 country code (None for peoples without a country).
    """

    def __init__(self, lines: list[str], demonyms: dict[str, str | None]) -> None:
        self._lines = lines
        self._cache: dict[int, GazetteerEntry] = {}
        self.demonyms = demonyms
        # key → (entry number << 1 | is-primary-name), an int for a unique key, a list otherwise
        index: dict[str, int | list[int]] = {}
        self._index = index
        self.by_country: dict[str, GazetteerEntry] = {}
        for number, line in enumerate(lines):
            head, keys, demonym = line.rsplit("\t", 2)
            code = number << 1 | 1
            for folded in keys.split("|"):
                hit = index.get(folded)
                if hit is None:
                    index[folded] = code
                elif isinstance(hit, int):
                    index[folded] = [hit, code]
                else:
                    hit.append(code)
                code &= ~1
            if head[:9] == "geonames:" and "\tcountry\t" in head:
                entry = self.entry(number)
                if entry.country:
                    self.by_country[entry.country] = entry
                if demonym:
                    for form in (demonym, demonym + "s"):
                        demonyms.setdefault(key(form), entry.country)

    def entry(self, number: int) -> GazetteerEntry:
        """The entry on line ``number`` (parsed once)."""
        entry = self._cache.get(number)
        if entry is None:
            gid, kind, name, country, admin1, lat, lon, pop, fcode, _keys, _dem = self._lines[number].split("\t")
            entry = GazetteerEntry(gid, kind, name, country or None, admin1 or None, float(lat), float(lon), int(pop), fcode)
            self._cache[number] = entry
        return entry

    def _hits(self, folded: str) -> list[int]:
        hit = self._index.get(folded)
        if hit is None:
            return []
        return [hit] if isinstance(hit, int) else hit

    def add_names(self, number: int, names: list[str]) -> None:
        """Give entry ``number`` more names (used for the curated aliases)."""
        for name in names:
            folded = key(name)
            hits = self._hits(folded)
            if folded and all(code >> 1 != number for code in hits):
                self._index[folded] = [*hits, number << 1]

    def candidates(self, name: str) -> list[GazetteerEntry]:
        """Every place called ``name`` (any spelling the gazetteer knows), most populous first."""
        return sorted((e for e, _ in self.matches(name)), key=lambda e: -e.population)

    def matches(self, name: str) -> list[tuple[GazetteerEntry, bool]]:
        """Places called ``name``, each with whether ``name`` is its primary name."""
        return [(self.entry(code >> 1), bool(code & 1)) for code in self._hits(key(name))]

    def demonym_country(self, word: str) -> str | None:
        """The country a demonym names ("Syrian" → "SYR"), None when it names none."""
        return self.demonyms.get(key(word))

    def is_demonym(self, word: str) -> bool:
        """True for demonyms and names of peoples ("Syrian", "Russians", "Druze"): never places."""
        return key(word) in self.demonyms

    def country(self, iso3: str) -> GazetteerEntry | None:
        """The country entry for an ISO3 code."""
        return self.by_country.get(iso3)

    def __len__(self) -> int:
        return len(self._lines)


EARTH_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _data_path(name: str) -> Path:
    return Path(str(resources.files("sitroom") / "data" / name))


def _read_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [line for line in handle.read().split("\n") if line and line[0] != "#"]


def read_curated(path: Path | None = None) -> list[dict[str, str]]:
    """The curated table's rows as dicts (column name → text)."""
    path = path or _data_path(CURATED_FILE)
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        rows.append(dict(zip(header, fields + [""] * (len(header) - len(fields)))))
    return rows


def _target(gazetteer: Gazetteer, row: dict[str, str]) -> int | None:
    kind = row["kind"].split(":", 1)[1]
    country = row["country"] or None
    found = [code >> 1 for code in gazetteer._hits(key(row["name"])) if code & 1]
    found = [n for n in found if gazetteer.entry(n).kind == kind and gazetteer.entry(n).country == country]
    return max(found, key=lambda n: gazetteer.entry(n).population) if found else None


def _curated_line(row: dict[str, str]) -> str:
    keys = dict.fromkeys(key(n) for n in [row["name"], *row["aliases"].split("|")] if n.strip())
    fields = [row["id"], row["kind"], row["name"], row["country"], row["admin1"], row["lat"], row["lon"], "0", "CURATED",
              "|".join(keys), ""]
    return "\t".join(fields)


def build_gazetteer(geonames: Path | None = None, curated: Path | None = None) -> Gazetteer:
    """Read the shipped data files into a :class:`Gazetteer` (use :func:`load_gazetteer` for the cached one).

    Raises:
        FileNotFoundError: when the data files are missing from the installation.
    """
    lines = _read_lines(geonames or _data_path(GAZETTEER_FILE))
    rows = read_curated(curated)
    aliases = [row for row in rows if row["kind"].startswith("alias:")]
    lines += [_curated_line(row) for row in rows if not row["kind"].startswith("alias:")]
    demonyms: dict[str, str | None] = dict(EXTRA_DEMONYMS)
    gazetteer = Gazetteer(lines, demonyms)
    for row in aliases:
        target = _target(gazetteer, row)
        if target is not None:
            gazetteer.add_names(target, [a for a in row["aliases"].split("|") if a])
    return gazetteer


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process."""
    return build_gazetteer()


# Aliases too short or too common to hand to an EntityRuler (they would tag ordinary words).
_PATTERN_MIN_LEN = 4
_KIND_LABEL = {"facility": "FAC", "region": "LOC", "water": "LOC", "other": "LOC"}


def toponym_patterns(curated: Path | None = None) -> list[dict]:
    """spaCy EntityRuler patterns for the curated places and their spellings.

    Only the curated table (bases, crossings, regions, disputed areas, and the spellings of
    provinces and cities the small model misses, e.g. "Hmeimim", "Sweida") is turned into patterns:
    its names are distinctive, so the list stays focused and tags no common words. Each name is a
    case-sensitive phrase pattern, also in a "the "-less form.

    Returns:
        Dicts ``{"label": "GPE"|"LOC"|"FAC", "pattern": "...", "id": "<curated id>"}``.
    """
    patterns: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for row in read_curated(curated):
        kind = row["kind"]
        label = "GPE" if kind.startswith("alias:") else _KIND_LABEL.get(kind, "LOC")
        for name in [row["name"], *row["aliases"].split("|")]:
            name = name.strip()
            if name.lower().startswith("the "):
                continue  # "the Gulf" → "Gulf" would tag a common word; the bare name has its own row
            if len(name) < _PATTERN_MIN_LEN or (name.isupper() and len(name) <= 4) or not name[:1].isupper():
                continue
            if (label, name) in seen:
                continue
            seen.add((label, name))
            patterns.append({"label": label, "pattern": name, "id": row["id"]})
    return patterns
