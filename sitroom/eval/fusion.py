"""The fusion benchmark: does one real event become one fused event, and do look-alikes stay apart?

The gold set is the project's own (``bench/fusion``: 39 pages we wrote, 48 gold mentions in 18
events; see its README). Its pages go through the whole pipeline and into a fresh store, twice:
once in publication order (as pages arrive in real life) and once in the reverse order (the
fusion must not depend on arrival order). Each gold row is then mapped to the stored mention of
its page whose evidence contains the row's cue, of the row's type when several do; rows with no
such mention are counted as missed and left out of the scores.

Scores over the mapped rows: pair precision and recall (two rows in one fused event vs in one
gold event), and B-cubed precision, recall and F1. Two baselines bracket them: ``singletons``
(no fusion at all) and ``type + place`` (one event per type and place name, the rule of thumb
of report-counting systems). ``sources right`` counts the gold events whose rows all landed in
one fused event with the right number of independent sources (distinct sites, syndicated copies
counted once).
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from sitroom.errors import Code, SitroomError

_PUBLISHED = re.compile(r'<meta[^>]+property="article:published_time"[^>]+content="([^"]+)"', re.I)


@dataclass
class GoldRow:
    """One gold mention: the page, a cue inside its sentence, the PLOVER type, the gold event."""

    page: str
    cue: str
    type: str
    event: str
    role: str


def read_gold(folder: Path) -> list[GoldRow]:
    """The rows of ``gold.tsv``.

    Raises:
        SitroomError: E017 when the file or the pages folder is absent.
    """
    path = folder / "gold.tsv"
    if not path.exists() or not (folder / "pages").is_dir():
        raise SitroomError(Code.NO_DATA, str(folder), detail="no gold.tsv and pages/ here")
    with path.open(encoding="utf-8", newline="") as fh:
        return [GoldRow(r["page"], r["cue"], r["type"], r["event"], r.get("role") or "report")
                for r in csv.DictReader(fh, delimiter="\t")]


def _order(pages: Sequence[Path]) -> list[Path]:
    """Pages by the publication time they declare (then by name)."""
    def key(path: Path) -> tuple[str, str]:
        found = _PUBLISHED.search(path.read_text(encoding="utf-8", errors="replace"))
        return (found.group(1) if found else "", path.name)
    return sorted(pages, key=key)


def _run(pages: Sequence[Path], db: str, progress: Callable[[int, int], None] | None) -> None:
    from sitroom.config import load_settings
    from sitroom.ingest import IngestOptions, iter_pages
    from sitroom.pipeline import Pipeline
    from sitroom.store import Store, StoredItem

    settings = load_settings(None)
    pipeline = Pipeline(settings)
    with Store.open(db) as store:
        # One page per batch: each page is fused against everything stored before it.
        for done, result in enumerate(pipeline.run(iter_pages([str(p) for p in pages], IngestOptions.from_settings(settings))), 1):
            if result.error is None:
                store.add_batch([StoredItem(document=result.document, raw_sha=result.raw_sha, input=result.input,
                                            signature=result.signature, fetched_at=result.fetched_at)])
            if progress:
                progress(done, len(pages))


def _mapped(db: str, gold: Sequence[GoldRow]) -> list[tuple[GoldRow, dict[str, Any] | None]]:
    from sqlalchemy import select

    from sitroom.store import Store
    from sitroom.store.schema import documents, events, fused_events

    out = []
    with Store.open(db) as store, store._read("eval") as conn:  # noqa: SLF001 - the eval reads rows directly
        rows = conn.execute(
            select(events.c.id, events.c.type, events.c.fused_id, events.c.evidence_text, events.c.place_name,
                   documents.c.path, documents.c.site, documents.c.duplicate_of, documents.c.doc_id)
            .join(documents, documents.c.doc_id == events.c.doc_id).where(events.c.section == "main")
        ).all()
        n_sources = dict(conn.execute(select(fused_events.c.id, fused_events.c.n_sources)).all())
    for g in gold:
        hits = [r._asdict() for r in rows if (r.path or "").endswith("/" + g.page) and g.cue in (r.evidence_text or "")]
        typed = [h for h in hits if h["type"] == g.type]
        chosen = (typed or [None])[0]
        if chosen is not None:
            chosen["n_sources"] = n_sources.get(chosen["fused_id"])
        out.append((g, chosen))
    return out


def _scores(items: Sequence[tuple[str, Any]]) -> dict[str, float]:
    """Pair P/R and B-cubed P/R/F1 for (gold label, system label) items."""
    tp = sys_pairs = gold_pairs = 0
    for (g1, s1), (g2, s2) in combinations(items, 2):
        same_gold, same_sys = g1 == g2, s1 == s2
        tp += same_gold and same_sys
        sys_pairs += same_sys
        gold_pairs += same_gold
    bp = br = 0.0
    for g, s in items:
        both = sum(1 for g2, s2 in items if g2 == g and s2 == s)
        bp += both / sum(1 for _, s2 in items if s2 == s)
        br += both / sum(1 for g2, _ in items if g2 == g)
    n = len(items) or 1
    bp, br = bp / n, br / n
    return {"pair_p": tp / sys_pairs if sys_pairs else 1.0, "pair_r": tp / gold_pairs if gold_pairs else 1.0,
            "b3_p": bp, "b3_r": br, "b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0}


def _expected_sources(rows: Sequence[tuple[GoldRow, dict[str, Any] | None]]) -> dict[str, int]:
    sites: dict[str, set[str]] = {}
    for g, m in rows:
        if m is not None and g.role != "syndicated":
            sites.setdefault(g.event, set()).add((m["site"] or m["doc_id"]).lower())
    return {event: len(found) for event, found in sites.items()}


def evaluate_fusion(data_dir: Path, limit: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Run the gold pages through the pipeline and the store in two orders and score the fusion.

    Args:
        data_dir: the gold set folder (``gold.tsv`` and ``pages/``).
        limit: only the first N pages in publication order (and the gold rows on them).
        progress: called with (pages done, pages) as each run goes.

    Returns:
        One row per (system, order) with the counts and scores of :func:`_scores`.
    """
    gold = read_gold(data_dir)
    pages = _order(sorted((data_dir / "pages").glob("*.html")))[: limit or None]
    names = {p.name for p in pages}
    gold = [g for g in gold if g.page in names]
    results = []
    for order, sequence in (("publication", pages), ("reverse", list(reversed(pages)))):
        with tempfile.TemporaryDirectory() as tmp:
            db = str(Path(tmp) / "fusion.db")
            _run(sequence, db, progress)
            mapped = _mapped(db, gold)
        found = [(g, m) for g, m in mapped if m is not None]
        expected = _expected_sources(found)
        by_event: dict[str, set[Any]] = {}
        for g, m in found:
            by_event.setdefault(g.event, set()).add(m["fused_id"])
        right = sum(1 for event, fused in by_event.items() if len(fused) == 1
                    and next(m["n_sources"] for g, m in found if g.event == event) == expected[event])
        base = {"order": order, "found": len(found), "gold": len(mapped), "events": len(by_event)}
        results.append({"system": "sitroom", **base, **_scores([(g.event, m["fused_id"]) for g, m in found]),
                        "sources_right": right})
        if order == "publication":
            results.append({"system": "singletons", **base, **_scores([(g.event, m["id"]) for g, m in found]),
                            "sources_right": None})
            results.append({"system": "type + place", **base,
                            **_scores([(g.event, (m["type"], (m["place_name"] or "").lower() or m["id"])) for g, m in found]),
                            "sources_right": None})
    return results


def format_fusion_table(rows: Sequence[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    lines = ["| system | order | gold rows found | pair P | pair R | B3 P | B3 R | B3 F1 | sources right |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        right = "" if r["sources_right"] is None else f"{r['sources_right']}/{r['events']}"
        lines.append(f"| {r['system']} | {r['order']} | {r['found']}/{r['gold']} | {r['pair_p']:.3f} | {r['pair_r']:.3f} | "
                     f"{r['b3_p']:.3f} | {r['b3_r']:.3f} | **{r['b3_f1']:.3f}** | {right} |")
    lines.append("")
    lines.append("Target (issue 6): B-cubed F1 >= .90. Gold: bench/fusion (our own pages), scored over the rows found.")
    return "\n".join(lines)
