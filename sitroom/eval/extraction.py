"""The article-extraction benchmark: body text scored against the Zyte (Scrapinghub) AEB gold.

The data (``../shared/data/extraction/scrapinghub-aeb``) is ``html/<id>.html.gz`` plus
``ground-truth.json`` mapping each id to ``{"articleBody": ..., "url": ...}``.

Metrics follow the benchmark's own ``evaluate.py``:

* **Tokenisation**: ``\\w+`` (Unicode) tokens, case kept, exactly as the benchmark does; no
  lowercasing, so the shingle numbers are comparable with the published ones.
* **Per page**: a bag (multiset) of units is built for gold and prediction. Units are single
  tokens (the token metric) or 4-token shingles (the benchmark metric; a text shorter than 4
  tokens yields one shorter shingle). ``tp = sum(min(gold, pred))``, ``fp``/``fn`` the excesses.
* **Averaging**: precision is averaged over pages whose prediction is non-empty, recall over
  pages whose gold is non-empty (all of them here), and F1 is the harmonic mean of the two means.
  Micro-F1 pools tp/fp/fn over all pages before dividing (longer pages weigh more).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sitroom.errors import Code, SitroomError

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_N = 4


def tokenize(text: str) -> list[str]:
    """Split text into ``\\w+`` tokens, case kept (the benchmark's tokeniser)."""
    return _TOKEN_RE.findall(text or "")


def shingles(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    """The bag of ``n``-token shingles of ``tokens`` (one shorter shingle if fewer than ``n``)."""
    if n <= 1:
        return Counter((t,) for t in tokens)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class Match:
    """Bag overlap of one page: true positives, false positives, false negatives (raw counts)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """``tp / (tp + fp)``; 1.0 when both bags are empty, 0.0 when the prediction is empty."""
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """``tp / (tp + fn)``; 1.0 when both bags are empty, 0.0 when the gold is empty."""
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def match(gold: str, pred: str, n: int = 1) -> Match:
    """Compare gold and predicted text as bags of ``n``-token shingles (``n=1``: tokens).

    Args:
        gold: the reference text.
        pred: the extracted text.
        n: shingle length in tokens.

    Returns:
        The page's tp/fp/fn counts.
    """
    g = shingles(tokenize(gold), n)
    p = shingles(tokenize(pred), n)
    tp = sum((g & p).values())
    return Match(tp=tp, fp=sum(p.values()) - tp, fn=sum(g.values()) - tp)


def aggregate(matches: Iterable[Match]) -> dict[str, float]:
    """Benchmark-style means over pages, plus micro-averaged F1.

    Args:
        matches: one :class:`Match` per page.

    Returns:
        ``precision`` (mean over pages with a non-empty prediction), ``recall`` (mean over pages
        with a non-empty gold), ``f1`` (harmonic mean of those two means) and ``micro_f1``.
    """
    ms = list(matches)
    precs = [m.precision for m in ms if m.tp + m.fp > 0]
    recs = [m.recall for m in ms if m.tp + m.fn > 0]
    p = statistics.fmean(precs) if precs else 0.0
    r = statistics.fmean(recs) if recs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    tp = sum(m.tp for m in ms)
    fp = sum(m.fp for m in ms)
    fn = sum(m.fn for m in ms)
    micro = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": p, "recall": r, "f1": f1, "micro_f1": micro}


def load_benchmark(data_dir: Path, limit: int | None = None) -> list[tuple[str, str, str | None, str]]:
    """Read the benchmark pages.

    Args:
        data_dir: the ``scrapinghub-aeb`` directory.
        limit: read only the first ``limit`` pages (in ground-truth order).

    Returns:
        ``(page_id, html, url, gold_body)`` per page.

    Raises:
        SitroomError: ``E017`` when the directory or its ``ground-truth.json`` is absent.
    """
    gt_path = Path(data_dir) / "ground-truth.json"
    if not Path(data_dir).is_dir():
        raise SitroomError(Code.NO_DATA, str(data_dir), detail="no such directory")
    if not gt_path.is_file():
        raise SitroomError(Code.NO_DATA, str(data_dir), detail="ground-truth.json is missing")
    try:
        truth = json.loads(gt_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SitroomError(Code.NO_DATA, str(data_dir), detail=f"ground-truth.json unreadable: {exc}") from exc
    pages = []
    for page_id, entry in truth.items():
        if limit is not None and len(pages) >= limit:
            break
        path = Path(data_dir) / "html" / f"{page_id}.html.gz"
        if not path.is_file():
            raise SitroomError(Code.NO_DATA, str(data_dir), detail=f"page {path.name} is missing")
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        pages.append((page_id, html, entry.get("url"), entry.get("articleBody") or ""))
    return pages


def _baseline(html: str, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, favor_precision=True) or ""


def _sitroom(html: str, url: str | None) -> str:
    from sitroom.article import extract_article
    from sitroom.errors import SitroomError
    from sitroom.model import RawPage

    try:
        parts = extract_article(RawPage(input=url or "page", text=html, kind="html", url=url))
    except SitroomError:  # no article text: an empty prediction
        return ""
    return "\n\n".join(parts.paragraphs)


SYSTEMS: dict[str, Callable[[str, str | None], str]] = {
    "sitroom": _sitroom,
    "trafilatura (precision)": _baseline,
}


def evaluate_extraction(
    data_dir: Path,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Run sitroom's HTML extractor and the trafilatura-precision baseline over the benchmark.

    Args:
        data_dir: the ``scrapinghub-aeb`` directory (``html/`` and ``ground-truth.json``).
        limit: evaluate only the first ``limit`` pages.
        progress: called as ``progress(done, total)`` after each page and system.

    Returns:
        One row per system: ``system``, ``pages``, ``token_precision``, ``token_recall``,
        ``token_f1``, ``token_micro_f1``, ``shingle_precision``, ``shingle_recall``,
        ``shingle_f1``, ``shingle_micro_f1``, ``pages_per_s``.

    Raises:
        SitroomError: ``E017`` when the data is absent.
    """
    pages = load_benchmark(Path(data_dir), limit)
    total = len(pages) * len(SYSTEMS)
    done = 0
    rows = []
    for name, system in SYSTEMS.items():
        tok: list[Match] = []
        shi: list[Match] = []
        elapsed = 0.0
        for _pid, html, url, gold in pages:
            t0 = time.perf_counter()
            pred = system(html, url)
            elapsed += time.perf_counter() - t0
            tok.append(match(gold, pred, 1))
            shi.append(match(gold, pred, SHINGLE_N))
            done += 1
            if progress is not None:
                progress(done, total)
        t, s = aggregate(tok), aggregate(shi)
        rows.append(
            {
                "system": name,
                "pages": len(pages),
                **{f"token_{k}": v for k, v in t.items()},
                **{f"shingle_{k}": v for k, v in s.items()},
                "pages_per_s": len(pages) / elapsed if elapsed else 0.0,
            }
        )
    return rows


_COLUMNS = [
    ("system", "system", "{}"),
    ("pages", "pages", "{}"),
    ("token_precision", "tok P", "{:.3f}"),
    ("token_recall", "tok R", "{:.3f}"),
    ("token_f1", "tok F1", "{:.3f}"),
    ("token_micro_f1", "tok microF1", "{:.3f}"),
    ("shingle_precision", "4g P", "{:.3f}"),
    ("shingle_recall", "4g R", "{:.3f}"),
    ("shingle_f1", "4g F1", "{:.3f}"),
    ("pages_per_s", "pages/s", "{:.1f}"),
]


def format_extraction_table(rows: list[dict]) -> str:
    """Render benchmark rows as a plain-text table with aligned columns.

    Args:
        rows: the output of :func:`evaluate_extraction`.

    Returns:
        The table, header first, one line per system (no trailing newline).
    """
    cells = [[head for _key, head, _fmt in _COLUMNS]]
    for row in rows:
        cells.append([fmt.format(row[key]) if key in row else "" for key, _head, fmt in _COLUMNS])
    widths = [max(len(r[i]) for r in cells) for i in range(len(_COLUMNS))]
    lines = []
    for n, r in enumerate(cells):
        parts = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
