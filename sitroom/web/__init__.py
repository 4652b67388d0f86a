"""The web page: Jinja2 templates, htmx partials and vendored static files (see pages.py)."""
