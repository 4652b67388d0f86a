"""Events of the other articles a page teases, kept apart from the article's own.

A teaser ("NATO chief says war is on Europe's doorstep" and its summary) is not part of
``article.body``, so its events cannot point into the body. Each teaser is analysed as its own
small text, ``teaser_text(teaser)``; its events get ``section = "teaser"``, ``teaser`` = the
teaser's index in ``article.teasers``, and evidence offsets into that teaser text. The actors and
places they name join the record's arrays: the same actor as one in the body keeps the body's id;
one named only in teasers is added with no body mentions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sitroom.model import Entity, Event, Place, Teaser

T = TypeVar("T", Entity, Place)


def teaser_text(teaser: Teaser) -> str:
    """The text a teaser's evidence offsets index: its title, a blank line, its summary."""
    return f"{teaser.title}\n\n{teaser.summary}" if teaser.summary else teaser.title


def _entity_key(entity: Entity) -> tuple[str, str]:
    return ("kb", entity.kb_id) if entity.kb_id else ("name", f"{entity.name.casefold()}|{entity.type}")


def _place_key(place: Place) -> str:
    return place.gazetteer_id or f"{place.name.casefold()}|{place.country}"


def _fold(record: list[T], teaser: list[T], key: Callable[[T], object], prefix: str) -> dict[str, str]:
    """Add the teaser's items the record lacks (with no body mentions); map teaser ids to record ids."""
    known = {key(item): item.id for item in record}
    ids: dict[str, str] = {}
    for item in teaser:
        found = known.get(key(item))
        if found is None:
            found = f"{prefix}{len(record) + 1}"
            record.append(item.model_copy(update={"id": found, "mentions": []}))
            known[key(item)] = found
        ids[item.id] = found
    return ids


def merge_teaser(
    entities: list[Entity],
    places: list[Place],
    teaser_entities: list[Entity],
    teaser_places: list[Place],
    teaser_events: list[Event],
    index: int,
    first_id: int,
) -> list[Event]:
    """Fold one teaser's analysis into the record's arrays.

    Args:
        entities: the record's entities (extended in place with teaser-only actors).
        places: the record's places (extended in place likewise).
        teaser_entities, teaser_places, teaser_events: the teaser's own analysis (local ids).
        index: the teaser's position in ``article.teasers``.
        first_id: the number of the first event id to give ("v{first_id}").

    Returns:
        The teaser's events, renumbered, with sources, targets, place and attribution pointing at
        the record's ids, ``section = "teaser"`` and ``teaser = index``.
    """
    entity_ids = _fold(entities, teaser_entities, _entity_key, "e")
    place_ids = _fold(places, teaser_places, _place_key, "p")
    out = []
    for number, event in enumerate(teaser_events, start=first_id):
        attributed = event.attributed_to
        out.append(
            event.model_copy(
                update={
                    "id": f"v{number}",
                    "sources": [entity_ids.get(e, e) for e in event.sources],
                    "targets": [entity_ids.get(e, e) for e in event.targets],
                    "place": place_ids.get(event.place or "", None) if event.place else None,
                    "attributed_to": entity_ids.get(attributed, attributed) if attributed else None,
                    # the teaser's own times are not in the record's `times` (their offsets index
                    # the teaser text); the resolved interval stays on the event
                    "when": event.when.model_copy(update={"time": None}),
                    "section": "teaser",
                    "teaser": index,
                }
            )
        )
    return out
