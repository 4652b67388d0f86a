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


# ------------------------------------------------------------------ a corpus for concurrent writers

ISRAEL = ("Israel", "GPE", "ISR", "country:ISR")
TEACHERS = ("Teachers Union", "ORG", "TUR", None)
FARMERS = ("Farmers Council", "ORG", "SYR", None)
FIDAN = ("Hakan Fidan", "PERSON", "TUR", "person:hakan-fidan")
SHAIBANI = ("Asaad al-Shaibani", "PERSON", "SYR", "person:asaad-al-shaibani")
PLACES = {
    "Khan Younis": {"name": "Khan Younis", "kind": "city", "country": "PSE", "lat": 31.34, "lon": 34.30, "gid": "281133"},
    "Rafah": {"name": "Rafah", "kind": "city", "country": "PSE", "lat": 31.29, "lon": 34.25, "gid": "281102"},
    "Ankara": {"name": "Ankara", "kind": "city", "country": "TUR", "lat": 39.93, "lon": 32.86, "gid": "323786"},
    "Baku": {"name": "Baku", "kind": "city", "country": "AZE", "lat": 40.38, "lon": 49.89, "gid": "587084"},
    "Damascus": {"name": "Damascus", "kind": "city", "country": "SYR", "lat": 33.51, "lon": 36.29, "gid": "170654"},
}
# Five real-world events, each reported by several outlets in its own words; no two can fuse
# (another type, place or day), so the fused result does not depend on the order of storing.
_STORIES = [
    ("ASSAULT", "Khan Younis", "2025-03-04", [ISRAEL], [], 13, [
        "Israeli jets struck a house in Khan Younis on Tuesday, killing 13 people.",
        "An Israeli air strike on a house in Khan Younis killed 14 people on Tuesday.",
        "Israel bombed a home in Khan Younis on Tuesday, killing at least 13, medics said.",
        "Thirteen people died when Israeli jets hit a house in Khan Younis on Tuesday.",
        "Israeli warplanes struck a residential house in Khan Younis on Tuesday, killing 15.",
    ]),
    ("ASSAULT", "Rafah", "2025-03-20", [ISRAEL], [], 4, [
        "Israeli drones struck a car in Rafah on Thursday, killing four people.",
        "An Israeli drone strike on a car in Rafah killed four on Thursday.",
        "Israel hit a vehicle in Rafah with a drone on Thursday, killing 4 people.",
    ]),
    ("PROTEST", "Ankara", "2025-03-04", [TEACHERS], [], None, [
        "The Teachers Union marched in Ankara on Tuesday over pay.",
        "Thousands from the Teachers Union rallied in Ankara on Tuesday demanding higher pay.",
        "Members of the Teachers Union protested in Ankara on Tuesday about wages.",
        "The Teachers Union held a march through Ankara on Tuesday over teachers' pay.",
    ]),
    ("CONSULT", "Baku", "2025-03-10", [FIDAN], [SHAIBANI], None, [
        "Hakan Fidan met Asaad al-Shaibani in Baku on Monday.",
        "Turkish Foreign Minister Hakan Fidan held talks with Asaad al-Shaibani in Baku on Monday.",
        "Hakan Fidan and Asaad al-Shaibani met in Baku on Monday to discuss the border.",
        "In Baku on Monday, Hakan Fidan met his Syrian counterpart Asaad al-Shaibani.",
    ]),
    ("PROTEST", "Damascus", "2025-03-15", [FARMERS], [], None, [
        "The Farmers Council rallied in Damascus on Saturday against fuel prices.",
        "Hundreds from the Farmers Council protested fuel prices in Damascus on Saturday.",
        "The Farmers Council staged a protest in Damascus on Saturday over fuel costs.",
    ]),
]
_SITES = ("alpha.example", "beta.example", "gamma.example", "delta.example", "epsilon.example")
# Other spellings the outlets give (so actor rows gain spellings from several writers at once).
_ALIASES = {"Hakan Fidan": ["Fidan", "H. Fidan", "Foreign Minister Fidan", "Hakan Fidan Bey"],
            "Asaad al-Shaibani": ["al-Shaibani", "Asaad Al-Shibani", "Shaibani", "Asad al-Shaybani"]}


def overlapping_corpus() -> list[Document]:
    """Hand-built records for concurrency tests: five events, each reported by three to five
    outlets (one record per report), plus two round-ups that report two events each."""
    docs: list[Document] = []
    for s, (type_, place, day, sources, targets, killed, texts) in enumerate(_STORIES):
        for n, sentence in enumerate(texts):
            report = {"text": sentence, "type": type_, "sources": sources, "targets": targets, "when": day,
                      "place": PLACES[place], "killed": killed}
            doc = make_doc(f"s{s}r{n}", _SITES[n], day, [report])
            docs.append(_aliased(doc, n))
    roundups = [(0, 2), (3, 4)]
    for k, (a, b) in enumerate(roundups):
        reports = []
        for s in (a, b):
            type_, place, day, sources, targets, killed, texts = _STORIES[s]
            reports.append({"text": texts[0].replace(" on ", " late on ", 1), "type": type_, "sources": sources,
                            "targets": targets, "when": day, "place": PLACES[place], "killed": killed})
        docs.append(make_doc(f"roundup{k}", "omega.example", max(_STORIES[a][2], _STORIES[b][2]), reports))
    return docs


def _aliased(doc: Document, n: int) -> Document:
    entities = [e.model_copy(update={"aliases": _ALIASES[e.name][n % len(_ALIASES[e.name]):][:2]})
                if e.name in _ALIASES else e for e in doc.entities]
    return doc.model_copy(update={"entities": entities})


def actor_seed() -> Document:
    """A record naming every actor of :func:`overlapping_corpus` and reporting no event: stored
    first, it makes the actors exist, as they mostly do in a store in use (writers inserting
    the same new actor wait for each other, which would hide a race in fusion)."""
    actors = [ISRAEL, TEACHERS, FARMERS, FIDAN, SHAIBANI]
    body = "Named here: " + ", ".join(a[0] for a in actors) + "."
    entities = [Entity(id=f"e{i}", name=a[0], type=a[1], country=a[2], kb_id=a[3],
                       mentions=[Span(text=a[0], start=body.index(a[0]), end=body.index(a[0]) + len(a[0]))])
                for i, a in enumerate(actors, 1)]
    return Document(doc_id="seed", source=Source(url="https://seed.example/seed", path=None, site="seed.example"),
                    article=Article(title="seed", published="2025-03-01", body=body, removed=[]), entities=entities)


def write_batches(target: str, batches: list[list[str]], start: Any = None, results: Any = None) -> None:
    """Store the corpus records named in each batch, one ``add_batch`` per batch (a process's work
    in the concurrency tests). Waits at ``start`` (a barrier) first; puts ``(added, unchanged)``
    totals on ``results``."""
    by_id = {d.doc_id: d for d in [actor_seed(), *overlapping_corpus()]}
    added = unchanged = 0
    with Store.open(target) as store:
        if start is not None:
            start.wait(timeout=60)
        for batch in batches:
            counts = store.add_batch([StoredItem(document=by_id[i], raw_sha="raw-" + i, input=i, signature=b"")
                                      for i in batch])
            added += counts.added
            unchanged += counts.unchanged
    if results is not None:
        results.put((added, unchanged))


def _set_revision(conn: Any, revision: str) -> None:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def undo_v6(conn: Any) -> None:
    """Turn a fresh SQLite store (a ``sqlite3`` connection) back into the version-5 layout: what
    revision 0006 added goes."""
    conn.execute("DROP INDEX ix_fused_countries_type")
    conn.execute("ALTER TABLE fused_countries DROP COLUMN settled_at")
    conn.execute("ALTER TABLE fused_countries DROP COLUMN type")
    conn.execute("DROP INDEX ix_fused_type_settled")
    conn.execute("DROP INDEX ix_fused_reported")
    conn.execute("DROP INDEX ix_fused_settled")
    conn.execute("ALTER TABLE fused_events DROP COLUMN settled_at")
    conn.execute("ALTER TABLE fused_events DROP COLUMN born_at")
    conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    _set_revision(conn, "0005")


def undo_v5(conn: Any) -> None:
    """Turn a fresh SQLite store (a ``sqlite3`` connection) back into the version-4 layout, for
    tests that start from a store written by an older sitroom: what revisions 0005 and 0006
    added goes."""
    undo_v6(conn)
    conn.execute("ALTER TABLE fused_events DROP COLUMN tally")
    conn.execute("DROP INDEX ix_events_fused_recent")
    conn.execute("CREATE INDEX ix_events_fused_id ON events (fused_id)")
    conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    _set_revision(conn, "0004")
