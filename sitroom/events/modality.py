"""How sure the report is of an event (its modality), and on whose word (its attribution).

Both read the dependency parse around one trigger token (a verb or a noun) and never look past its
sentence. The pipeline runs spaCy without the lemmatizer, so words are matched by their inflected
forms (:data:`LEXICON`), not by ``token.lemma_``.

Modality, cue by cue:

- **negated**: ``not``/``n't``/``never`` on the trigger or on a clause that governs it ("did not
  intervene", "hadn't planned to flee", "was not planning to go to war"), ``no`` on a noun trigger
  ("no attacks"), ``without``, and governing verbs of denial or refusal ("denied carrying out",
  "refused to attend", "failed to reach").
- **hypothetical**: the modals could/may/might/would/can/should/must (``would`` only when it is not
  past-habitual and not future-in-the-past under a reporting verb), ``if``/``unless``/``whether``
  (on the trigger's clause or on a conditional clause it heads), governing verbs and nouns of fear,
  warning, threat, wish, attempt, request and prediction ("warned that", "threatened to", "called
  on ... to", "risk of", "threat of"), and ``possible``/``potential``/``likely``.
- **planned**: ``will``/``shall``/``'ll``, "is to", "is going to", "is due/set/scheduled/expected
  to", "plans/intends/agreed/vowed to", "a plan to", ``upcoming``/``planned`` on a noun trigger, and
  the present tense with a future time word ("are meeting in Paris next week").
- **claimed**: a hedging adverb ("reportedly", "allegedly"), a governing verb of claim, accusation or
  belief ("X claimed that", "accused X of", "is said to have", "officials believe"), an
  ``alleged``/``reported``/``suspected`` noun, or "according to X" anywhere in the sentence. A plain
  "said"/"told"/"added" by any source stays **asserted**: reporting is how news states facts, and
  sorting sources into interested and neutral parties is not something the parse can do. The
  source still goes to ``attributed_to``.
- **asserted**: none of the above.

Precedence (first match wins): negated > hypothetical > planned > claimed > asserted. A negation
says the event did not (or will not) happen, which matters more to a reader than how sure or how
future it is ("will not attend" and "reportedly did not" are negated; the source of the latter is
still in ``attributed_to``). The one exception is negation under may/might ("may not attend"):
the event is possible, so hypothetical. A future or a claim inside a warning stays hypothetical
("warned that Russia will attack").

The walk up from the trigger: a noun trigger passes to the verb it is the object of ("carried out
attacks"), the subject of a light verb ("the meeting will take place"), or sits in a prepositional
phrase of (not a temporal one: "after the clashes" leaves the clashes alone). A verb passes to the
verb it is an ``xcomp``/``ccomp``/subject-less ``conj`` of; a ``ccomp`` of a reporting or belief
verb contributes only that verb's word and stops there; relative and adverbial clauses stop the
walk (they are separate assertions).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

ASSERTED, PLANNED, HYPOTHETICAL, NEGATED, CLAIMED = "asserted", "planned", "hypothetical", "negated", "claimed"
# First match wins (see the module docstring for why).
PRECEDENCE: tuple[str, ...] = (NEGATED, HYPOTHETICAL, PLANNED, CLAIMED)

# Steps the walk takes up from the trigger. Real clause chains ("said it was not planning to go to
# war") need 4-5; the cap keeps 500-word run-on "sentences" linear.
MAX_CLIMB = 8
# Dependents farther than this many tokens from their governor are not read for cues: in a
# 500-word run-on "sentence" the root can have dozens of children, and no real cue sits that far.
CUE_WINDOW = 30
# Tokens a source phrase may span on either side of its head.
MAX_PHRASE_TOKENS = 25
# Per-doc caches in ``Doc.user_data``.
_SENTENCE_STARTS_KEY = "sitroom.events.sentence_starts"
_ACCORDING_KEY = "sitroom.events.according_to"


def _lexicon(*lines: str) -> dict[str, str]:
    """Map every form on a line to the line's first word (its lemma)."""
    table: dict[str, str] = {}
    for line in lines:
        forms = line.split()
        for form in forms:
            table.setdefault(form, forms[0])
    return table


# Inflected forms of the words the rules look at (the pipeline has no lemmatizer).
LEXICON: dict[str, str] = _lexicon(
    # reporting
    "say says said saying", "tell tells told telling", "add adds added adding",
    "state states stated stating", "report reports reported reporting",
    "announce announces announced announcing", "confirm confirms confirmed confirming",
    "describe describes described describing", "note notes noted noting",
    "explain explains explained explaining", "write writes wrote written writing",
    "quote quotes quoted quoting", "declare declares declared declaring",
    "tweet tweets tweeted tweeting", "post posts posted posting",
    "stress stresses stressed stressing", "emphasize emphasizes emphasized emphasizing emphasise emphasised",
    "insist insists insisted insisting", "argue argues argued arguing", "reply replies replied replying",
    "respond responds responded responding", "comment comments commented commenting",
    "remark remarks remarked remarking", "acknowledge acknowledges acknowledged acknowledging",
    "admit admits admitted admitting", "recall recalls recalled recalling",
    "conclude concludes concluded concluding", "continue continues continued continuing",
    "ask asks asked asking", "complain complains complained complaining",
    "underline underlines underlined underlining", "reiterate reiterates reiterated reiterating",
    "thank thanks thanked thanking", "praise praises praised praising", "hail hails hailed hailing",
    "welcome welcomes welcomed welcoming", "condemn condemns condemned condemning",
    "denounce denounces denounced denouncing", "criticise criticises criticised criticising criticize "
    "criticizes criticized criticizing",
    "indicate indicates indicated indicating", "show shows showed shown showing",
    # claim, accusation, belief
    "claim claims claimed claiming", "allege alleges alleged alleging", "purport purports purported",
    "contend contends contended contending", "accuse accuses accused accusing",
    "blame blames blamed blaming", "believe believes believed believing",
    "think thinks thought thinking", "suspect suspects suspected suspecting",
    "rumour rumours rumoured rumor rumors rumored", "understand understands understood",
    # denial, refusal, failure
    "deny denies denied denying", "refuse refuses refused refusing",
    "decline declines declined declining", "fail fails failed failing",
    "reject rejects rejected rejecting", "rule ruled rules ruling",
    # fear, warning, threat, wish, attempt, request, prediction
    "warn warns warned warning", "fear fears feared fearing", "threaten threatens threatened threatening",
    "want wants wanted wanting", "wish wishes wished wishing", "hope hopes hoped hoping",
    "seek seeks sought seeking", "try tries tried trying", "attempt attempts attempted attempting",
    "consider considers considered considering", "propose proposes proposed proposing",
    "offer offers offered offering", "urge urges urged urging", "call calls called calling",
    "demand demands demanded demanding", "request requests requested requesting",
    "predict predicts predicted predicting", "forecast forecasts forecasted forecasting",
    "risk risks risked risking", "could", "may", "might", "would", "can", "should", "must",
    "ca", "wo", "will", "shall", "'ll", "'d",
    # plans and commitments
    "plan plans planned planning", "intend intends intended intending", "aim aims aimed aiming",
    "prepare prepares prepared preparing", "schedule schedules scheduled scheduling",
    "expect expects expected expecting", "set", "slate slated", "poise poised", "due",
    "go goes went gone going", "agree agrees agreed agreeing", "decide decides decided deciding",
    "promise promises promised promising", "pledge pledges pledged pledging", "vow vows vowed vowing",
    "be is are was were been being am 's 're",
    # light verbs a noun trigger passes through
    "take takes took taken taking", "hold holds held holding", "carry carries carried carrying",
    "conduct conducts conducted conducting", "launch launches launched launching",
    "have has had having", "make makes made making", "stage stages staged staging",
    "begin begins began begun beginning", "start starts started starting",
    "happen happens happened happening", "occur occurs occurred occurring",
    "resume resumes resumed resuming", "proceed proceeds proceeded proceeding",
    "end ends ended ending", "come comes came coming", "give gives gave given giving",
    "mount mounts mounted mounting", "engage engages engaged engaging",
)


def lemma(token: Token) -> str:
    """The token's lemma from :data:`LEXICON`, else spaCy's lemma if any, else its lower-case text."""
    lower = token.lower_
    return LEXICON.get(lower) or token.lemma_.lower() or lower


# Verbs whose complement is reported speech: the source is their subject.
REPORTING = frozenset(
    "say tell add state report announce confirm describe note explain write quote declare tweet post "
    "stress emphasize insist argue reply respond comment remark acknowledge admit recall conclude "
    "underline reiterate indicate claim allege contend accuse blame warn deny threaten".split()
)
# Governing words that make what they govern claimed (hedged or disputed, on someone's word).
CLAIM_WORDS = frozenset("claim allege purport contend accuse blame believe think suspect rumour understand".split())
# Passive "is said/reported/believed to have ..." → claimed.
CLAIM_PASSIVES = frozenset("say report believe think allege rumour understand suspect claim".split())
NEGATING_WORDS = frozenset("deny refuse decline fail reject refusal denial failure".split())
# Negating words that reject a proposition ("rejected reports that Israel struck", "rejected calls to
# send troops") but, with an event noun as their own object, reject an event that did happen
# ("condemned and rejected Israeli strikes" is a REJECT of real strikes). "deny" and "refuse" keep
# negating their object: "denied the attack" says it did not happen, "refused talks" that none took place.
OBJECT_REJECTING_WORDS = frozenset("reject rejection".split())
HYPOTHETICAL_WORDS = frozenset(
    "warn fear threaten want wish hope seek try attempt consider propose offer urge call demand request "
    "predict forecast risk threat fears possibility risk chance danger prospect likely unlikely possible "
    "probable potential ready willing able bid effort ask appeal".split()
)
# Active "expect" is a prediction (hypothetical); passive "is expected to" is a schedule (planned).
PLANNED_WORDS = frozenset(
    "plan intend aim prepare schedule set slate poise due go agree decide promise pledge vow be "
    "intention agreement decision commitment pledge promise plans".split()
)
REPORTED_SPEECH_OR_BELIEF = REPORTING | CLAIM_WORDS | frozenset("hope fear expect predict forecast".split())

HEDGES = frozenset("reportedly allegedly purportedly supposedly reputedly ostensibly apparently".split())
HYPOTHETICAL_ADVERBS = frozenset("possibly perhaps maybe potentially probably likely conceivably".split())
FUTURE_AUX = frozenset("will shall 'll wo".split())
EPISTEMIC_AUX = frozenset("may might".split())  # "may not" is still possible, so hypothetical
MODAL_AUX = frozenset("could may might can ca should must ought 'd".split())
NEGATORS = frozenset("not n't never no nor neither".split())
CONDITIONAL_MARKS = frozenset("if unless whether".split())
# "would often visit", "would every year": past habitual, not hypothetical.
HABITUAL = frozenset("often usually always regularly routinely frequently sometimes typically every".split())
FUTURE_TIME = frozenset("tomorrow next upcoming coming later soon forthcoming".split())
# Adjectives on a noun trigger.
PLANNED_ADJ = frozenset("planned scheduled upcoming forthcoming expected proposed future impending imminent".split())
HYPOTHETICAL_ADJ = frozenset("possible potential likely probable feared threatened hypothetical".split())
CLAIMED_ADJ = frozenset("alleged reported suspected purported apparent presumed claimed supposed".split())
# A noun in a prepositional phrase of these keeps its own time ("after the clashes").
TEMPORAL_PREPS = frozenset("after before since during until till amid following ahead despite".split())
NOUN_ARG_DEPS = frozenset("dobj attr oprd nsubjpass dative".split())
# Verbs a subject-noun trigger inherits from: "the meeting will take place", "talks will begin".
SUPPORT_VERBS = frozenset("take happen occur begin start resume proceed continue end come go be hold".split())


def is_noun(token: Token) -> bool:
    """True for nouns and proper nouns (and pronouns heading a noun phrase)."""
    return token.pos_ in ("NOUN", "PROPN", "PRON", "NUM") or token.tag_.startswith("NN")


def is_verbal(token: Token) -> bool:
    """True for verbs, auxiliaries and predicative adjectives ("due", "ready", "likely")."""
    return token.pos_ in ("VERB", "AUX", "ADJ") or token.tag_.startswith(("VB", "JJ", "MD"))


@dataclass
class _Step:
    """One governor on the walk up from the trigger.

    Attributes:
        token: the governing word.
        via: the dependency the walk came up by.
        full: whether the governor's own auxiliaries, negation and adverbs apply to the trigger
            (True) or only its word does (a ``ccomp`` governor, a noun governing a prepositional
            phrase).
    """

    token: Token
    via: str
    full: bool


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in token.children)


def _conj_cc(token: Token) -> str:
    """The coordinating word before a conjunct ("and", "but"), lower-case ("" if none)."""
    words = [c.lower_ for c in token.head.children if c.dep_ == "cc" and c.i < token.i]
    return words[-1] if words else ""


def climb(trigger: Token) -> Iterator[_Step]:
    """Walk up from the trigger through the governors whose cues apply to it (see module doc)."""
    token = trigger
    for _ in range(MAX_CLIMB):
        head, dep = token.head, token.dep_
        if head == token:
            return
        if is_noun(token) and not is_verbal(token):
            if dep in NOUN_ARG_DEPS or dep == "conj" or (dep == "nsubj" and lemma(head) in SUPPORT_VERBS):
                yield _Step(head, dep, full=True)
            elif dep == "pobj" and head.dep_ in ("prep", "agent"):
                if head.lower_ in TEMPORAL_PREPS:
                    return
                if head.lower_ == "without":
                    yield _Step(head, dep, full=False)
                governor = head.head
                if governor == head:
                    return
                if is_noun(governor) and not is_verbal(governor):
                    # "risk of attack", "threat of sanctions": the noun's word only, then stop.
                    yield _Step(governor, "pobj", full=False)
                    if governor.dep_ not in NOUN_ARG_DEPS:
                        return
                    token = governor
                    continue
                yield _Step(governor, "pobj", full=True)
                token = governor
                continue
            else:
                return
            token = head
            continue
        # a verb (or predicative adjective)
        if dep in ("xcomp", "acomp", "auxpass", "aux"):
            yield _Step(head, dep, full=True)
        elif dep == "pcomp" and head.dep_ == "prep":
            if head.lower_ in TEMPORAL_PREPS:
                return
            if head.lower_ == "without":
                yield _Step(head, dep, full=False)
            governor = head.head
            if governor == head:
                return
            yield _Step(governor, "pcomp", full=True)
            token = governor
            continue
        elif dep == "conj":
            if _has_subject(token) or _conj_cc(token) in ("but", "yet"):
                return
            yield _Step(head, dep, full=True)
        elif dep == "ccomp":
            yield _Step(head, dep, full=False)
            if lemma(head) in REPORTED_SPEECH_OR_BELIEF:
                return
        elif dep == "acl" and is_noun(head) and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
            yield _Step(head, "acl", full=False)  # "a plan to attack", "the threat to strike"
            return
        else:
            return
        token = head


@dataclass
class _Cues:
    negated: bool = False
    negated_under_epistemic: bool = False
    hypothetical: bool = False
    planned: bool = False
    claimed: bool = False
    future_time: bool = False
    present: bool = False

    def resolve(self) -> str:
        if self.negated and self.negated_under_epistemic:
            return HYPOTHETICAL
        if self.future_time and self.present and not self.hypothetical:
            self.planned = True
        for name in PRECEDENCE:
            if getattr(self, name):
                return name
        return ASSERTED


def _local_cues(token: Token, cues: _Cues, under_reporting: bool) -> None:
    """Cues carried by a word's own dependents: auxiliaries, negation, adverbs, marks, adjectives."""
    modal_here = ""
    negated_here = False
    near = [c for c in token.children if abs(c.i - token.i) <= CUE_WINDOW]
    habitual = any(w.lower_ in HABITUAL for c in near if c.dep_ in ("advmod", "npadvmod") for w in (c, *c.children))
    for child in near:
        low, dep = child.lower_, child.dep_
        if dep == "neg" or (dep in ("det", "advmod") and low in ("no", "never")):
            negated_here = True
        elif dep in ("aux", "auxpass") or child.tag_ == "MD":
            if low in FUTURE_AUX:
                cues.planned = True
            elif low in ("would", "'d"):
                if under_reporting:
                    cues.planned = True  # future in the past: "announced it would send"
                elif not habitual:
                    cues.hypothetical = True
            elif low in MODAL_AUX:
                cues.hypothetical = True
                modal_here = low
            elif child.tag_ in ("VBZ", "VBP") and low not in ("has", "have", "'ve"):
                cues.present = True
        elif dep == "advmod" and low in HEDGES:
            cues.claimed = True
        elif dep == "advmod" and low in HYPOTHETICAL_ADVERBS:
            cues.hypothetical = True
        elif dep == "mark" and low in CONDITIONAL_MARKS:
            cues.hypothetical = True
        elif dep == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in child.children):
            cues.hypothetical = True  # main clause of a conditional
        elif dep == "amod":
            if low in PLANNED_ADJ:
                cues.planned = True
            elif low in HYPOTHETICAL_ADJ:
                cues.hypothetical = True
            elif low in CLAIMED_ADJ:
                cues.claimed = True
        elif dep == "acomp" and low in HYPOTHETICAL_WORDS:
            cues.hypothetical = True  # "it is possible that ..."
        elif dep in ("npadvmod", "advmod", "prep", "tmod") and any(w.lower_ in FUTURE_TIME for w in (child, *child.children, *(g for c in child.children for g in c.children))):
            cues.future_time = True
    if token.tag_ in ("VBZ", "VBP"):
        cues.present = True
    if negated_here:
        cues.negated = True
        if modal_here in EPISTEMIC_AUX:
            cues.negated_under_epistemic = True


def _word_cue(step: _Step, cues: _Cues, own_object: bool = False) -> None:
    """The cue a governing word carries by its meaning ("warned that", "plans to", "denied").

    ``own_object`` says the trigger itself is the governor's object ("rejected Israeli strikes").
    """
    word = lemma(step.token)
    passive = any(c.dep_ == "auxpass" for c in step.token.children)
    if step.token.lower_ == "without" and step.token.dep_ == "prep":
        cues.negated = True
    elif word in NEGATING_WORDS and own_object and word in OBJECT_REJECTING_WORDS:
        pass  # a rejection of an event that happened, not a denial of it
    elif word in NEGATING_WORDS:
        cues.negated = True
    elif step.via == "xcomp" and passive and word in CLAIM_PASSIVES:
        cues.claimed = True  # "is said to have attacked"
    elif step.via == "xcomp" and passive and word == "expect":
        cues.planned = True  # "is expected to visit"
    elif word in ("expect", "predict", "forecast"):
        cues.hypothetical = True
    elif word in CLAIM_WORDS:
        cues.claimed = True
    elif word in HYPOTHETICAL_WORDS or step.token.lower_ in HYPOTHETICAL_WORDS:
        cues.hypothetical = True
    elif step.via in ("xcomp", "acl") and (word in PLANNED_WORDS or step.token.lower_ in PLANNED_WORDS):
        cues.planned = True  # "plans to", "is to", "is due to", "agreed to", "a plan to"
    elif step.via in NOUN_ARG_DEPS and step.token.lower_ in PLANNED_ADJ:
        cues.planned = True


def sentence_of(token: Token) -> SpacySpan:
    """The token's sentence, from sentence bounds computed once per doc (``Token.sent`` rescans
    the sentence on every call, which made long sentences quadratic)."""
    doc = token.doc
    starts = doc.user_data.get(_SENTENCE_STARTS_KEY)
    if starts is None:
        starts = [sent.start for sent in doc.sents] + [len(doc)]
        doc.user_data[_SENTENCE_STARTS_KEY] = starts
    index = bisect_right(starts, token.i) - 1
    return doc[starts[index] : starts[index + 1]]


def according_to(sentence: SpacySpan) -> Token | None:
    """The object of an "according to" in the sentence, if any (cached per sentence)."""
    cache = sentence.doc.user_data.setdefault(_ACCORDING_KEY, {})
    if sentence.start not in cache:
        found = _find_according_to(sentence)
        cache[sentence.start] = None if found is None else found.i
    index = cache[sentence.start]
    return None if index is None else sentence.doc[index]


def _find_according_to(sentence: SpacySpan) -> Token | None:
    for token in sentence:
        if token.lower_ == "according":
            for prep in token.children:
                if prep.lower_ == "to":
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            return obj
            nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
            if nxt is not None and nxt.lower_ == "to":
                for obj in nxt.children:
                    if obj.dep_ == "pobj":
                        return obj
    return None


def modality_for(trigger: Token) -> str:
    """The modality of the event whose trigger word is ``trigger``.

    Args:
        trigger: the event's trigger token (verb or noun) in its paragraph doc.

    Returns:
        One of ``asserted``, ``planned``, ``hypothetical``, ``negated``, ``claimed`` (rules and
        precedence in the module docstring).
    """
    cues = _Cues()
    steps = list(climb(trigger))
    under_reporting = any(s.via == "ccomp" and lemma(s.token) in REPORTING for s in steps[:1]) or (
        trigger.dep_ == "ccomp" and lemma(trigger.head) in REPORTING
    )
    _local_cues(trigger, cues, under_reporting)
    for index, step in enumerate(steps):
        own_object = index == 0 and is_noun(trigger) and step.via in ("dobj", "conj", "pobj") and (
            trigger.dep_ == "dobj" or (trigger.dep_ == "conj" and trigger.head.dep_ == "dobj"))
        _word_cue(step, cues, own_object)
        if step.full:
            reported = any(s.via == "ccomp" and lemma(s.token) in REPORTING for s in steps[index + 1 : index + 2])
            _local_cues(step.token, cues, reported)
    if not cues.claimed and according_to(sentence_of(trigger)) is not None:
        cues.claimed = True
    return cues.resolve()


# --------------------------------------------------------------------------------------------
# Attribution
# --------------------------------------------------------------------------------------------

# Dependents cut from a source phrase: "the diplomat, who requested anonymity" → "the diplomat".
PHRASE_CUT_DEPS = frozenset("relcl acl advcl".split())
PHRASE_EDGE_PUNCT = frozenset(",;:-–—\"'“”‘’()")


def phrase_span(head: Token) -> tuple[int, int]:
    """Character span (in ``head.doc``) of the noun phrase headed by ``head``.

    The phrase is the head's subtree without relative/adverbial clauses, trimmed of edge
    punctuation. Determiners are kept ("a diplomat" says more than "diplomat"; entity lookup goes
    by overlap, so they do no harm).
    """
    tokens = [head]
    stack = [c for c in head.children if c.dep_ not in PHRASE_CUT_DEPS]
    while stack:
        token = stack.pop()
        if abs(token.i - head.i) > MAX_PHRASE_TOKENS:
            continue
        tokens.append(token)
        stack.extend(c for c in token.children if c.dep_ not in PHRASE_CUT_DEPS)
    tokens.sort(key=lambda t: t.i)
    # Keep a contiguous run around the head (a cut clause may have left a hole).
    indices = {t.i for t in tokens}
    left = right = head.i
    while left - 1 in indices:
        left -= 1
    while right + 1 in indices:
        right += 1
    doc = head.doc
    while left < right and doc[left].text in PHRASE_EDGE_PUNCT:
        left += 1
    while right > left and doc[right].text in PHRASE_EDGE_PUNCT:
        right -= 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def speaker_of(verb: Token) -> Token | None:
    """Who a reporting verb cites: its subject, its passive agent, or a post-posed object the
    parser took for one ("..., added the diplomat")."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            if child.lower_ in ("that", "which", "who") and verb.dep_ == "relcl":
                continue
            return child
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    if not any(c.dep_ == "ccomp" for c in verb.children):
        for child in verb.children:
            if child.dep_ == "dobj" and child.i > verb.i and lemma(verb) in ("say", "add", "tell", "write", "note"):
                return child
    return None


def _parenthetical_reporter(head: Token) -> Token | None:
    """A reporting verb set off by a comma and attached to ``head`` as a conjunct or parataxis,
    without a complement of its own: "It will take place ..., added the diplomat"."""
    doc = head.doc
    for sibling in head.children:
        if (
            sibling.dep_ in ("conj", "parataxis")
            and lemma(sibling) in REPORTING
            and not any(c.dep_ in ("ccomp", "xcomp") for c in sibling.children)
            and sibling.left_edge.i > 0
            and doc[sibling.left_edge.i - 1].text == ","
        ):
            return sibling
    return None


def _reporting_governor(trigger: Token) -> Token | None:
    """The nearest reporting verb that governs the trigger's clause in the sentence, or a
    parenthetical one attached to a clause on the way up."""
    token = trigger
    for _ in range(MAX_CLIMB * 2):
        parenthetical = _parenthetical_reporter(token)
        if parenthetical is not None and parenthetical.i > trigger.i:
            return parenthetical
        head = token.head
        if head == token:
            return None
        if lemma(head) in REPORTING and token.dep_ in ("ccomp", "parataxis"):
            return head
        token = head
    return None


def attribution_for(trigger: Token) -> tuple[int, int] | None:
    """Where the report cites a source for the trigger's event: the source phrase's offsets.

    Looks, in order, at a reporting verb governing the trigger's clause ("..., a diplomat told AFP"
    → "a diplomat"; the outlet told is not the source), a reporting relative clause on a noun
    trigger ("a call that the Kremlin described as ..."), and "according to X" in the sentence.

    Args:
        trigger: the event's trigger token.

    Returns:
        ``(start, end)`` character offsets in ``trigger.doc`` of the source phrase, or None.
    """
    verb = _reporting_governor(trigger)
    if verb is not None:
        speaker = speaker_of(verb)
        if speaker is not None:
            return phrase_span(speaker)
    for child in trigger.children:
        if child.dep_ in ("relcl", "acl") and lemma(child) in REPORTING:
            speaker = speaker_of(child)
            if speaker is not None:
                return phrase_span(speaker)
    source = according_to(sentence_of(trigger))
    if source is not None:
        return phrase_span(source)
    return None
