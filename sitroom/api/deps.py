"""FastAPI dependencies shared by the routes: the application's store and the write token."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from sitroom.store import Store

ENV_TOKEN = "SITROOM_TOKEN"


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


