"""Readers and label maps for the event benchmarks (``../shared/data/events``).

Three gold sets are read, each into plain dataclasses the scorer in :mod:`sitroom.eval.events`
works on:

* ``plover_gsr/PLOVER_GSR_CAMEO.json``: the PLOVER gold records (one sentence, one event, its
  source/target actors), with the old PLOVER 0.5b1 labels remapped to the contract's 16 types.
* ``case2021_task2/test_set_final_release_with_labels.tsv``: CASE-2021 task 2 snippets with an
  ACLED (or "unseen") sub-type, mapped to PLOVER types.
* ``indiapoliceevents/docs.jsonl`` (+ ``metadata.jsonl`` for the dates): Times of India articles
  with document-level police-action labels.

Every reader accepts either the events folder or the dataset's own folder, and returns ``None``
when its files are absent (the caller decides whether that is an error).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------------------------
# PLOVER gold records
# --------------------------------------------------------------------------------------------

PLOVER_DIR = "plover_gsr"
PLOVER_FILE = "PLOVER_GSR_CAMEO.json"

# The gold file uses the PLOVER 0.5b1 labels. Its README (and CAMEO2PLOVER-2021.txt) give the
# current names: DEMAND is now REQUEST (CAMEO 10x), DISAPPROVE (11x) and INVESTIGATE (09x) are both
# ACCUSE, FIGHT (19x) is ASSAULT. Every other label keeps its name.
PLOVER_LEGACY_TYPES: dict[str, str] = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
# Mode-level moves from CAMEO2PLOVER-2021.txt that apply to these records: destroying property
# (CAMEO 1712, old COERCE/destroy: "blew up power lines", "demolished homes") is ASSAULT now.
# Where the 2021 table moves other codes between CONCEDE, RETREAT, SANCTION and COERCE (0813 ease
# curfew -> RETREAT, 0841 release persons -> RETREAT, 163 embargo -> COERCE), the project's
# contract (../shared/contract/README.md) says otherwise (CONCEDE: "release prisoners, ease
# restrictions"; SANCTION: "impose sanctions, embargo"), so the 0.5b1 label is kept.
PLOVER_LEGACY_MODES: dict[tuple[str, str], str] = {
    ("COERCE", "destroy"): "ASSAULT",
}
# Country codes in the gold file that are not current ISO 3166 alpha-3.
GOLD_COUNTRY_FIXES: dict[str, str] = {
    "JAP": "JPN", "ROM": "ROU", "GER": "DEU", "YUG": "SRB", "ZAI": "COD", "ITL": "ITA", "VTN": "VNM",
}


@dataclass
class GoldActor:
    """A gold source or target: its text and code (ISO3, or ``IGO``/``NGO``)."""

    text: str
    code: str


@dataclass
class GoldEvent:
    """One PLOVER gold record, its type already in the contract's vocabulary."""

    type: str
    event_text: str
    sources: list[GoldActor] = field(default_factory=list)
    targets: list[GoldActor] = field(default_factory=list)
    reciprocal: bool = False


@dataclass
class GoldSentence:
    """A gold sentence and every record coded on it (a few sentences carry two or three)."""

    text: str
    events: list[GoldEvent] = field(default_factory=list)


def current_plover_type(label: str, mode: str | None = None) -> str:
    """The contract's type for a PLOVER 0.5b1 label (and mode).

    Args:
        label: the record's ``event`` field, e.g. ``DEMAND``.
        mode: the record's ``mode`` field, if any.

    Returns:
        The current type, e.g. ``REQUEST``.
    """
    return PLOVER_LEGACY_MODES.get((label, mode or ""), PLOVER_LEGACY_TYPES.get(label, label))


def _find(data_dir: Path, folder: str, name: str) -> Path | None:
    for path in (data_dir / folder / name, data_dir / name):
        if path.is_file():
            return path
    return None


def _actors(value: object) -> list[GoldActor]:
    if not isinstance(value, list):
        return []
    actors = []
    for actor in value:
        if isinstance(actor, dict) and actor.get("code"):
            code = str(actor["code"]).strip().upper()
            actors.append(GoldActor(text=str(actor.get("actorText") or ""), code=GOLD_COUNTRY_FIXES.get(code, code)))
    return actors


def read_plover(data_dir: Path) -> list[GoldSentence] | None:
    """The PLOVER gold records grouped by sentence, in file order.

    Args:
        data_dir: the events folder or ``plover_gsr`` itself.

    Returns:
        The sentences, or ``None`` when the file is absent.
    """
    path = _find(data_dir, PLOVER_DIR, PLOVER_FILE)
    if path is None:
        return None
    records = json.loads(path.read_text(encoding="utf-8"))
    sentences: dict[str, GoldSentence] = {}
    for record in records:
        if not isinstance(record, dict) or not record.get("text") or record.get("event") == "DOCUMENT":
            continue
        text = str(record["text"])
        info = record.get("textInfo")
        markup = str(info.get("markup") or "") if isinstance(info, dict) else str(info or "")
        event = GoldEvent(
            type=current_plover_type(str(record["event"]), record.get("mode")),
            event_text=str(record.get("eventText") or ""),
            sources=_actors(record.get("source")),
            targets=_actors(record.get("target")),
            reciprocal="SRC/TAR" in markup,
        )
        sentences.setdefault(text, GoldSentence(text=text)).events.append(event)
    return list(sentences.values())


# --------------------------------------------------------------------------------------------
# CASE-2021 task 2
# --------------------------------------------------------------------------------------------

CASE_DIR = "case2021_task2"
CASE_FILE = "test_set_final_release_with_labels.tsv"

# ACLED sub-types (and the task's "unseen" types) -> the PLOVER types a correct main event may
# have. The first type is the mapping; any further types are also accepted where the sub-type
# straddles two PLOVER types (reported as the lenient accuracy). ``None``: no PLOVER type fits,
# the snippet is not scored.
CASE_TO_PLOVER: dict[str, tuple[str, ...] | None] = {
    # Battles
    "ARMED_CLASH": ("ASSAULT",),
    "GOV_REGAINS_TERIT": ("ASSAULT", "COERCE"),  # retaken in fighting; CAMEO 192 "occupy territory" is COERCE
    "NON_STATE_ACTOR_OVERTAKES_TER": ("ASSAULT", "COERCE"),  # likewise
    # Explosions / remote violence
    "AIR_STRIKE": ("ASSAULT",),
    "ART_MISS_ATTACK": ("ASSAULT",),
    "CHEM_WEAP": ("ASSAULT",),
    "GRENADE": ("ASSAULT",),
    "REM_EXPLOS": ("ASSAULT",),
    "SUIC_BOMB": ("ASSAULT",),
    # Violence against civilians
    "ATTACK": ("ASSAULT",),
    "ABDUCT_DISSAP": ("ASSAULT",),  # PLOVER ASSAULT mode abduct (CAMEO 181)
    "SEX_VIOL": ("ASSAULT",),
    # Protests and riots (PLOVER codes riots as PROTEST, mode riot)
    "PEACE_PROTEST": ("PROTEST",),
    "PROTEST_WITH_INTER": ("PROTEST", "COERCE"),  # the protest, or the police intervening
    "FORCE_AGAINST_PROTEST": ("ASSAULT", "COERCE"),  # violent repression is ASSAULT (CAMEO 175)
    "VIOL_DEMONSTR": ("PROTEST", "ASSAULT"),  # a riot; the violence itself may be read as ASSAULT
    "MOB_VIOL": ("PROTEST", "ASSAULT"),  # ACLED counts it as a riot; most snippets are lynchings
    # Strategic developments
    "AGREEMENT": ("AGREE",),
    "ARREST": ("COERCE",),
    "DISR_WEAP": ("COERCE",),  # weapons seized, bombs defused or intercepted: COERCE mode seize
    "PROPERTY_DISTRUCT": ("ASSAULT", "COERCE"),  # destroy property is ASSAULT (CAMEO 1712); seizing is COERCE
    "CHANGE_TO_GROUP_ACT": ("MOBILIZE", "RETREAT"),  # forces formed or deployed; or defections, withdrawals
    "HQ_ESTABLISHED": ("MOBILIZE",),  # a base or observation post set up
    "NON_VIOL_TERRIT_TRANSFER": ("RETREAT", "COERCE"),  # one side withdraws, the other takes over
    "OTHER": None,
    # The "unseen" types: no single PLOVER type. DIPLO snippets are sanctions, expulsions,
    # condemnations, talks; ATTRIB is blame or a claim of responsibility for an attack.
    "DIPLO": None,
    "ATTRIB": None,
    "ORG_CRIME": None,
    "NATURAL_DISASTER": None,
    "MAN_MADE_DISASTER": None,
}


@dataclass
class CaseSnippet:
    """One CASE-2021 snippet and the PLOVER types its sub-type maps to."""

    id: str
    text: str
    subtype: str
    types: tuple[str, ...]


def read_case(data_dir: Path) -> tuple[list[CaseSnippet], Counter[str]] | None:
    """The CASE-2021 task 2 snippets whose sub-type maps to PLOVER, and the count of the others.

    Args:
        data_dir: the events folder or ``case2021_task2`` itself.

    Returns:
        ``(scored snippets, unmapped sub-type counts)``, or ``None`` when the file is absent.
    """
    path = _find(data_dir, CASE_DIR, CASE_FILE)
    if path is None:
        return None
    snippets: list[CaseSnippet] = []
    unmapped: Counter[str] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        parts = line.split("\t")
        if len(parts) < 3 or (number == 0 and parts[0] == "id"):
            continue
        subtype = parts[-1].strip()
        types = CASE_TO_PLOVER.get(subtype)
        if types is None:
            unmapped[subtype] += 1
            continue
        snippets.append(CaseSnippet(id=parts[0], text="\t".join(parts[1:-1]).strip(), subtype=subtype, types=types))
    return snippets, unmapped


# --------------------------------------------------------------------------------------------
# IndiaPoliceEvents
# --------------------------------------------------------------------------------------------

INDIA_DIR = "indiapoliceevents"
INDIA_DOCS = "docs.jsonl"
INDIA_META = "metadata.jsonl"
INDIA_LABELS = ("KILL", "ARREST", "FORCE")


@dataclass
class IndiaDoc:
    """One Times of India article, its date and its police-action labels."""

    id: str
    text: str
    published: dt.date | None
    labels: frozenset[str]


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def read_india(data_dir: Path) -> list[IndiaDoc] | None:
    """The IndiaPoliceEvents articles, sorted by document id.

    Args:
        data_dir: the events folder or ``indiapoliceevents`` itself.

    Returns:
        The documents, or ``None`` when ``docs.jsonl`` is absent.
    """
    path = _find(data_dir, INDIA_DIR, INDIA_DOCS)
    if path is None:
        return None
    dates: dict[str, dt.date | None] = {}
    meta = path.with_name(INDIA_META)
    if meta.is_file():
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                dates[str(record.get("doc_id"))] = _date(record.get("date"))
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        doc_id = str(record.get("doc_id"))
        labels = frozenset(str(label) for label in record.get("doc_labels") or []) & frozenset(INDIA_LABELS)
        docs.append(IndiaDoc(id=doc_id, text=str(record.get("doc_text") or ""), published=dates.get(doc_id), labels=labels))
    docs.sort(key=lambda d: (len(d.id), d.id))
    return docs
