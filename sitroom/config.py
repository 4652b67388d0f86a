"""Settings: the shipped defaults (settings.toml), a user file over them, flags over both."""

from __future__ import annotations

import copy
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from sitroom.errors import Code, SitroomError

USER_FILE = Path("~/.config/sitroom/settings.toml")


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def defaults() -> dict[str, Any]:
    """The settings shipped with the package."""
    text = resources.files("sitroom").joinpath("settings.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_settings(path: str | os.PathLike[str] | None = None, **overrides: Any) -> dict[str, Any]:
    """Load the layered settings.

    Args:
        path: a user settings file; default ``$SITROOM_CONFIG``, else ``~/.config/sitroom/settings.toml``
            if it exists.
        **overrides: ``section__key=value`` pairs from command-line flags (``None`` values ignored).

    Returns:
        A nested dict of settings.

    Raises:
        SitroomError: E020 if the user file cannot be parsed.
    """
    settings = defaults()
    candidate = path or os.environ.get("SITROOM_CONFIG") or USER_FILE.expanduser()
    candidate = Path(candidate)
    if candidate.is_file():
        try:
            settings = _merge(settings, tomllib.loads(candidate.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
            raise SitroomError(Code.BAD_CONFIG, str(candidate), detail=str(exc)) from exc
    elif path:
        raise SitroomError(Code.BAD_CONFIG, str(candidate), detail="no such file")
    for key, value in overrides.items():
        if value is None:
            continue
        section, _, name = key.partition("__")
        settings.setdefault(section, {})[name] = value
    return settings
