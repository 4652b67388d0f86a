"""Places: the offline gazetteer and toponym resolution with document context.

``resolve_places(parsed, body, entities)`` fills the record's ``places`` array;
``toponym_patterns()`` gives EntityRuler patterns for the curated names the small model misses.
"""

from sitroom.places.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer, toponym_patterns
from sitroom.places.resolve import resolve_places

__all__ = ["Gazetteer", "GazetteerEntry", "load_gazetteer", "resolve_places", "toponym_patterns"]
