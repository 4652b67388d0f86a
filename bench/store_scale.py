"""How the store scales: ingest N synthetic events through the real write path (fusion included),
then time the common queries. Prints two tables.

    .venv/bin/python bench/store_scale.py --events 1000000 --db /tmp/scale.db

The events are generated, not extracted (no model runs): documents of 1-8 events each, from
300 sites, over three years, in 120 countries weighted like news coverage (a few countries get
most events), at cities of the shipped gazetteer, between country actors and 5,000 named groups
and people. About a third of the events are reported again by another site one or two days
later, with other numbers and other words, so fusion has real work to do. The same seed gives
the same store.

Query timings are wall-clock per call over the open store, p50 and p95 over --repeat calls with
random arguments, for the two shapes a page comes in: as the API, the web page and the CLI's table
serve it (summary fields, actors, each source's counts; no mentions) and as ``sitroom events
--format json`` prints it (with every mention of every event). This machine is shared: compare
runs made together, not with other days.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sitroom.model import Article, Counts, Document, Entity, Event, Place, Source, Span, When
from sitroom.places.gazetteer import load_gazetteer
from sitroom.store import Store, StoredItem

TYPES = {  # weights roughly as event types occur in news
    "ASSAULT": 22, "CONSULT": 16, "PROTEST": 10, "COERCE": 9, "ACCUSE": 8, "AGREE": 6, "THREATEN": 5, "REQUEST": 5,
    "SUPPORT": 4, "COOPERATE": 4, "MOBILIZE": 3, "SANCTION": 3, "REJECT": 2, "AID": 1, "CONCEDE": 1, "RETREAT": 1,
}
VERBS = {"ASSAULT": "struck", "CONSULT": "met", "PROTEST": "protested against", "COERCE": "detained members of",
         "ACCUSE": "accused", "AGREE": "agreed with", "THREATEN": "threatened", "REQUEST": "called on",
         "SUPPORT": "backed", "COOPERATE": "signed a deal with", "MOBILIZE": "deployed troops near",
         "SANCTION": "imposed sanctions on", "REJECT": "rejected a proposal by", "AID": "sent aid to",
         "CONCEDE": "released prisoners of", "RETREAT": "withdrew from positions held against"}
FILLER = ("officials said", "witnesses said", "according to local media", "a spokesman said", "residents reported",
          "in a statement", "on state television", "medics said", "the ministry said", "sources told reporters")
START = "2023-01-01"
DAYS = 3 * 365


def _world(rng: random.Random) -> dict[str, Any]:
    gazetteer = load_gazetteer()
    cities: dict[str, list[Any]] = {}
    for number in range(len(gazetteer)):
        entry = gazetteer.entry(number)
        if entry.kind == "city" and entry.country and entry.population >= 100_000:
            cities.setdefault(entry.country, []).append(entry)
    countries = sorted(c for c, found in cities.items() if len(found) >= 3)[:120]
    rng.shuffle(countries)
    weights = [1 / (rank + 1) for rank in range(len(countries))]  # Zipf: news is about few countries
    groups = [(f"{rng.choice(['United', 'Popular', 'National', 'Free', 'Revolutionary', 'Democratic'])} "
               f"{rng.choice(['Front', 'Movement', 'Council', 'Brigade', 'Party', 'Union', 'Alliance'])} "
               f"of {rng.choice(['Liberation', 'Unity', 'Justice', 'Progress', 'Renewal'])} {i}",
               rng.choice(["ORG", "ORG", "PERSON"]), rng.choices(countries, weights)[0]) for i in range(5000)]
    return {"cities": cities, "countries": countries, "weights": weights, "groups": groups}


def _event(rng: random.Random, world: dict[str, Any]) -> dict[str, Any]:
    country = rng.choices(world["countries"], world["weights"])[0]
    other = rng.choices(world["countries"], world["weights"])[0]
    kind = rng.choices(list(TYPES), list(TYPES.values()))[0]
    source = (country, "GPE", country, f"country:{country}") if rng.random() < 0.5 else rng.choice(world["groups"])[:3] + (None,)
    target = (other, "GPE", other, f"country:{other}") if rng.random() < 0.5 else rng.choice(world["groups"])[:3] + (None,)
    day = rng.randrange(DAYS)
    return {"type": kind, "source": source, "target": target, "city": rng.choice(world["cities"][country][:40]),
            "day": day, "dated": rng.random() < 0.7, "killed": rng.randrange(1, 60) if kind == "ASSAULT" and rng.random() < 0.5 else None}


def _iso(day: int) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(START) + dt.timedelta(days=day)).isoformat()


def _document(doc_no: int, site: str, published: int, reports: list[dict[str, Any]], rng: random.Random) -> Document:
    sentences, events, entities, places = [], [], {}, {}
    offset = 0
    for i, e in enumerate(reports):
        src, tgt = e["source"], e["target"]
        sentence = (f"{src[0]} {VERBS[e['type']]} {tgt[0]} in {e['city'].name}"
                    f"{' on ' + _iso(e['day']) if e['dated'] else ''}"
                    f"{', killing ' + str(e['killed'] + rng.randrange(0, 3)) + ' people' if e['killed'] else ''}, {rng.choice(FILLER)}.")
        span = Span(text=sentence, start=offset, end=offset + len(sentence))
        ids = []
        for name, type_, country, kb_id in (src, tgt):
            if name not in entities:
                entities[name] = Entity(id=f"e{len(entities) + 1}", name=name, type=type_, country=country, kb_id=kb_id, mentions=[span])
            ids.append(entities[name].id)
        city = e["city"]
        if city.gid not in places:
            places[city.gid] = Place(id=f"p{len(places) + 1}", name=city.name, kind="city", country=city.country,
                                     admin1=city.admin1, lat=city.lat, lon=city.lon, gazetteer_id=city.gid, mentions=[span])
        when = When(from_=_iso(e["day"]), to=_iso(e["day"]), precision="day") if e["dated"] else When(from_=None, to=None, precision="unknown")
        events.append(Event(id=f"v{i + 1}", type=e["type"], sources=ids[:1], targets=ids[1:], place=places[city.gid].id, when=when,
                            counts=Counts(killed=e["killed"]), modality="asserted", confidence=0.6, evidence=span, section="main"))
        sentences.append(sentence)
        offset += len(sentence) + 1
    body = " ".join(sentences)
    return Document(doc_id=f"{doc_no:016x}", source=Source(url=f"https://{site}/a/{doc_no}", path=None, site=site),
                    article=Article(title=sentences[0][:80], published=_iso(published), body=body, removed=[]),
                    entities=list(entities.values()), places=list(places.values()), events=events)


def ingest(store: Store, total: int, seed: int, batch: int = 200) -> tuple[int, float]:
    """Write about ``total`` synthetic event reports; returns (documents, seconds)."""
    rng = random.Random(seed)
    world = _world(rng)
    sites = [f"outlet{i}.example" for i in range(300)]
    pending: list[tuple[int, dict[str, Any]]] = []  # re-reports due on a later day
    written = docs = 0
    items: list[StoredItem] = []
    started = time.perf_counter()
    last = started
    while written < total:
        reports = [_event(rng, world) for _ in range(rng.randint(1, 8))]
        published = max(e["day"] for e in reports) + rng.randrange(0, 2)
        again = [e for e in reports if rng.random() < 0.33]
        pending.extend((published + rng.randint(1, 2), e) for e in again)
        if pending and rng.random() < 0.5:
            due = pending[: rng.randint(1, min(4, len(pending)))]
            del pending[: len(due)]
            reports += [{**e, "killed": e["killed"] and e["killed"] + rng.randrange(0, 8), "dated": rng.random() < 0.6} for _, e in due]
            published = max(published, max(d for d, _ in due))
        doc = _document(docs, rng.choice(sites), published, reports, rng)
        items.append(StoredItem(document=doc, raw_sha=f"{docs:064x}", input=f"synthetic#{docs}", signature=b""))
        docs += 1
        written += len(reports)
        if len(items) >= batch:
            store.add_batch(items)
            items = []
            now = time.perf_counter()
            if now - last > 10:
                print(f"  {written:,} events, {written / (now - started):,.0f}/s", file=sys.stderr, flush=True)
                last = now
    if items:
        store.add_batch(items)
    return docs, time.perf_counter() - started


def _time(call: Any, repeat: int, mentions: bool) -> tuple[float, float, int]:
    times, rows = [], 0
    for i in range(repeat):
        started = time.perf_counter()
        rows = len(call(mentions))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], rows


def queries(store: Store, repeat: int, seed: int) -> list[tuple[str, float, float, int, float, float]]:
    """Time the common queries; returns (name, p50 ms, p95 ms, rows of the last call, p50 and p95
    ms with every mention)."""
    rng = random.Random(seed + 1)
    world = _world(random.Random(seed))
    countries = world["countries"]
    months = [_iso(d)[:7] for d in range(0, DAYS, 30)]
    ids = [e["id"] for e in store.events(limit=200, sort="reported")]

    def month() -> dict[str, str]:
        m = rng.choice(months)
        return {"date_from": m + "-01", "date_to": m + "-28"}

    cases = {
        "type + month, page 1": lambda m: store.events(type_=rng.choice(list(TYPES)), **month(), with_mentions=m),
        "country (any), page 1": lambda m: store.events(country=rng.choice(countries), with_mentions=m),
        "country + month": lambda m: store.events(country=rng.choice(countries), **month(), with_mentions=m),
        "country + type + sources>=2": lambda m: store.events(country=rng.choice(countries[:20]), type_="ASSAULT", min_sources=2,
                                                              with_mentions=m),
        "actor by name": lambda m: store.events(actor=rng.choice(world["groups"])[0], with_mentions=m),
        "text search": lambda m: store.events(search=rng.choice(["struck", "sanctions", "detained", "deal", "aid"]), with_mentions=m),
        "place name": lambda m: store.events(place=rng.choice(world["cities"][rng.choice(countries[:30])][:10]).name,
                                             with_mentions=m),
        "no filter, page 20": lambda m: store.events(offset=1000, with_mentions=m),
        "sorted by sources": lambda m: store.events(sort="sources", type_="PROTEST", with_mentions=m),
        "sorted by last update": lambda m: store.events(sort="reported", with_mentions=m),
        "one event (always with mentions)": lambda m: [store.event(rng.choice(ids))],
        "as-of, type + country": lambda m: store.events(as_of=_iso(rng.randrange(DAYS)), type_="SANCTION",
                                                        country=rng.choice(countries[:5]), with_mentions=m),
    }
    return [(name, *_time(call, repeat, False), *_time(call, repeat, True)[:2]) for name, call in cases.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="event reports to write (default 1,000,000)")
    parser.add_argument("--db", default="/tmp/sitroom-scale.db", help="store to build (replaced)")
    parser.add_argument("--repeat", type=int, default=100, help="calls per query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="time queries on an existing --db without ingesting")
    args = parser.parse_args()
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
    with Store.open(args.db) as store:
        if not args.reuse:
            docs, seconds = ingest(store, args.events, args.seed)
            fused = store.count_events()
            print("| store | reports | documents | fused events | seconds | reports/s |")
            print("|---|---:|---:|---:|---:|---:|")
            print(f"| SQLite | {args.events:,} | {docs:,} | {fused:,} | {seconds:,.0f} | {args.events / seconds:,.0f} |")
            print()
        print(f"| query ({store.count_events():,} fused events) | p50 ms | p95 ms | rows | with every mention: p50 ms | p95 ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, p50, p95, rows, m50, m95 in queries(store, args.repeat, args.seed):
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {rows} | {m50:.1f} | {m95:.1f} |")


if __name__ == "__main__":
    main()
