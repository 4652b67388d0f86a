"""The HTTP side: a REST API under ``/api/v1`` and the web page, served by ``sitroom serve``.

``create_app(db, token)`` builds the FastAPI application; see :mod:`sitroom.api.app`.
"""

from sitroom.api.app import create_app

__all__ = ["create_app"]
