"""Ingest rate into SQLite and into PostgreSQL with 2 concurrent workers, and peak memory per worker.

    .venv/bin/python bench/ingest_rate.py [--pages 1000] [--pg postgresql://user:pw@host:5432/postgres]

The pages are the synthetic news stories of bench/scaling.py (``write_pages``). For each backend,
two set-ups fill a fresh store with the same pages, each timed wall-clock by ``sitroom ingest``
(the real command, the whole pipeline, fusion in the store):

* "local x2": one ``sitroom ingest --engine local --workers 2`` process over all pages (one
  writer, two worker processes doing the pipeline);
* "inline x2": two ``sitroom ingest --engine inline`` processes started at the same time, each
  over half of the pages, writing concurrently into the same store (two writers).

SQLite is a new file in a temporary directory. PostgreSQL runs only with a server URL (--pg or
$SITROOM_TEST_PG, a database the role may connect to and a role that may create databases): each
set-up gets a new database ``sitroom_bench_<pid>_<set-up>``, dropped at the end even on failure.

Memory: every 0.1 s, psutil reads the RSS of each started process and of its descendants. "parent
peak MB" is the peak of the started process(es), "peak MB per worker" the peak of each process
running the pipeline: the 2 largest children of the local engine's parent (leaving out helpers
such as multiprocessing's resource tracker), or the inline processes themselves (min-max).

After each run the store is opened to count documents and active fused events; the two set-ups of
a backend should store the same documents. Events may differ: with two writers, fusion sees the
other writer's reports in whatever order they commit (ingesting the halves one after the other
gives the local set-up's count).

The machine is shared: numbers move between runs; compare the rows of one run with each other.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaling import write_pages  # noqa: E402

SITROOM = str(Path(sys.executable).with_name("sitroom"))
WORKERS = 2
MB = 2**20


# --- memory -----------------------------------------------------------------------------------


class TreeSampler:
    """Peak RSS of some started processes and of each of their descendants, sampled in a thread."""

    def __init__(self, pids: list[int], interval: float = 0.1) -> None:
        self.roots = [psutil.Process(pid) for pid in pids]
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def _sample(self, proc: psutil.Process) -> None:
        try:
            rss = proc.memory_info().rss
        except psutil.Error:
            return
        self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0), rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            for root in self.roots:
                self._sample(root)
                try:
                    children = root.children(recursive=True)
                except psutil.Error:
                    continue
                for child in children:
                    self._sample(child)
            self._stop.wait(self.interval)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def parent_peaks(self) -> list[int]:
        """Peak RSS (bytes) of each started process."""
        return [self.peaks.get(root.pid, 0) for root in self.roots]

    def child_peaks(self, count: int) -> list[int]:
        """Peak RSS (bytes) of the ``count`` largest descendants (the worker processes)."""
        roots = {root.pid for root in self.roots}
        return sorted((rss for pid, rss in self.peaks.items() if pid not in roots), reverse=True)[:count]


def span_mb(values: list[int]) -> str:
    """Bytes as "MB" (one value or close values) or "min-max MB"; "-" when nothing was sampled."""
    values = [v for v in values if v]
    if not values:
        return "-"
    low, high = min(values) / MB, max(values) / MB
    return f"{high:.0f}" if high - low < 5 else f"{low:.0f}-{high:.0f}"


# --- runs -------------------------------------------------------------------------------------


@dataclass
class Row:
    backend: str
    setup: str
    pages: int
    seconds: float = float("nan")
    parent_mb: str = "-"
    worker_mb: str = "-"
    documents: int | None = None
    events: int | None = None
    errors: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        setup = self.setup + (" (FAILED)" if self.errors else "")
        rate = f"{self.pages / self.seconds:.1f}" if self.seconds > 0 else "-"
        return [self.backend, setup, f"{self.pages:,}", f"{self.seconds:.1f}", rate, self.parent_mb,
                self.worker_mb, _count(self.documents), _count(self.events)]


def _count(n: int | None) -> str:
    return "-" if n is None else f"{n:,}"


def run_ingests(row: Row, commands: list[list[str]], scratch: Path, inline: bool) -> None:
    """Start ``commands`` together, wait for all, and fill ``row``'s time, memory and errors."""
    logs = [(scratch / f"stderr-{n}.txt").open("w+", encoding="utf-8") for n in range(len(commands))]
    try:
        started = time.perf_counter()
        procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, text=True)
                 for cmd, log in zip(commands, logs)]
        with TreeSampler([p.pid for p in procs]) as sampler:
            codes = [p.wait() for p in procs]
        row.seconds = time.perf_counter() - started
        row.parent_mb = span_mb(sampler.parent_peaks())
        row.worker_mb = span_mb(sampler.parent_peaks() if inline else sampler.child_peaks(WORKERS))
        for n, (code, log) in enumerate(zip(codes, logs)):
            if code not in (0, 1):  # 1: some pages failed, as in bench/scaling.py
                log.seek(0)
                tail = log.read()[-2000:]
                row.errors.append(f"process {n + 1} exited {code}")
                print(f"  {row.backend} {row.setup}, process {n + 1} exited {code}:\n{tail}",
                      file=sys.stderr, flush=True)
    finally:
        for log in logs:
            log.close()


def count_store(row: Row, target: str) -> None:
    """Fill ``row``'s documents and active fused events from the store at ``target``."""
    from sitroom.store import Store

    try:
        with Store.open(target) as store:
            row.documents = store.count()
            row.events = store.count_events()
    except Exception as exc:  # a failed run may leave no store; the row says so
        row.errors.append(f"count: {exc}")
        print(f"  {row.backend} {row.setup}: could not count: {exc}", file=sys.stderr, flush=True)


def bench_backend(backend: str, targets: dict[str, str], pages: Path, halves: list[Path],
                  count: int, scratch: Path, rows: list[Row]) -> list[Row]:
    """Both set-ups on one backend (``targets`` maps each to a fresh store); append the rows to
    ``rows`` as they finish and return this backend's."""
    mine = []
    for setup, target in targets.items():
        row = Row(backend, setup, count)
        if setup.startswith("local"):
            commands = [[SITROOM, "ingest", "--db", target, "--engine", "local", "--workers", str(WORKERS),
                         str(pages)]]
        else:
            commands = [[SITROOM, "ingest", "--db", target, "--engine", "inline", str(half)] for half in halves]
        run_ingests(row, commands, scratch, inline=not setup.startswith("local"))
        count_store(row, target)
        print(f"  {backend} {setup}: {row.seconds:.1f} s, {row.documents} documents, {row.events} events",
              file=sys.stderr, flush=True)
        mine.append(row)
        rows.append(row)
    return mine


# --- PostgreSQL -------------------------------------------------------------------------------


@contextmanager
def pg_databases(server: str, names: list[str]) -> Iterator[list[str]]:
    """Create the databases ``names`` on ``server`` (AUTOCOMMIT), yield their URLs, drop them."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server)
    admin = create_engine(base.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    created: list[str] = []
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
                created.append(name)
        yield [base.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
               for name in names]
    finally:
        with admin.connect() as conn:
            for name in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- report -----------------------------------------------------------------------------------


def agreement(rows: list[Row]) -> str:
    """Whether one backend's set-ups stored the same number of documents and events."""
    if len(rows) < 2 or any(r.documents is None for r in rows):
        return f"{rows[0].backend}: cannot compare (a run failed)"
    docs = {r.documents for r in rows}
    events = {r.events for r in rows}
    if len(docs) == 1 and len(events) == 1:
        return f"{rows[0].backend}: both set-ups stored {rows[0].documents:,} documents and {rows[0].events:,} events"
    detail = "; ".join(f"{r.setup}: {r.documents:,} documents, {r.events:,} events" for r in rows)
    what = "documents and events" if len(docs) > 1 and len(events) > 1 else "documents" if len(docs) > 1 else "events"
    return f"{rows[0].backend}: the set-ups stored DIFFERENT numbers of {what} ({detail})"


def print_table(rows: list[Row], notes: list[str]) -> None:
    print("| backend | set-up | pages | seconds | pages/s | parent peak MB | peak MB per worker | documents | events |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row.cells()) + " |")
    print()
    for note in notes:
        print(f"- {note}")
    print("- The machine is shared: compare the rows of one run with each other, not with other runs.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="synthetic pages to ingest (default 1000)")
    parser.add_argument("--pg", default=os.environ.get("SITROOM_TEST_PG"),
                        help="PostgreSQL server URL (default $SITROOM_TEST_PG); without it, SQLite only")
    args = parser.parse_args()
    if args.pages < 2:
        parser.error("--pages must be at least 2 (the inline set-up splits them in halves)")
    setups = [f"local x{WORKERS}", f"inline x{WORKERS}"]
    tmp = Path(tempfile.mkdtemp(prefix="sitroom-ingest-rate-"))
    rows: list[Row] = []
    notes: list[str] = []
    try:
        pages = tmp / "pages"
        write_pages(pages, args.pages)
        files = sorted(pages.iterdir())
        halves = [tmp / "half-1", tmp / "half-2"]
        for n, half in enumerate(halves):
            half.mkdir()
            for page in files[n * len(files) // 2:(n + 1) * len(files) // 2]:
                os.link(page, half / page.name)
        print(f"  wrote {args.pages} pages to {tmp}", file=sys.stderr, flush=True)

        sqlite = {setup: str(tmp / f"store-{n}.db") for n, setup in enumerate(setups)}
        backend_rows = bench_backend("SQLite", sqlite, pages, halves, args.pages, tmp, rows)
        notes.append(agreement(backend_rows))

        if not args.pg:
            notes.append("PostgreSQL rows skipped: no server URL (give --pg URL or set SITROOM_TEST_PG).")
        else:
            names = [f"sitroom_bench_{os.getpid()}_{setup.split()[0]}" for setup in setups]
            try:
                with pg_databases(args.pg, names) as urls:
                    backend_rows = bench_backend("PostgreSQL", dict(zip(setups, urls)), pages, halves,
                                                 args.pages, tmp, rows)
                notes.append(agreement(backend_rows))
            except Exception as exc:  # an unreachable server or a role that may not create databases
                notes.append(f"PostgreSQL rows skipped or incomplete: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                print(f"  PostgreSQL failed: {exc}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(rows, notes)


if __name__ == "__main__":
    main()
