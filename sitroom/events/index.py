"""Per-document look-ups the event stage needs: which entity, time or place a token belongs to.

Entities, times and places carry body offsets; the parse is per paragraph. :class:`DocIndex` maps
each paragraph's tokens to the ids whose mentions cover them, once per document, so every later
question ("which actor is this token?") is a dictionary look-up and the stage stays linear in the
length of the page.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitroom.model import Entity, Place, Span, Time, doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Entity types that name a location; a GPE is a location unless it is a country (a state can act).
LOCATION_TYPES = frozenset({"LOC", "FAC"})
# Sectors of common-noun actors that are crowds rather than organised forces (entity type OTHER).
CROWD_SECTORS = frozenset({"CVL", "LAB", "EDU", "REF", "ETH"})


def _kb() -> Any:
    """The actor KB (country names and demonyms), or None when it cannot be loaded."""
    try:
        from sitroom.actors.kb import load_kb

        return load_kb()
    except Exception:  # the KB is an optional helper here: no demonyms without it
        return None


@dataclass
class Paragraph:
    """One parsed paragraph with token → id maps (token index within the paragraph's Doc)."""

    offset: int
    doc: Doc
    entity_at: dict[int, str] = field(default_factory=dict)
    time_at: dict[int, str] = field(default_factory=dict)
    place_at: dict[int, str] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = self.doc.to_array("IDX").tolist()

    def body_start(self, token: Token) -> int:
        """The token's start offset in the body."""
        return self.offset + token.idx

    def tokens_of(self, start: int, end: int) -> range:
        """The token indices overlapping body span ``[start, end)`` (empty when outside)."""
        doc = self.doc
        lo, hi = start - self.offset, end - self.offset
        if hi <= 0 or lo >= len(doc_text(doc)):
            return range(0)
        first = max(bisect.bisect_right(self._starts, lo) - 1, 0)
        last = bisect.bisect_left(self._starts, hi)
        return range(first, min(last, len(doc)))

class DocIndex:
    """Token look-ups over one document's paragraphs, entities, times and places.

    Args:
        parsed: each paragraph's Doc with its body offset.
        entities: the record's entities (a demonym with no country entity adds one, see
            :meth:`country_entity`).
        times: the record's times.
        places: the record's places.
    """

    def __init__(self, parsed: list[tuple[int, Doc]], entities: list[Entity], times: list[Time],
                 places: list[Place]) -> None:
        self.entities = entities
        self.by_id: dict[str, Entity] = {e.id: e for e in entities}
        self.times: dict[str, Time] = {t.id: t for t in times if t.id}
        self.places: dict[str, Place] = {p.id: p for p in places}
        self.kb = _kb()
        self.paragraphs = [Paragraph(offset, doc) for offset, doc in parsed]
        self._para_starts = [p.offset for p in self.paragraphs]
        self._country_cache: dict[str, bool] = {}
        # (body start, entity id) of every actor mention, in body order, for role references.
        self.mentions: list[tuple[int, str]] = []
        for entity in entities:
            for m in entity.mentions:
                self._mark(m.start, m.end, entity.id, "entity_at")
                self.mentions.append((m.start, entity.id))
        self.mentions.sort()
        self._mention_starts = [s for s, _ in self.mentions]
        for time in times:
            if time.id:
                self._mark(time.start, time.end, time.id, "time_at")
        for place in places:
            for m in place.mentions:
                self._mark(m.start, m.end, place.id, "place_at")

    def _paragraph_at(self, start: int) -> Paragraph | None:
        i = bisect.bisect_right(self._para_starts, start) - 1
        return self.paragraphs[i] if i >= 0 else None

    def _mark(self, start: int, end: int, ident: str, attr: str) -> None:
        para = self._paragraph_at(start)
        if para is None:
            return
        table = getattr(para, attr)
        for i in para.tokens_of(start, end):
            table.setdefault(i, ident)

    # ------------------------------------------------------------------ entity classes
    def is_country(self, entity: Entity) -> bool:
        """Whether the entity is a country (a state that can act), not a city or region."""
        if entity.type != "GPE":
            return False
        cached = self._country_cache.get(entity.id)
        if cached is None:
            cached = False
            if self.kb is not None:
                try:
                    cached = self.kb.country_of(entity.name) is not None
                except Exception:
                    cached = False
            if not cached:  # the places stage may know it is a country
                starts = {m.start for m in entity.mentions}
                cached = any(p.kind == "country" and any(m.start in starts for m in p.mentions)
                             for p in self.places.values())
            self._country_cache[entity.id] = cached
        return cached

    def is_location(self, entity: Entity) -> bool:
        """Whether the entity is a location that must not be promoted to an actor."""
        return entity.type in LOCATION_TYPES or (entity.type == "GPE" and not self.is_country(entity))

    def actor_id(self, ident: str | None) -> str | None:
        """The actor an entity id stands for: itself, or None for a location.

        A nationality entity that is only a demonym ("Syrian", "the Russians") stands for its
        country, as the state acting ("Syrian and Israeli officials", "the Russians evacuated him").
        """
        if ident is None:
            return None
        entity = self.by_id.get(ident)
        if entity is None or self.is_location(entity):
            return None
        if entity.type == "NORP" and entity.country and len(entity.name.split()) == 1:
            if self.demonym_country(entity.name) == entity.country:
                return self.country_entity(entity.country) or ident
        return ident

    def capital_country(self, ident: str, mention: Span) -> str | None:
        """The country entity a capital city stands for as a government ("Washington demanded",
        "Beirut rejected"), or None when the entity is not a capital."""
        entity = self.by_id.get(ident)
        if entity is None or entity.type != "GPE" or self.kb is None:
            return None
        iso3 = entity.country or next((p.country for p in self.places.values()
                                       if p.name == entity.name and p.country), None)
        if not iso3:
            return None
        try:
            info = self.kb.country_info(iso3)
        except Exception:
            return None
        if not info or (info.get("capital") or "").lower() != entity.name.lower():
            return None
        return self.country_entity(iso3, mention)

    def demonym_country(self, word: str) -> str | None:
        """The ISO3 country a demonym or country word denotes ("Israeli", "Russians"), or None."""
        if self.kb is None or not word[:1].isalpha():
            return None
        try:
            return self.kb.country_of(word)
        except Exception:
            return None

    def country_entity(self, iso3: str, mention: Span | None = None) -> str | None:
        """The id of the country entity for an ISO3 code, adding one when the record has none.

        An added entity ("Israeli strikes" in a text that never names Israel) gets the demonym as
        its mention, so the actor keeps a body span like every other.
        """
        best = None
        for entity in self.entities:
            if entity.country == iso3 and self.is_country(entity):
                best = entity.id
                break
        if best is not None:
            return best
        if mention is None:
            return None
        name = iso3
        if self.kb is not None:
            try:
                name = self.kb.country_name(iso3) or iso3
            except Exception:
                name = iso3
        number = 1 + max((int(e.id[1:]) for e in self.entities if e.id[1:].isdigit()), default=0)
        entity = Entity(id=f"e{number}", name=name, type="GPE", country=iso3, mentions=[mention])
        self.entities.append(entity)
        self.by_id[entity.id] = entity
        self._country_cache[entity.id] = True
        return entity.id

    def group_entity(self, name: str, sector: str, mention: Span, country: str | None = None) -> str:
        """The id of a common-noun actor ("police", "protesters") with a sector, added when needed.

        Lower-cased and wire copy often names the police or the crowd with no named entity at all
        ("police fired", "protesters clashed"); such an actor becomes an entity (type ORG for
        organised forces, OTHER for crowds) whose mentions are the words that name it, so events keep
        a source with a body span. One entity per name and document.
        """
        key = name.lower()
        for entity in self.entities:
            if (entity.sector == sector and entity.name.lower() == key and entity.type in ("ORG", "OTHER")
                    and entity.country == country):
                if all(m.start != mention.start for m in entity.mentions):
                    entity.mentions.append(mention)
                return entity.id
        number = 1 + max((int(e.id[1:]) for e in self.entities if e.id[1:].isdigit()), default=0)
        kind = "OTHER" if sector in CROWD_SECTORS else "ORG"
        entity = Entity(id=f"e{number}", name=key, type=kind, sector=sector, country=country,  # type: ignore[arg-type]
                        mentions=[mention])
        self.entities.append(entity)
        self.by_id[entity.id] = entity
        return entity.id

    def mentions_before(self, start: int, since: int) -> list[str]:
        """Entity ids mentioned in ``[since, start)``, most recent first."""
        hi = bisect.bisect_left(self._mention_starts, start)
        lo = bisect.bisect_left(self._mention_starts, since)
        return [self.mentions[i][1] for i in range(hi - 1, lo - 1, -1)]
