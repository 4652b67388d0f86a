"""Shared fixtures: a fresh, empty store target on each backend, and a cache directory of the session.

``db_target`` runs a test once per backend: ``sqlite`` (a file in the test's tmp dir, always)
and ``postgresql`` (a database created for the test on the server named by ``$SITROOM_TEST_PG``,
dropped afterwards; the test is skipped when the variable is unset). ``db_targets`` gives a
test as many fresh targets of its backend as it asks for.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PG_ENV = "SITROOM_TEST_PG"
BACKENDS = ("sqlite", "postgresql")
SKIP_PG = (f"PostgreSQL tests need {PG_ENV}=postgresql://USER:PASSWORD@HOST:PORT/postgres, a server where USER "
           "may CREATE DATABASE (.ci/run starts one on 127.0.0.1)")


def pg_server() -> str | None:
    """The PostgreSQL server URL the tests may use, if any."""
    return os.environ.get(PG_ENV) or None


class PgDatabases:
    """Creates uniquely named databases on the test server and drops them all at the end."""

    def __init__(self, server: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        url = make_url(server.replace("postgres://", "postgresql://", 1))
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        self._url = url
        self._admin = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)
        self._made: list[str] = []

    def create(self) -> str:
        from sqlalchemy import text

        name = f"sitroom_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self._made.append(name)
        return self._url.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        """Drop the databases: plainly first (PostgreSQL ends an autovacuum worker itself, which
        ``WITH (FORCE)`` may not), then forcing out connections a failed test left open."""
        import time

        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        with self._admin.connect() as conn:
            for name in self._made:
                for attempt in range(10):
                    force = " WITH (FORCE)" if attempt % 2 else ""
                    try:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"{force}'))
                        break
                    except DBAPIError:
                        time.sleep(0.2)
                else:
                    raise RuntimeError(f"could not drop the test database {name}")
        self._admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_targets(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A function returning a new, empty store target of this test's backend at each call."""
    if request.param == "sqlite":
        made = iter(range(1000))
        yield lambda: str(tmp_path / f"store{next(made)}.db")
        return
    server = pg_server()
    if server is None:
        pytest.skip(SKIP_PG)
    databases = PgDatabases(server)
    try:
        yield databases.create
    finally:
        databases.close()


@pytest.fixture
def db_target(db_targets: Callable[[], str]) -> str:
    """A fresh, empty store target (a SQLite path or a PostgreSQL URL) on each backend."""
    return db_targets()


@pytest.fixture
def backend(db_target: str) -> str:
    """The backend of this test's ``db_target``: ``sqlite`` or ``postgresql``."""
    return "postgresql" if db_target.startswith("postgresql") else "sqlite"


@pytest.fixture
def pg_target() -> Iterator[str]:
    """A fresh PostgreSQL database URL (skipped without ``$SITROOM_TEST_PG``)."""
    server = pg_server()
    if server is None:
        pytest.skip(SKIP_PG)
    databases = PgDatabases(server)
    try:
        yield databases.create()
    finally:
        databases.close()


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Derived-data caches (the phrase ruler's tokenizations) go to the session's tmp dir, not the
    user's home; worker processes the tests start inherit it."""
    from sitroom.actors.phrases import CACHE_ENV

    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before
