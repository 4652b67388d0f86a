"""Which triggers of a sentence report events of their own, and which one is the sentence's main event.

A news sentence usually reports one event and mentions others in passing: the content of an
agreement, a demand or a threat ("agreed to share intelligence", "demanded the withdrawal of
troops", "threatened to storm the palace"), the background of a time phrase ("after two days of
fighting", "since the 1973 war"), or the description of a participant ("refugees fleeing the civil
war", "weapons seized last year"). :func:`embedding` finds, for one trigger, the trigger whose clause
holds it and how it is held; :func:`is_passing_mention` says whether that makes it a mention rather
than an event; :func:`clause_depth` counts the clause boundaries between a trigger and the
sentence's main predicate, which the confidence reads so the main clause's event ranks first.

Reporting verbs ("said", "told", "reported") are transparent: the event they report is the
sentence's main event, not a mention inside a speech act.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitroom.events.triggers import Trigger, base_forms
from sitroom.events.types import Sense

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs that report a statement; what they report is not embedded in an event of theirs.
REPORTING_LEMMAS = frozenset({
    "say", "tell", "report", "state", "add", "claim", "quote", "confirm", "note", "write", "insist",
    "believe", "think", "indicate", "show", "reveal", "suggest", "learn", "see", "know",
})
# Types whose complement is a proposition, not an event that happened: what is agreed, demanded,
# threatened, refused, endorsed, or discussed ("agreed to cooperate", "urged X to release").
PROPOSITIONAL_TYPES = frozenset({"AGREE", "REQUEST", "THREATEN", "REJECT", "SUPPORT", "CONSULT", "ACCUSE"})
# The modality of an event inside a proposition's content, by the holding type: what is agreed,
# planned or endorsed is planned; what is demanded, threatened, refused, alleged or discussed is
# hypothetical.
CONTENT_MODALITY: dict[str, str] = {
    "AGREE": "planned", "SUPPORT": "planned", "CONSULT": "hypothetical", "REQUEST": "hypothetical",
    "THREATEN": "hypothetical", "REJECT": "hypothetical", "ACCUSE": "hypothetical",
}
# What a protest says: a demand or accusation in a protest's purpose or accompanying clause
# ("marched to demand reforms", "rallied, accusing the mayor of fraud") is the protest's message,
# not a statement of its own.
PROTEST_CONTENT_TYPES = frozenset({"REQUEST", "ACCUSE"})
# Prepositions that put an event noun in the background of another event ("after the clashes",
# "since the war", "during a protest", "amid tension").
BACKGROUND_PREPS = frozenset({
    "after", "following", "since", "during", "before", "amid", "amidst", "despite", "until", "ahead",
    "throughout", "prior",
})
# Prepositions of "in protest against/of/at/over X" (X is the protest's reason).
REASON_PREPS = frozenset({"against", "of", "at", "over"})
# Relations that attach a clause to a noun (a participant's description: "refugees fleeing").
NOUN_CLAUSE_DEPS = frozenset({"acl", "relcl"})
# Relations that open a subordinate clause or phrase on the way up to the main predicate.
CLAUSE_DEPS = frozenset({"advcl", "relcl", "acl", "ccomp", "xcomp", "pcomp", "csubj", "appos"})
# Subordinators of a condition ("if war breaks out", "unless Baghdad accepts").
CONDITION_MARKS = frozenset({"if", "unless"})
# Modifiers that make an event noun a possibility, not a report ("a possible war").
POSSIBILITY_MODIFIERS = frozenset({"possible", "potential", "eventual", "hypothetical", "looming", "feared"})
# A future act held over an "unless" condition is a threat ("will withdraw its force unless the
# president agrees", "will boycott the vote unless ..."): PLOVER THREATEN, CAMEO 130. "if" is left
# alone: "would meet him if he gave them a veto" is as often an offer as a threat.
THREAT_MARKS = frozenset({"unless"})
THREAT_SENSE = Sense(lemma="unless", pos="VERB", type="THREATEN", mode=None, cameo="130")
# How many heads up an embedding is looked for (sentences are shallow; bounds the work per trigger).
MAX_HOPS = 10


@dataclass(frozen=True)
class Embedding:
    """How a trigger is held by another trigger's clause.

    Attributes:
        outer: the trigger whose clause (or support verb) holds this one.
        via_noun_clause: the path passes through a clause describing a noun ("refugees fleeing").
        background: the trigger is a noun in a background phrase ("after two days of fighting").
        direct_object: the trigger is the outer verb's object ("lifted the blockade").
        conditional: the path passes through an if/unless clause ("threatened to attack unless
            Baghdad accepted"): the condition of the outer event.
    """

    outer: Trigger
    via_noun_clause: bool
    background: bool
    direct_object: bool
    conditional: bool = False


def anchor_map(triggers: Iterable[Trigger]) -> dict[int, Trigger]:
    """Token index → trigger, for each trigger's token and support verb."""
    out: dict[int, Trigger] = {}
    for trigger in triggers:
        out[trigger.token.i] = trigger
        if trigger.light is not None:
            out.setdefault(trigger.light.i, trigger)
    return out


def _is_condition(clause: Token) -> bool:
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in clause.children)


def in_condition(trigger: Trigger) -> bool:
    """Whether the trigger sits in an if/unless clause ("if war starts", "unless they agree")."""
    token = trigger.light if trigger.light is not None else trigger.token
    for _ in range(MAX_HOPS):
        if _is_condition(token):
            return True
        if token.head.i == token.i:
            return False
        token = token.head
    return False


def hypothetical_mention(trigger: Trigger) -> bool:
    """Whether a weak event noun ("war", "violence", "battle") is only a possibility: in a
    condition ("if war starts in Iraq") or called possible ("for a possible war"). Such a noun
    names a scenario, not an event."""
    if not (trigger.noun and trigger.sense.weak):
        return False
    if any(c.dep_ == "amod" and c.lower_ in POSSIBILITY_MODIFIERS for c in trigger.token.children):
        return True
    return in_condition(trigger)


def conditional_threat(trigger: Trigger) -> Trigger | None:
    """The threat a planned or hypothetical verb event makes when it hangs on an "unless" clause
    ("Nigeria will withdraw its troops unless Chad holds elections" → THREATEN), else None.

    The caller checks the modality; the condition's subject becomes the target (see
    :func:`sitroom.events.targets.condition_targets`).
    """
    if trigger.noun or trigger.sense.type == "THREATEN":
        return None
    for clause in trigger.token.children:
        if clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in THREAT_MARKS for c in clause.children):
            return Trigger(trigger.token, THREAT_SENSE, False, light=trigger.light, light_role=trigger.light_role)
    return None


def _reporting(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and bool(base_forms(token.text) & REPORTING_LEMMAS)


def _protest_reason(token: Token) -> bool:
    """Whether the token is what a protest is "in protest of/against" (its reason)."""
    prep = token.head
    protest = prep.head
    return (token.dep_ == "pobj" and prep.lower_ in REASON_PREPS and protest.lower_ in ("protest", "protests")
            and protest.dep_ == "pobj" and protest.head.lower_ == "in")


def background_noun(trigger: Trigger) -> bool:
    """Whether an event noun sits in a background time phrase ("after the clashes") or is the
    reason of a protest ("in protest against the arrest of ...")."""
    if not trigger.noun:
        return False
    token = trigger.token
    for _ in range(3):  # "after two days of fighting": through a measure phrase
        if token.dep_ == "pobj" and token.head.lower_ in BACKGROUND_PREPS:
            return True
        if _protest_reason(token):
            return True
        if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
            token = token.head.head
            continue
        if token.dep_ == "conj":
            token = token.head
            continue
        return False
    return False


def embedding(trigger: Trigger, anchors: dict[int, Trigger]) -> Embedding | None:
    """The trigger whose clause holds this one, or None when it is not held by another event.

    Coordination is not embedding ("met and agreed"), and a reporting verb ends the search.
    """
    token = trigger.light if trigger.light is not None else trigger.token
    via_clause = conditional = False
    first_dep = token.dep_
    for _ in range(MAX_HOPS):
        if token.dep_ == "conj":
            token = token.head
            first_dep = token.dep_
            continue
        head = token.head
        if head.i == token.i:
            return None
        via_clause = via_clause or token.dep_ in NOUN_CLAUSE_DEPS
        conditional = conditional or _is_condition(token)
        outer = anchors.get(head.i)
        if outer is not None and outer is not trigger:
            return Embedding(outer=outer, via_noun_clause=via_clause, background=background_noun(trigger),
                             direct_object=first_dep in ("dobj", "nsubjpass") and head.i == outer.token.i,
                             conditional=conditional)
        if _reporting(head):
            return None
        token = head
    return None


def is_passing_mention(trigger: Trigger, held: Embedding | None) -> bool:
    """Whether a trigger held by another event mentions an event in passing rather than reporting it.

    Mentions in passing: a different-type event inside an agreement's, demand's, threat's or
    statement's content; a protest's demand or accusation; the condition of another event ("will
    withdraw unless the president agrees"); a weak event noun that is only a possibility ("if war
    starts"); an event noun in a background time phrase; an event inside a clause that
    describes one of the outer event's participants; and an event noun that is the object of
    another type's verb ("lifted the blockade", "violated the ceasefire").
    """
    if hypothetical_mention(trigger):
        return True
    if held is None:
        return False
    outer = held.outer
    if outer.sense.type == trigger.sense.type:
        return False  # a detail of the same event ("struck ..., killing 20") keeps its counts
    if held.background or held.via_noun_clause or held.conditional:
        return True
    if held.direct_object and trigger.noun:
        return True
    if outer.sense.type == "PROTEST" and trigger.sense.type in PROTEST_CONTENT_TYPES:
        return True
    return outer.sense.type in PROPOSITIONAL_TYPES


def content_modality(trigger: Trigger, held: Embedding | None) -> str | None:
    """The modality of an event that is the content of a proposition ("agreed to hold joint
    exercises" → planned, "threatened to storm the palace" → hypothetical), or None when the trigger
    is not such content (not held, held as background or description, or a same-type detail)."""
    if held is None or held.outer.sense.type == trigger.sense.type:
        return None
    if held.background or held.via_noun_clause or (held.direct_object and trigger.noun):
        return None
    return CONTENT_MODALITY.get(held.outer.sense.type)


def clause_depth(trigger: Trigger) -> int:
    """Clause boundaries between a trigger (or its support verb) and the sentence's main predicate.

    A reporting verb's complement counts as the main clause ("Israel struck ..., officials said").
    """
    token = trigger.light if trigger.light is not None else trigger.token
    depth = 0
    for _ in range(MAX_HOPS):
        head = token.head
        if head.i == token.i:
            return depth
        if token.dep_ in CLAUSE_DEPS and not (token.dep_ == "ccomp" and _reporting(head)):
            depth += 1
        token = head
    return depth
