"""The running summary (store/summary.py): a report joining an event updates the stored tally,
and the row it gives must equal a full recomputation from every report, in any arrival order."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import select

from records import add_docs, make_doc
from sitroom.store import Store
from sitroom.store.fuse import refresh
from sitroom.store.schema import documents, events, fused_events

ISRAEL = ("Israel", "GPE", "ISR", "country:ISR")
HAMAS = ("Hamas", "ORG", "PSE", "org:hamas")
KHAN_YUNIS = {"name": "Khan Younis", "kind": "city", "country": "PSE", "lat": 31.34, "lon": 34.30, "gid": "281133"}
BANI_SUHEILA = {"name": "Bani Suheila", "kind": "city", "country": "PSE", "lat": 31.34, "lon": 34.32, "gid": "281140"}
GAZA = {"name": "Gaza Strip", "kind": "region", "country": "PSE", "lat": 31.4, "lon": 34.4, "gid": "gaza"}
SITES = ("alpha.example", "beta.example", "gamma.example", None, None)


def _reports(rng: random.Random, count: int) -> list[tuple[str, str | None, str, dict[str, Any], str | None]]:
    """``count`` reports of one strike: ids, sites (some none), publication days, the report,
    and now and then the id of an earlier or later report it is a syndicated copy of."""
    out = []
    for i in range(count):
        killed = rng.choice([None, 12, 13, 14, 15])
        place = rng.choice([KHAN_YUNIS, KHAN_YUNIS, BANI_SUHEILA, GAZA, None])
        report = {"text": f"Israeli jets struck Hamas positions near Khan Younis, killing {killed or 'several'} people, "
                          f"medics said in report {i}.",
                  "type": "ASSAULT", "mode": rng.choice(["aerial", "aerial", "shelling", None]), "sources": [ISRAEL],
                  "targets": rng.choice([[HAMAS], []]), "when": rng.choice(["2025-03-04", None]),
                  "place": place, "killed": killed, "injured": rng.choice([None, 20, 22]),
                  "modality": rng.choice(["asserted", "asserted", "claimed", "negated", "planned"])}
        duplicate_of = f"r{rng.randrange(count)}" if i and rng.random() < 0.3 else None
        out.append((f"r{i}", rng.choice(SITES), f"2025-03-0{rng.randint(4, 6)}", report, duplicate_of))
    return out


def _rows(store: Store) -> dict[int, dict[str, Any]]:
    with store._engine.connect() as conn:  # noqa: SLF001
        return {row.id: {k: v for k, v in row._mapping.items() if k != "tally"}
                for row in conn.execute(select(fused_events).where(fused_events.c.status == "active"))}


def _expected_sources(store: Store, fused_id: int) -> tuple[int, int, int]:
    """Reports, documents and independent sources of one event, counted here from scratch:
    components of the graph joining documents that share a site or are copies one of the other."""
    with store._engine.connect() as conn:  # noqa: SLF001
        rows = conn.execute(select(events.c.doc_id, documents.c.site, documents.c.duplicate_of)
                            .join(documents, documents.c.doc_id == events.c.doc_id)
                            .where(events.c.fused_id == fused_id, events.c.superseded_at.is_(None))).all()
    docs = {doc: (site, dup) for doc, site, dup in rows}
    edges = {doc: set() for doc in docs}
    for a, (site_a, dup_a) in docs.items():
        for b, (site_b, dup_b) in docs.items():
            if a != b and ((site_a and site_a == site_b) or dup_a == b or dup_b == a or (dup_a and dup_a == dup_b)):
                edges[a].add(b)
    seen: set[str] = set()
    components = 0
    for doc in docs:
        if doc not in seen:
            components += 1
            todo = [doc]
            while todo:
                here = todo.pop()
                if here not in seen:
                    seen.add(here)
                    todo.extend(edges[here])
    return len(rows), len(docs), components


@pytest.mark.parametrize("seed", range(6))
def test_joining_reports_one_by_one_equals_a_full_recount(db_target: str, seed: int) -> None:
    rng = random.Random(seed)
    with Store.open(db_target) as store:
        for doc_id, site, published, report, duplicate_of in _reports(rng, 30):
            url = f"https://{site}/{doc_id}" if site else f"file:///news/{doc_id}.txt"
            again = {**report, "text": f"The strike in {doc_id} was the deadliest this week, medics said.", "killed": None}
            reports = [report, again] if rng.random() < 0.3 else [report]  # a second report of it in one page
            doc = make_doc(doc_id, site or "", published, reports, url=url, duplicate_of=duplicate_of)
            doc.source.site = site
            add_docs(store, doc)
        incremental = _rows(store)
        for fused_id, row in incremental.items():
            assert (row["n_mentions"], row["n_documents"], row["n_sources"]) == _expected_sources(store, fused_id)
        assert max(row["n_mentions"] for row in incremental.values()) >= 5  # the test reaches big events
        with store._engine.begin() as conn:  # noqa: SLF001
            for fused_id in incremental:
                refresh(conn, fused_id)  # no report given: every current report folded again
        assert _rows(store) == incremental
