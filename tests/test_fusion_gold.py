"""The fusion gold set (bench/fusion) is well formed: no language model, no store, fast."""

from __future__ import annotations

import csv
import html
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "bench" / "fusion"
PAGES = ROOT / "pages"
GOLD = ROOT / "gold.tsv"

PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
ROLES = {"report", "background", "syndicated", "correction", "decoy"}
COLUMNS = ["page", "cue", "type", "event", "role"]


def _rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _text(path: Path) -> str:
    """The page's visible text, crudely: no head, scripts or styles, tags dropped, entities decoded."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", raw)
    raw = re.sub(r"(?s)<[^>]+>", " ", raw)
    return " ".join(html.unescape(raw).split())


def _meta(path: Path, prop: str) -> str | None:
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', path.read_text(encoding="utf-8"))
    return html.unescape(found.group(1)) if found else None


ROWS = _rows()


def test_header_and_columns():
    with GOLD.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
    assert header == COLUMNS
    for row in ROWS:
        assert all(row.get(col) for col in COLUMNS), row
        assert None not in row, f"extra fields in {row}"


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['page']}:{r['cue'][:24]}" for r in ROWS])
def test_row(row):
    page = PAGES / row["page"]
    assert page.is_file(), f"missing page {page}"
    assert row["type"] in PLOVER
    assert row["role"] in ROLES
    assert 3 <= len(row["cue"].split()) <= 8, row["cue"]
    count = _text(page).count(row["cue"])
    assert count == 1, f"cue {row['cue']!r} occurs {count} times in {row['page']}"


def test_every_page_is_used_and_well_formed():
    used = {row["page"] for row in ROWS}
    pages = {p.name for p in PAGES.glob("*.html")}
    assert pages == used
    assert 30 <= len(pages) <= 60
    for name in pages:
        path = PAGES / name
        assert _meta(path, "og:site_name")
        assert re.match(r"https://[a-z0-9.-]+\.example\.(com|org|net)/", _meta(path, "og:url") or "")
        assert re.match(r"\d{4}-\d\d-\d\dT", _meta(path, "article:published_time") or "")
        raw = path.read_text(encoding="utf-8")
        assert "<h1" in raw and ("<article" in raw or 'class="story"' in raw), f"{name} has no article container"
        body = [p for p in re.findall(r"<p>(.*?)</p>", raw) if "<a " not in p and "&copy;" not in p]
        assert 150 <= sum(len(p.split()) for p in body) <= 400, name


def test_clusters():
    clusters: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in ROWS:
        clusters[row["event"]].append(row)
    for label, rows in clusters.items():
        assert len({r["type"] for r in rows}) == 1, f"{label} mixes types"
        decoy = any(r["role"] == "decoy" for r in rows)
        if not decoy:
            assert len(rows) >= 2, f"cluster {label} has a single mention and is not a decoy"
        assert len({r["page"] for r in rows}) == len(rows), f"{label} has two rows on one page"
    assert len(clusters) >= 10


def test_corrections_share_the_url_and_come_later():
    for row in ROWS:
        if row["role"] != "correction":
            continue
        v2 = PAGES / row["page"]
        assert v2.stem.endswith("-v2")
        v1 = PAGES / (v2.stem[: -len("-v2")] + v2.suffix)
        assert v1.is_file()
        assert _meta(v1, "og:url") == _meta(v2, "og:url")
        assert (_meta(v1, "article:published_time") or "") < (_meta(v2, "article:published_time") or "")
        assert any(r["page"] == v1.name and r["event"] == row["event"] for r in ROWS)


def test_syndicated_copies_have_an_original_on_another_site():
    for row in ROWS:
        if row["role"] != "syndicated":
            continue
        copy = PAGES / row["page"]
        originals = [r for r in ROWS if r["event"] == row["event"] and r["cue"] == row["cue"] and r["page"] != row["page"]]
        assert originals, row
        assert all(_meta(PAGES / r["page"], "og:site_name") != _meta(copy, "og:site_name") for r in originals)
