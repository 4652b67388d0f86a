"""How the cost of a full ingest grows with the number of articles: 100, 1,000, 10,000.

    .venv/bin/python bench/scaling.py [--sizes 100 1000 10000] [--engine local] [--workers 2]

Each size is a fresh store filled by ``sitroom ingest`` (the real command: pages read from
files, the whole pipeline on the chosen engine, fusion in the store). The pages are synthetic
news stories written by this script from templates, with the shipped gazetteer's cities and
countries and a few thousand invented names, so the stories differ as real ones do (actors,
places, dates, numbers) and some report the same events as others. Prints, per size: seconds,
articles/s, and the time per article relative to the smallest run (1.00 = linear).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEADS = (
    "{src} forces struck {city} on {day}, killing {n} people, officials said.",
    "Hundreds of people protested in {city} on {day} against rising prices, witnesses said.",
    "The foreign minister of {src} met his {tgt_adj} counterpart in {city} on {day} to discuss the border.",
    "Police in {city} arrested {n} people on {day} after clashes near the parliament, a spokesman said.",
    "{src} imposed sanctions on {n} officials from {tgt} on {day}, the government said.",
    "{src} and {tgt} signed a ceasefire agreement in {city} on {day} after weeks of fighting.",
    "{src} sent {n} tonnes of food aid to {tgt} on {day}, the aid agency said.",
    "{src} accused {tgt} of shelling villages near {city} on {day}.",
)
MIDDLES = (
    "The {org} said the situation remained tense and called for calm.",
    "Residents of {city} described hearing explosions late into the night.",
    "{person}, a spokesman for the {org}, said talks would continue next week.",
    "Local media reported that at least {n2} others were injured.",
    "The United Nations urged both sides to protect civilians.",
    "Analysts said the move could deepen the crisis between {src} and {tgt}.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _world(rng: random.Random) -> dict:
    from sitroom.places.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    cities: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for number in range(len(gazetteer)):
        entry = gazetteer.entry(number)
        if entry.kind == "city" and entry.country and entry.population >= 200_000:
            cities.setdefault(entry.country, []).append(entry.name)
        elif entry.kind == "country" and entry.country:
            names[entry.country] = entry.name
    countries = sorted(c for c in cities if c in names and len(cities[c]) >= 2)
    people = [f"{rng.choice(['Amir', 'Elena', 'Tomas', 'Nadia', 'Yusuf', 'Maria', 'Omar', 'Irina'])} "
              f"{rng.choice(['Haddad', 'Petrov', 'Okafor', 'Silva', 'Karimi', 'Novak', 'Mensah', 'Rahman'])}" for _ in range(400)]
    orgs = [f"{rng.choice(['National', 'Popular', 'United', 'Democratic'])} {rng.choice(['Front', 'Council', 'Movement'])}"
            for _ in range(50)]
    return {"countries": countries, "cities": cities, "names": names, "people": people, "orgs": orgs}


def write_pages(folder: Path, count: int, seed: int = 11) -> None:
    """Write ``count`` synthetic story pages (plain text, a headline then paragraphs)."""
    rng = random.Random(seed)
    world = _world(rng)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        src, tgt = rng.sample(world["countries"], 2)
        values = {
            "src": world["names"][src], "tgt": world["names"][tgt], "tgt_adj": world["names"][tgt],
            "city": rng.choice(world["cities"][src][:10]), "day": rng.choice(WEEKDAYS), "n": rng.randint(2, 80),
            "n2": rng.randint(2, 40), "org": rng.choice(world["orgs"]), "person": rng.choice(world["people"]),
        }
        lead = rng.choice(LEADS).format(**values)
        paragraphs = [lead] + [rng.choice(MIDDLES).format(**values) for _ in range(rng.randint(3, 7))]
        day = 1 + i % 28
        text = f"{lead.split(',')[0]}\n\nPublished 2025-06-{day:02d}\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / f"story-{i:05d}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--engine", default="local")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sitroom = str(Path(sys.executable).with_name("sitroom"))
    rows = []
    for size in args.sizes:
        tmp = Path(tempfile.mkdtemp(prefix="sitroom-scaling-"))
        try:
            write_pages(tmp / "pages", size)
            started = time.perf_counter()
            done = subprocess.run([sitroom, "ingest", "--db", str(tmp / "s.db"), "--engine", args.engine,
                                   "--workers", str(args.workers), str(tmp / "pages")],
                                  capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - started
            if done.returncode not in (0, 1):
                print(done.stderr[-2000:], file=sys.stderr)
            rows.append((size, seconds))
            print(f"  {size} articles: {seconds:.1f} s", file=sys.stderr, flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    base = rows[0][1] / rows[0][0]
    print(f"| articles | seconds | articles/s | time per article vs {rows[0][0]} |")
    print("|---:|---:|---:|---:|")
    for size, seconds in rows:
        print(f"| {size:,} | {seconds:.1f} | {size / seconds:.1f} | {seconds / size / base:.2f} |")


if __name__ == "__main__":
    main()
