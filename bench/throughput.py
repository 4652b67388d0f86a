"""Pipeline throughput beside spaCy alone, the local engine beside Dask, and where the time goes.

    .venv/bin/python bench/throughput.py [--articles 200] [--workers 2] [--profile 50]

Input: the gold article bodies of ../shared/data/extraction/scrapinghub-aeb (181 real news and blog
bodies, median ~545 tokens), cycled to --articles, fed as plain-text pages (RawPage kind "text").
Without the data the script says so and exits 0.

One run measures, on the same texts:

* spaCy alone, ``nlp.pipe(texts, n_process=W)``: with sitroom's pipeline (``load_nlp``: the model
  plus sitroom's entity rulers and span fixes, lemmatizer off) and with the bare
  ``spacy.load(model)``; the model is loaded before the clock starts (forked workers inherit it).
* the full sitroom pipeline (article, NLP, actors, times, places, events, dedup) inline in one
  process (model loaded before the clock), on the local engine with W workers and on a Dask
  LocalCluster with W workers (worker start-up and model loads inside the clock: that is what a
  user waits for; the column "after 1st" leaves it out).

Columns: articles/s over the whole run; start-up (seconds to the first result); articles/s after
the first result arrived; the ratio of each to spaCy alone with sitroom's pipeline (the issue's
target: >= 0.8 with 2 workers); peak RSS per worker process (sampled with psutil every 0.1 s, the
parent for inline; "-" without psutil). Then the Dask overhead per article against the local
engine, whether both gave the inline run's records, and a profile of the inline pipeline on
--profile bodies (pyinstrument if installed, else cProfile) charged to the innermost sitroom
function, i.e. the costs outside spaCy's own components.

The machine is shared: numbers move between runs; compare the rows of one run with each other.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "extraction" / "scrapinghub-aeb"
SITROOM_DIR = str(ROOT / "sitroom") + os.sep


def load_bodies(data_dir: Path, count: int) -> list[tuple[str, str]]:
    """``count`` (id, gold body) pairs in ground-truth order, cycled when the set is smaller."""
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    bodies = [(page_id, entry["articleBody"]) for page_id, entry in truth.items() if (entry.get("articleBody") or "").strip()]
    return [(f"{page_id}#{n // len(bodies)}", body) for n, (page_id, body) in
            zip(range(count), itertools.cycle(bodies))]


# --- memory -----------------------------------------------------------------------------------


class RssSampler:
    """Peak RSS of this process and of each descendant process, sampled in a thread."""

    def __init__(self, interval: float = 0.1) -> None:
        try:
            import psutil
        except ImportError:
            self.psutil = None
        else:
            self.psutil = psutil
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.self_peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RssSampler:
        if self.psutil is not None:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        me = self.psutil.Process()
        while not self._stop.is_set():
            try:
                self.self_peak = max(self.self_peak, me.memory_info().rss)
                for child in me.children(recursive=True):
                    try:
                        rss = child.memory_info().rss
                    except self.psutil.Error:
                        continue
                    self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), rss)
            except self.psutil.Error:
                pass
            self._stop.wait(self.interval)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def worker_peak_mb(self, workers: int) -> str:
        """Peak RSS of the ``workers`` largest child processes (the workers; nannies, the
        resource tracker and idle helpers are smaller), as "max" or "min-max" MB."""
        if self.psutil is None:
            return "-"
        top = sorted(self.peaks.values(), reverse=True)[:workers]
        if not top:
            return "-"
        low, high = min(top) / 2**20, max(top) / 2**20
        return f"{high:.0f}" if high - low < 5 else f"{low:.0f}-{high:.0f}"


# --- timed runs -------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    procs: int
    seconds: float
    first: float  # seconds to the first result
    n: int
    after_first_n: int  # results that arrived after the first result's batch
    rss: str

    @property
    def rate(self) -> float:
        return self.n / self.seconds

    @property
    def steady(self) -> float:
        span = self.seconds - self.first
        return self.after_first_n / span if span > 0 and self.after_first_n else float("nan")


def timed(name: str, procs: int, run: Callable[[], Iterable[Any]], rss_of: str = "workers") -> tuple[Row, list[Any]]:
    """Run ``run()`` to the end, noting when each output arrived and the memory it took."""
    out: list[Any] = []
    arrivals: list[float] = []
    with RssSampler() as sampler:
        start = time.perf_counter()
        for item in run():
            out.append(item)
            arrivals.append(time.perf_counter() - start)
        seconds = time.perf_counter() - start
    first = arrivals[0] if arrivals else seconds
    # results yielded together with the first one (the first chunk) are not "after" it
    after = sum(1 for t in arrivals if t > first + 0.05)
    if rss_of == "self":
        rss = f"{sampler.self_peak / 2**20:.0f}" if sampler.psutil else "-"
    else:
        rss = sampler.worker_peak_mb(procs)
    print(f"  {name}: {len(out)} in {seconds:.1f} s", file=sys.stderr, flush=True)
    return Row(name, procs, seconds, first, len(out), after, rss), out


def spacy_alone(nlp: Any, texts: list[str], workers: int) -> Iterator[Any]:
    # Small batches: nlp.pipe hands each worker whole batches, so the default (1000) would give
    # all 200 texts to one process.
    for doc in nlp.pipe(texts, n_process=workers, batch_size=8):
        yield len(doc)


def _records(results: list[Any]) -> list[Any]:
    return [(r.input, str(r.error) if r.error else None, r.document.to_json_dict() if r.document else None)
            for r in results]


def _compare(records: list[Any], reference: list[Any]) -> str:
    if records == reference:
        return "identical"
    if len(records) != len(reference):
        return f"DIFFERENT ({len(records)} records, not {len(reference)})"
    differ = [(a, b) for a, b in zip(records, reference) if a != b]
    first, ref = differ[0]
    if first[2] and ref[2]:
        keys = [k for k in ref[2] if first[2].get(k) != ref[2].get(k)]
    else:
        keys = ["error" if first[1] != ref[1] else "input"]
    return f"DIFFERENT ({len(differ)} records; first {first[0]}: {', '.join(keys)})"


# --- profile ----------------------------------------------------------------------------------


def _where(frame: str) -> tuple[str, str, str]:
    function, path, line = (frame.split("\x01")[0].split("\x00") + ["", ""])[:3]
    return function, path, line


def profile(pages: list[Any], settings: dict[str, Any], nlp: Any, top: int = 15) -> list[str]:
    """Profile the inline pipeline; charge each sample to its innermost sitroom function (or to
    the spaCy rulers running sitroom's patterns). Time charged to ``sitroom.nlp.parse`` with no
    sitroom frame below it is spaCy's own components."""
    from sitroom.pipeline import Pipeline

    pipeline = Pipeline(settings)
    pipeline._nlp = nlp  # loaded outside the profile
    try:
        from pyinstrument import Profiler
    except ImportError:
        return _cprofile(pipeline, pages, top)
    profiler = Profiler(interval=0.002)
    profiler.start()
    for _ in pipeline.run(pages):
        pass
    profiler.stop()
    charged: Counter[str] = Counter()
    total = 0.0
    for stack, seconds in profiler.last_session.frame_records:
        total += seconds
        # Samples with no Python caller recorded (only the thread and Cython/numpy frames) are the
        # model's own native code (gemm in tok2vec/parser/ner, the matchers).
        native = all(_where(f)[1].endswith((".pyx", ".pxd")) or _where(f)[1] in ("<built-in>", "<thread>")
                     for f in stack)
        key = "nlp.py:parse" if native else "(outside sitroom: harness)"
        for frame in reversed(stack):
            function, path, line = _where(frame)
            if path.endswith(("spacy/pipeline/entityruler.py", "spacy/pipeline/span_ruler.py")):
                key = f"spaCy {Path(path).stem} (sitroom's patterns)"
                break
            if path.startswith(SITROOM_DIR):
                key = f"{path[len(SITROOM_DIR):]}:{function}"
                break
        charged[key] += seconds
    lines = [f"profile: {len(pages)} bodies inline, {total:.1f} s sampled (pyinstrument), charged to the innermost "
             "sitroom function (native model frames with no Python caller count as spaCy's own)",
             "", "| where | s | share |", "|---|---:|---:|"]
    for key, seconds in charged.most_common(top):
        label = key + (" = spaCy's own components (tok2vec, tagger, parser, ner)" if key == "nlp.py:parse" else "")
        lines.append(f"| {label} | {seconds:.2f} | {seconds / total:.0%} |")
    return lines


def _cprofile(pipeline: Any, pages: list[Any], top: int) -> list[str]:
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for _ in pipeline.run(pages):
        pass
    prof.disable()
    stats = pstats.Stats(prof)
    rows = [(tt, f"{Path(f).name}:{fn}") for (f, _, fn), (_, _, tt, _, _) in stats.stats.items()  # type: ignore[attr-defined]
            if f.startswith(SITROOM_DIR)]
    lines = ["profile (cProfile, own time of sitroom functions)", "", "| where | s |", "|---|---:|"]
    lines += [f"| {name} | {tt:.2f} |" for tt, name in sorted(rows, reverse=True)[:top]]
    return lines


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", type=int, default=50, help="bodies to profile inline (0: no profile)")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args(argv)

    if not (args.data / "ground-truth.json").is_file():
        print(f"throughput: data absent ({args.data}/ground-truth.json); nothing measured")
        return 0

    import spacy

    from sitroom.config import load_settings
    from sitroom.engine import run_pages
    from sitroom.model import RawPage
    from sitroom.nlp import load_nlp
    from sitroom.pipeline import Pipeline, model_name

    settings = load_settings()
    model = model_name(settings)
    bodies = load_bodies(args.data, args.articles)
    texts = [body for _, body in bodies]
    pages = [RawPage(input=f"aeb/{page_id}.txt", text=body, kind="text") for page_id, body in bodies]
    w = args.workers
    print(f"throughput: {len(pages)} AEB gold bodies ({sum(map(len, texts)) / 1e6:.2f} M chars), {w} workers, "
          f"{os.cpu_count()} cores, model {model}", file=sys.stderr, flush=True)

    t = time.perf_counter()
    nlp = load_nlp(model)
    load_sitroom = time.perf_counter() - t
    t = time.perf_counter()
    bare = spacy.load(model)
    load_bare = time.perf_counter() - t

    rows: list[Row] = []
    row, _ = timed(f"spaCy alone, sitroom's pipeline (load_nlp), n_process={w}", w, lambda: spacy_alone(nlp, texts, w))
    rows.append(row)
    row, _ = timed(f"spaCy alone, bare spacy.load, n_process={w}", w, lambda: spacy_alone(bare, texts, w))
    rows.append(row)
    del bare

    def inline() -> Iterator[Any]:
        pipeline = Pipeline(settings)
        pipeline._nlp = nlp  # loaded before the clock, like spaCy alone's
        return pipeline.run(pages)

    row, inline_out = timed("sitroom inline (1 process)", 1, inline, rss_of="self")
    rows.append(row)
    row, local_out = timed(f"sitroom local engine, {w} workers", w,
                           lambda: run_pages(pages, settings, engine="local", workers=w))
    rows.append(row)
    dask_out: list[Any] | None = None
    if not args.no_dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("  dask: distributed not installed; row skipped", file=sys.stderr)
        else:
            row, dask_out = timed(f"sitroom dask LocalCluster, {w} workers", w,
                                  lambda: run_pages(pages, settings, engine="dask", workers=w))
            rows.append(row)

    base = rows[0]
    print(f"\n### Throughput: {len(pages)} AEB gold bodies as text pages, {w} workers, {os.cpu_count()} cores "
          f"(shared machine)\n")
    print("| run | procs | articles/s | start-up s | articles/s after 1st | × spaCy (sitroom nlp) | "
          "× spaCy after 1st | peak RSS/worker MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r.name} | {r.procs} | {r.rate:.2f} | {r.first:.1f} | {r.steady:.2f} | {r.rate / base.rate:.2f} | "
              f"{r.steady / base.steady:.2f} | {r.rss} |")
    print(f"\nModel load in the parent (outside the clock): load_nlp {load_sitroom:.1f} s, bare spacy.load "
          f"{load_bare:.1f} s. Inline's RSS is the whole parent process (it also holds both spaCy-alone models).")
    by_name = {r.name.split(",")[0]: r for r in rows}
    local, dask = by_name.get("sitroom local engine"), by_name.get("sitroom dask LocalCluster")
    if local and dask:
        per = (dask.seconds - local.seconds) / len(pages) * 1000
        after = ((dask.seconds - dask.first) / max(dask.after_first_n, 1)
                 - (local.seconds - local.first) / max(local.after_first_n, 1)) * 1000
        print(f"Dask overhead vs local: {per:+.1f} ms/article over the whole run ({dask.first - local.first:+.1f} s "
              f"start-up), {after:+.1f} ms/article after the first result.")
    reference = _records(inline_out)
    same = [f"local {_compare(_records(local_out), reference)}"]
    if dask_out is not None:
        same.append(f"dask {_compare(_records(dask_out), reference)}")
    print(f"Records (to_json_dict, duplicate_of, errors) against inline: {', '.join(same)}.")
    errors = Counter(r.error.code.value for r in inline_out if r.error)
    print(f"Per-page errors inline: {dict(errors) or 'none'}; duplicates marked: "
          f"{sum(1 for r in inline_out if r.document and r.document.duplicate_of)}.")

    if args.profile:
        print()
        print("\n".join(profile(pages[: args.profile], settings, nlp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
