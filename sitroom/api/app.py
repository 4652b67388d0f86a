"""The FastAPI application: one store, the JSON API, the web page, and the safety headers.

Article text is attacker-controlled, so every response carries a strict Content-Security-Policy
(no inline script, nothing from other origins) and the server never fetches what a page asks it
to. Write endpoints exist only when a token is configured (``SITROOM_TOKEN``) and need it as
``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from sitroom.errors import SitroomError
from sitroom.store import Store

ENV_TOKEN = "SITROOM_TOKEN"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(db: str | None = None, token: str | None = None) -> FastAPI:
    """The application over the store ``db`` (default ``$SITROOM_DB``, else ``sitroom.db``).

    Args:
        db: a SQLite path or database URL, opened once (created if missing).
        token: the write token; default ``$SITROOM_TOKEN``. Without one, write endpoints answer
            403.

    Raises:
        SitroomError: E015 when the store cannot be opened.
    """
    from sitroom import __version__

    store = Store.open(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="sitroom", version=__version__, docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/v1/openapi.json", lifespan=lifespan)
    app.state.store = store
    app.state.token = token if token is not None else os.environ.get(ENV_TOKEN) or None

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(SitroomError)
    async def coded_error(_request: Request, exc: SitroomError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"error": exc.to_dict()})

    from sitroom.api.routes import router as api_router
    from sitroom.web.pages import STATIC_DIR, router as page_router

    app.include_router(api_router, prefix="/api/v1")
    app.include_router(page_router)
    from fastapi.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def store_of(request: Request) -> Store:
    """The application's store (a FastAPI dependency)."""
    return request.app.state.store


def require_token(request: Request) -> None:
    """A FastAPI dependency for write endpoints: 403 when writing is off, 401 on a wrong token."""
    expected: str | None = request.app.state.token
    if not expected:
        raise HTTPException(status_code=403, detail="writing through the API is off: set SITROOM_TOKEN to enable it")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="a valid 'Authorization: Bearer <token>' header is needed")


