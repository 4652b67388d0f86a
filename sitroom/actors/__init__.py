"""Actors: canonical entities (persons, organisations, groups, states) with role, country and sector.

``kb`` holds the shipped actor knowledge base (:func:`load_kb`); resolution of a document's
mentions into entities lives beside it.
"""

from sitroom.actors.kb import KB, KBEntry, Role, load_kb

__all__ = ["KB", "KBEntry", "Role", "load_kb"]
from sitroom.actors.resolve import harmonize_labels, resolve_actors  # noqa: E402
from sitroom.actors.ruler import add_entity_ruler  # noqa: E402

__all__ += ["add_entity_ruler", "harmonize_labels", "resolve_actors"]
