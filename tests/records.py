"""Hand-built ``sitroom.document/1`` records for store, API and browser tests (no model needed).

``make_doc`` writes a body from report sentences, one event per report, with the entities,
places and times each report names; ``add_docs`` stores records the way ``sitroom ingest`` does.
"""

from __future__ import annotations

from typing import Any

from sitroom.model import Article, Counts, Document, Entity, Event, Place, Source, Span, Time, When
from sitroom.store import Store, StoredItem

Actor = tuple[str, str, str | None, str | None]  # name, type, country, kb_id


def make_doc(doc_id: str, site: str, published: str, reports: list[dict[str, Any]], *, url: str | None = None,
             duplicate_of: str | None = None, title: str | None = None, lead: str = "") -> Document:
    """A record whose body is an optional lead paragraph and the reports' sentences.

    Each report is a dict: ``text`` (its sentence), ``type``, ``mode``, ``sources``/``targets``
    (actors), ``place`` (``name, kind, country, lat, lon, gid, admin1``), ``when`` (a day),
    ``time_text`` (the words that say it), ``killed``, ``injured``, ``modality``.
    """
    body = (lead + "\n\n" if lead else "") + " ".join(r["text"] for r in reports)
    entities: dict[str, Entity] = {}
    places: dict[str, Place] = {}
    times: list[Time] = []
    events = []

    def span(text: str) -> Span:
        start = body.index(text)
        return Span(text=text, start=start, end=start + len(text))

    def entity(actor: Actor, text: str) -> str:
        name, type_, country, kb_id = actor
        if name not in entities:
            mention = span(name) if name in body else span(text)
            entities[name] = Entity(id=f"e{len(entities) + 1}", name=name, type=type_, country=country, kb_id=kb_id,
                                    mentions=[mention])
        return entities[name].id

    for i, r in enumerate(reports):
        place_id = None
        if r.get("place"):
            p = r["place"]
            if p["name"] not in places:
                mention = span(p["name"]) if p["name"] in body else span(r["text"])
                places[p["name"]] = Place(id=f"p{len(places) + 1}", name=p["name"], kind=p["kind"], country=p["country"],
                                          lat=p.get("lat"), lon=p.get("lon"), gazetteer_id=p.get("gid"),
                                          admin1=p.get("admin1"), mentions=[mention])
            place_id = places[p["name"]].id
        when = r.get("when")
        if r.get("time_text"):
            t = span(r["time_text"])
            times.append(Time(id=f"t{len(times) + 1}", text=t.text, start=t.start, end=t.end, type="DATE", value=when,
                              from_=when, to=when, precision="day"))
        events.append(Event(
            id=f"v{i + 1}", type=r.get("type", "ASSAULT"), mode=r.get("mode"),
            sources=[entity(a, r["text"]) for a in r.get("sources", [])],
            targets=[entity(a, r["text"]) for a in r.get("targets", [])], place=place_id,
            when=When(from_=when, to=when, precision="day") if when else When(from_=None, to=None, precision="unknown"),
            counts=Counts(killed=r.get("killed"), injured=r.get("injured")), modality=r.get("modality", "asserted"),
            confidence=0.7, evidence=span(r["text"]), section="main",
        ))
    return Document(doc_id=doc_id, source=Source(url=url or f"https://{site}/{doc_id}", path=None, site=site),
                    article=Article(title=title or doc_id, published=published, body=body, removed=[]),
                    entities=list(entities.values()), places=list(places.values()), times=times, events=events,
                    duplicate_of=duplicate_of)


def add_docs(store: Store, *docs: Document) -> None:
    """Store records in one batch, each as its own input."""
    store.add_batch([StoredItem(document=d, raw_sha="raw-" + d.doc_id, input=d.doc_id, signature=b"") for d in docs])
