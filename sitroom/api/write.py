"""The write endpoints: ingest a URL or an uploaded file, delete a document.

Both need the token (:func:`sitroom.api.deps.require_token`: 403 while no token is configured,
401 for a wrong one). Ingest takes the path ``sitroom ingest`` takes: :func:`sitroom.ingest.iter_pages`
(a URL is fetched behind the same SSRF guard, which refuses private and loopback addresses
unless the settings allow them), the :class:`~sitroom.pipeline.Pipeline`, and
:meth:`Store.add_batch`. The pipeline (and its spaCy model, several seconds to load) is made once
per application, on the first ingest, and runs in the thread pool, one ingest at a time.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sitroom.api.deps import require_token, store_of
from sitroom.api.params import JSON
from sitroom.errors import Code, SitroomError
from sitroom.store import Store

router = APIRouter(default_response_class=JSON)
StoreDep = Annotated[Store, Depends(store_of)]

_STATE_LOCK = threading.Lock()
_SUFFIX_PART = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
COPY_CHUNK = 1024 * 1024

INGEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["url"],
                "properties": {"url": {"type": "string", "format": "uri", "description": "An http(s) page, feed or WARC to fetch."}},
            }},
            "multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary",
                                        "description": "A page or a container: .html/.htm, .txt, .xml/.rss/.atom, .json, "
                                                       ".warc, .warc.gz (the name's suffix says which)."}},
            }},
        },
    }
}


def _state_value(request: Request, name: str, make: Any) -> Any:
    """An application-wide value made once (under a lock) and kept on ``app.state``."""
    state = request.app.state
    value = getattr(state, name, None)
    if value is None:
        with _STATE_LOCK:
            value = getattr(state, name, None)
            if value is None:
                value = make()
                setattr(state, name, value)
    return value


def _settings(request: Request) -> dict[str, Any]:
    from sitroom.config import load_settings

    return _state_value(request, "settings", load_settings)


def _pipeline(request: Request, settings: dict[str, Any]) -> Any:
    from sitroom.pipeline import Pipeline

    return _state_value(request, "pipeline", lambda: Pipeline(settings))


def _suffix(filename: str) -> str:
    """The upload's suffix as ingest reads it (``.html``, ``.warc.gz``), safe for a file name."""
    parts = [s for s in PurePath(filename.replace("\\", "/")).suffixes[-2:] if _SUFFIX_PART.match(s)]
    return "".join(parts).lower()


def _label(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name
    return "upload:" + (re.sub(r"[\x00-\x1f\x7f]", "", name)[:200] or "file")


def _run(store: Store, pipeline: Any, lock: threading.Lock, settings: dict[str, Any], source: str,
         label: str | None) -> dict[str, Any]:
    """Read ``source`` (a URL or a file path), run the pipeline and store the documents."""
    from sitroom.ingest import IngestOptions, iter_pages
    from sitroom.pipeline import new_dedup
    from sitroom.store import StoredItem

    options = IngestOptions.from_settings(settings)
    commit_every = max(1, int(settings.get("store", {}).get("commit_every", 25)))
    out: dict[str, Any] = {"added": 0, "unchanged": 0, "failed": 0, "errors": [], "doc_ids": []}

    def named(text: str | None) -> str | None:
        return text.replace(source, label) if label and text else text

    def store_items(items: list[Any]) -> None:
        counts = store.add_batch(items)
        out["added"] += counts.added
        out["unchanged"] += counts.unchanged
        out["doc_ids"] += [item.document.doc_id for item in items]

    with lock:
        # A fresh duplicate index each time, seeded from the store as it is now (documents may
        # have been deleted or added by another process since the last ingest).
        pipeline.dedup = new_dedup(settings)
        pipeline.skip = lambda sha: store.stored_doc_for_input(sha) is not None
        store.load_signatures(pipeline.dedup)
        items: list[Any] = []
        for result in pipeline.run(iter_pages([source], options)):
            if result.skipped:
                out["unchanged"] += 1
                out["doc_ids"].append(store.stored_doc_for_input(result.raw_sha))
                continue
            if result.error is not None:
                out["failed"] += 1
                error = result.error.to_dict()
                error["input"] = named(error["input"])
                error["reason"] = named(error["reason"])
                out["errors"].append(error)
                continue
            items.append(StoredItem(document=result.document, raw_sha=result.raw_sha, input=named(result.input) or source,
                                    signature=result.signature, fetched_at=result.fetched_at))
            if len(items) >= commit_every:
                store_items(items)
                items = []
        if items:
            store_items(items)
    return out


async def _upload(request: Request, max_bytes: int) -> tuple[str, str]:
    """Save the multipart ``file`` to a temporary directory; returns (path, label)."""
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise SitroomError(Code.BAD_OPTION, "file", detail="send the page as a multipart field named 'file'")
        filename = upload.filename or "upload.html"
        folder = tempfile.mkdtemp(prefix="sitroom-upload-")
        path = os.path.join(folder, "upload" + _suffix(filename))
        size = 0
        with open(path, "wb") as fh:
            while chunk := await upload.read(COPY_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    fh.close()
                    _remove(path)
                    from sitroom.errors import human_size

                    raise SitroomError(Code.TOO_LARGE, _label(filename), size=human_size(size), limit=human_size(max_bytes))
                fh.write(chunk)
        return path, _label(filename)
    finally:
        await form.close()


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
    try:
        os.rmdir(os.path.dirname(path))
    except OSError:
        pass


@router.post(
    "/ingest", tags=["write"], dependencies=[Depends(require_token)], summary="Ingest a URL or an uploaded file",
    description="Needs `Authorization: Bearer <token>` (403 while `SITROOM_TOKEN` is unset, 401 for a wrong token). "
                "Send JSON `{\"url\": \"https://...\"}` to fetch a page, feed or WARC (behind the SSRF guard: "
                "loopback, private and reserved addresses are refused), or a multipart upload in the field `file`. "
                "The pages go through the whole pipeline and are stored like `sitroom ingest` stores them (the "
                "first ingest loads the language model: several seconds). Answers `{\"added\", \"unchanged\", "
                "\"failed\", \"errors\": [{\"code\", \"input\", \"reason\"}], \"doc_ids\"}`; a page that could not be "
                "read or fetched is in `errors`, not an HTTP error.",
    response_description="What was stored.",
    responses={400: {"description": "No usable URL or file: `{\"error\": {...}}`."},
               401: {"description": "Wrong or missing token."}, 403: {"description": "Writing is off."},
               415: {"description": "Neither JSON nor multipart."},
               503: {"description": "The language model is not installed on the server (E016)."}},
    openapi_extra=INGEST_BODY,
)
async def ingest(request: Request, store: StoreDep) -> JSON:
    settings = await run_in_threadpool(_settings, request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    from sitroom.ingest import IngestOptions

    max_bytes = IngestOptions.from_settings(settings).max_bytes
    label: str | None = None
    path: str | None = None
    if content_type == "multipart/form-data":
        path, label = await _upload(request, max_bytes)
        source = path
    elif content_type in ("application/json", ""):
        try:
            body = await request.json()
        except ValueError as exc:
            raise SitroomError(Code.BAD_JSON, "request body", detail=str(exc)) from None
        url = body.get("url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url.strip():
            raise SitroomError(Code.BAD_OPTION, "url", detail="send {\"url\": \"https://...\"} or a multipart 'file'")
        source = url.strip()
        # Only a URL is ever read here: a path or another scheme would read the server's files.
        if not re.match(r"^https?://[^/\s]", source, re.I):
            raise SitroomError(Code.BAD_URL, source, value=source)
    else:
        raise HTTPException(status_code=415, detail="send application/json {\"url\": ...} or multipart/form-data with 'file'")
    try:
        pipeline = await run_in_threadpool(_pipeline, request, settings)
        lock = _state_value(request, "ingest_lock", threading.Lock)
        result = await run_in_threadpool(_run, store, pipeline, lock, settings, source, label)
    except SitroomError as exc:
        if exc.code is not Code.NO_MODEL:
            raise
        return JSON({"error": exc.to_dict()}, status_code=503)  # the server's fault, not the request's
    finally:
        if path is not None:
            _remove(path)
    return JSON(result)


@router.delete(
    "/documents/{doc_id}", tags=["write"], dependencies=[Depends(require_token)], summary="Delete a stored document",
    description="Needs the token (see `POST /ingest`). Deletes the document (full id, or a unique prefix of 8 or more "
                "characters) with its entities and event reports. Events it reported are recomputed from the "
                "reports left: one left with none is marked retracted, one whose reports no longer agree is split. "
                "Answers `{\"doc_id\", \"events\": [affected event ids], \"split\": [new event ids]}`.",
    response_description="What changed.",
    responses={404: {"description": "No such document."}, 401: {"description": "Wrong or missing token."},
               403: {"description": "Writing is off."}},
)
def delete_document(store: StoreDep, doc_id: Annotated[str, Path(description="The document's id or a unique prefix.")]) -> JSON:
    done = store.delete_document(doc_id)
    if done is None:
        raise HTTPException(status_code=404, detail=f"no document {doc_id!r} (or the prefix is ambiguous)")
    return JSON(done)
