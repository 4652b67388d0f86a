"""sitroom: raw news pages in, a verified, queryable record of who did what to whom, where and when out.

Public API:
    extract(source, ...)  -> the sitroom.document/1 records for a file, directory, URL or text
    open_store(db)        -> the document store (SQLite by default)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__version__ = "0.1.0"


def extract(*inputs: str, stage: str = "events", published: dt.date | None = None,
            settings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Extract ``sitroom.document/1`` records from files, directories or URLs.

    Args:
        *inputs: paths or URLs, as on the command line.
        stage: ``article``, ``nlp`` or ``events``.
        published: the publication date for pages that lack one.
        settings: settings to use instead of the layered defaults.

    Returns:
        One record (a JSON-ready dict) per page, in input order.

    Raises:
        SitroomError: the first input that could not be read (records before it are lost; use
            :class:`sitroom.pipeline.Pipeline` to handle errors page by page).
    """
    from sitroom.config import load_settings
    from sitroom.ingest import IngestOptions, iter_pages
    from sitroom.pipeline import Pipeline

    settings = settings or load_settings()
    pipeline = Pipeline(settings, stage=stage, published=published)
    records = []
    for result in pipeline.run(iter_pages(list(inputs), IngestOptions.from_settings(settings))):
        if result.error is not None:
            raise result.error
        assert result.document is not None
        records.append(result.document.to_json_dict())
    return records


def open_store(db: str | None = None) -> Any:
    """Open (creating if needed) the document store: a SQLite path or database URL."""
    from sitroom.store import Store

    return Store.open(db)


__all__ = ["extract", "open_store", "__version__"]
