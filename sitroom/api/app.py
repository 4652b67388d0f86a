"""The FastAPI application: one store, the JSON API, the web page, and the safety headers.

Article text is attacker-controlled, so every response carries a strict Content-Security-Policy
(no inline script, nothing from other origins) and the server never fetches what a page asks it
to. Write endpoints exist only when a token is configured (``SITROOM_TOKEN``) and need it as
``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from sitroom.api.deps import ENV_TOKEN, require_token, store_of
from sitroom.errors import Code, SitroomError
from sitroom.store import Store

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

    # No Swagger page: it loads from a CDN with inline script, which the CSP (and offline use)
    # rule out. The OpenAPI document itself is served.
    app = FastAPI(title="sitroom", version=__version__, docs_url=None, redoc_url=None,
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
        status = 503 if exc.code in (Code.STORE, Code.NO_MODEL) else 400  # ours, not the request's
        return JSONResponse(status_code=status, content={"error": exc.to_dict()})

    from sitroom.api.routes import router as api_router
    from sitroom.web.pages import STATIC_DIR, router as page_router

    app.include_router(api_router, prefix="/api/v1")
    app.include_router(page_router)
    from fastapi.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


__all__ = ["CSP", "ENV_TOKEN", "SECURITY_HEADERS", "create_app", "require_token", "store_of"]
