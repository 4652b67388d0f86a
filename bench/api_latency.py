"""API latency over a store of N synthetic events: the REST calls the situation-room page makes.

    .venv/bin/python bench/api_latency.py                      # build /tmp/sitroom-api.db (100k reports), time
    .venv/bin/python bench/api_latency.py --reuse --db PATH    # time an existing store

The store is built by ``bench/store_scale.py``'s ``ingest`` (the real write path, fusion
included; about 4 minutes for 100k reports here). Each call goes through the whole application
in process (``fastapi.testclient.TestClient``: routing, validation, the query, JSON encoding and
the security middleware; no network), with random arguments drawn like a user's, p50 and p95
over --repeat calls. Issue 7's target: p95 of the filtered event list under 150 ms. The machine
is shared: compare runs made together.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_scale import DAYS, TYPES, _iso, _world, ingest  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from sitroom.api import create_app  # noqa: E402
from sitroom.store import Store  # noqa: E402

TARGET_MS = 150.0


def _time(client: TestClient, make: Callable[[], tuple[str, dict[str, Any]]], repeat: int) -> tuple[float, float, str]:
    times: list[float] = []
    shown = ""
    for _ in range(repeat):
        path, params = make()
        started = time.perf_counter()
        r = client.get(path, params=params)
        times.append((time.perf_counter() - started) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{path} {params}: HTTP {r.status_code} {r.text[:300]}")
        shown = _size(r)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], shown


def _size(r: Any) -> str:
    body = r.json()
    if "events" in body and isinstance(body["events"], list):
        return f"{len(body['events'])} of {body['total']}" if body.get("total") is not None else str(len(body["events"]))
    if "by_day" in body:
        return f"total {body['total']}, {len(body['by_day'])} day rows"
    if "nodes" in body:
        return f"{len(body['nodes'])} nodes, {len(body['edges'])} edges"
    if "places" in body:
        return f"{len(body['places'])} places"
    return f"{len(body.get('mentions', []))} mentions"


def cases(client: TestClient, seed: int) -> dict[str, tuple[bool, Callable[[], tuple[str, dict[str, Any]]]]]:
    """name -> (is a filtered event list, a maker of (path, params))."""
    rng = random.Random(seed + 2)
    world = _world(random.Random(seed))
    countries = world["countries"]
    months = [_iso(d)[:7] for d in range(0, DAYS, 30)]
    ids = [e["id"] for e in client.get("/api/v1/events", params={"limit": 200, "sort": "reported"}).json()["events"]]

    def month() -> dict[str, str]:
        m = rng.choice(months)
        return {"from": m + "-01", "to": m + "-28"}

    def events(params: Callable[[], dict[str, Any]]) -> Callable[[], tuple[str, dict[str, Any]]]:
        return lambda: ("/api/v1/events", params())

    return {
        "/events type + month": (True, events(lambda: {"type": rng.choice(list(TYPES)), **month()})),
        "/events country": (True, events(lambda: {"country": rng.choice(countries)})),
        "/events country + month": (True, events(lambda: {"country": rng.choice(countries), **month()})),
        "/events q (text)": (True, events(lambda: {"q": rng.choice(["struck", "sanctions", "detained", "deal", "aid"])})),
        "/events actor": (True, events(lambda: {"actor": rng.choice(world["groups"])[0]})),
        "/events place": (True, events(lambda: {"place": rng.choice(world["cities"][rng.choice(countries[:30])][:10]).name})),
        "/events min_sources=2": (True, events(lambda: {"min_sources": 2})),
        "/events country + type + min_sources=2": (True, events(lambda: {"country": rng.choice(countries[:20]), "type": "ASSAULT",
                                                                         "min_sources": 2})),
        "/events sort=sources, type": (True, events(lambda: {"sort": "sources", "type": rng.choice(list(TYPES))})),
        "/events offset 1000": (True, events(lambda: {"offset": 1000 + rng.randrange(50)})),
        "/events no filter, limit 500": (False, events(lambda: {"limit": 500})),
        "/events type, mentions=1": (False, events(lambda: {"type": rng.choice(list(TYPES)), "mentions": 1})),
        "/events/{id}": (False, lambda: (f"/api/v1/events/{rng.choice(ids)}", {})),
        "/stats (everything)": (False, lambda: ("/api/v1/stats", {})),
        "/stats country": (False, lambda: ("/api/v1/stats", {"country": rng.choice(countries)})),
        "/stats type + month": (False, lambda: ("/api/v1/stats", {"type": rng.choice(list(TYPES)), **month()})),
        "/network (500 newest events)": (False, lambda: ("/api/v1/network", {})),
        "/network country": (False, lambda: ("/api/v1/network", {"country": rng.choice(countries)})),
        "/places (everything)": (False, lambda: ("/api/v1/places", {})),
        "/places type + month": (False, lambda: ("/api/v1/places", {"type": rng.choice(list(TYPES)), **month()})),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="event reports to write (default 100,000)")
    parser.add_argument("--db", default="/tmp/sitroom-api.db", help="store to build (replaced unless --reuse)")
    parser.add_argument("--repeat", type=int, default=100, help="calls per case")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="time an existing --db without ingesting")
    args = parser.parse_args()
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        with Store.open(args.db) as store:
            docs, seconds = ingest(store, args.events, args.seed)
        print(f"built {args.db}: {args.events:,} reports in {docs:,} documents, {seconds:,.0f} s", file=sys.stderr)
    with TestClient(create_app(args.db, token="")) as client:
        fused = client.get("/api/v1/stats").json()["total"]
        print(f"| call ({fused:,} fused events, {args.repeat} calls each) | p50 ms | p95 ms | last answer |")
        print("|---|---:|---:|---|")
        missed = []
        for name, (listed, make) in cases(client, args.seed).items():
            p50, p95, shown = _time(client, make, args.repeat)
            flag = ""
            if listed and p95 >= TARGET_MS:
                flag = " **over target**"
                missed.append(name)
            print(f"| {name} | {p50:.1f} | {p95:.1f}{flag} | {shown} |", flush=True)
    if missed:
        print(f"\nfiltered event lists over the {TARGET_MS:.0f} ms p95 target: {', '.join(missed)}", file=sys.stderr)


if __name__ == "__main__":
    main()
