"""How many: killed, injured, arrested and crowd/troop size, from the parse around a trigger.

Only numbers tied to the event by the syntax count. A *casualty word* ("killed", "dead", "wounded",
"arrested", "deaths", "death toll") counts when it is the trigger or lies within
:data:`MAX_HOPS` dependency edges of it in the same sentence ("clashes which killed over 1400
people", "struck the camp, killing 14", "14 people were killed and 22 others injured"); a casualty
verb with an agent of its own that is not the trigger is another event and is skipped ("Israel
struck Gaza and Hamas killed 14" gives the strike no deaths). The number is read from the casualty
word's patient: the object of an active verb ("killed 13 people"), the subject of a passive or
reduced passive ("14 people were killed", "22 others injured"), the noun a participle or adjective
modifies ("13 killed", "left 13 people dead"), a numeral on a casualty noun ("14 deaths"), or a
death toll's value ("the death toll rose to 40", "a toll of 40"). Coordinated patients add up ("two
soldiers and three civilians" → 5). A singular person patient ("killed a policeman", "shot him
dead") counts 1.

Size is the number on the trigger's own agent ("thousands marched", "a crowd of 5,000 gathered") or,
for troops and crowds, its object ("deployed 3,000 troops"), when the head noun is a crowd or force
noun (:data:`CROWD_NOUNS`) or a bare number.

Number conventions (the contract's counts are plain integers, so qualifiers are dropped and vague
quantities give their lower bound): "over 1400", "at least 13", "nearly 40" → the number as
written; "a dozen" → 12; "dozens" → 24, "scores" → 40, "hundreds" → 200, "thousands" → 2000,
"millions" → 2,000,000 (two of the unit); "tens of thousands" → 20,000, "hundreds of thousands" →
200,000; "several"/"a few" only before a unit ("several hundred" → 200), alone they give nothing.
Dates, times, percentages, money, quantities with units, ordinals and ages are never counts.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from sitroom.events.modality import is_noun, sentence_of
from sitroom.model import Counts

if TYPE_CHECKING:
    from spacy.tokens import Token

# Dependency edges between the trigger and a casualty word. 1 covers "killing 14" and conjoined
# clauses, 2 "clashes which killed", 3-4 "after a bombing ... 13 dead" and "strikes on X left 13
# people dead". Beyond 4 the words belong to other clauses of long sentences.
MAX_HOPS = 4

# Casualty words farther than this many tokens from the trigger are not looked at (4 edges
# rarely span more than ~25 tokens; the cap keeps long run-on sentences linear).
ANCHOR_WINDOW = 40
_ANCHORS_KEY = "sitroom.events.casualty_anchors"

KILLED, INJURED, ARRESTED = "killed", "injured", "arrested"
CASUALTY_WORDS: dict[str, str] = {
    **dict.fromkeys(
        "kill kills killed killing die dies died dying dead slay slays slew slain massacre massacres "
        "massacred execute executes executed murder murders murdered death deaths fatalities toll".split(),
        KILLED,
    ),
    **dict.fromkeys(
        "injure injures injured injuring wound wounds wounded wounding hurt hurting injuries".split(), INJURED
    ),
    **dict.fromkeys(
        "arrest arrests arrested arresting detain detains detained detaining apprehend apprehended "
        "jail jailed imprison imprisoned nab nabbed".split(),
        ARRESTED,
    ),
}
# Casualty words whose subject is the one who died, not a killer.
INTRANSITIVE = frozenset("die dies died dying dead".split())
# The patient of "claimed the lives of 25 people", "cost 40 lives".
LIFE_VERBS = frozenset("claim claimed claims claiming cost costs costing take took taken".split())
TOLL_PREPS = frozenset("to at of".split())
WH_WORDS = frozenset("which that who".split())

CROWD_NOUNS = frozenset(
    "people persons protesters protestors demonstrators marchers rioters supporters workers students "
    "farmers residents activists citizens women men youths crowd crowds troops soldiers forces personnel "
    "fighters militants gunmen insurgents rebels police policemen officers reservists sailors marines "
    "servicemen members mourners pilgrims participants strikers others refugees migrants".split()
)
PERSON_NOUNS = frozenset(
    "man woman child boy girl person soldier civilian policeman policewoman officer journalist "
    "protester demonstrator fighter militant farmer student worker teenager resident guard "
    "commander leader driver doctor".split()
)
PERSON_PRONOUNS = frozenset("him her he she".split())
# Numbers carrying these entity labels are not counts of people.
NOT_COUNT_LABELS = frozenset("DATE TIME PERCENT MONEY QUANTITY ORDINAL".split())
UNIT_NOUNS = frozenset(
    "year years day days week weeks month months hour hours minute minutes percent per cent km kilometres "
    "kilometers miles metres meters dollars euros pounds tonnes tons times years-old".split()
)

ONES: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
TENS: dict[str, int] = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12}
# Vague plurals: their unit. Alone they mean at least two units (lower bound); before a scale
# they multiply it ("tens of thousands" = 20 * 1000).
VAGUE: dict[str, int] = {
    "dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 1000, "millions": 1_000_000,
    "billions": 1_000_000_000,
}
VAGUE_LOWER_BOUND = 2
# Words that only count before a unit ("several hundred"), giving the lower bound of two.
FEW = frozenset("several few".split())
ARTICLES = frozenset("a an".split())
NUMBER_WORDS = frozenset(ONES) | frozenset(TENS) | frozenset(SCALES) | frozenset(VAGUE)


def _is_numberish(token: Token) -> bool:
    low = token.lower_
    return (token.like_num and any(ch.isdigit() for ch in low)) or low.replace(",", "") in NUMBER_WORDS or (
        "-" in low and all(part in NUMBER_WORDS for part in low.split("-") if part)
    )


def parse_number(words: list[str]) -> int | None:
    """The value of a number phrase ("1,400", "1.2 million", "three hundred and twenty", "dozens",
    "tens of thousands", "a dozen", "several hundred"), or None if it holds no number."""
    total, current, seen = 0.0, 0.0, False
    multiplier = 0.0  # set by "a" (1) or "several" (2) before a unit
    for raw in words:
        word = raw.lower().replace(",", "")
        if not word or word in ("and", "of", "-"):
            continue
        if "-" in word:
            value = parse_number([part for part in word.split("-") if part])
            if value is None:
                return None
            current, seen = current + value, True
            continue
        if word in ARTICLES or word in FEW:
            multiplier = 1.0 if word in ARTICLES else VAGUE_LOWER_BOUND
            continue
        try:
            current, seen = current + float(word), True
            continue
        except ValueError:
            pass
        if word in ONES or word in TENS:
            current += ONES.get(word, 0) + TENS.get(word, 0)
        elif word in SCALES or word in VAGUE:
            unit = SCALES.get(word) or VAGUE[word]
            default = 1.0 if word in SCALES else VAGUE_LOWER_BOUND
            value = (current or multiplier or default) * unit
            if unit >= 1000:
                total, current = total + value, 0.0
            else:
                current = value
        else:
            return None
        seen, multiplier = True, 0.0
    return int(round(total + current)) if seen else None


def _links(left: Token, word: Token, right: Token) -> bool:
    """Whether ``word`` joins two parts of one number: "hundred and twenty", "tens of thousands",
    "twenty - five"."""
    low = word.lower_
    if low == "and":
        return left.lower_ in SCALES and right.lower_ in NUMBER_WORDS
    if low == "of":
        return left.lower_ in VAGUE and right.lower_ in VAGUE
    return low == "-" and left.lower_ in NUMBER_WORDS and right.lower_ in NUMBER_WORDS


def _number_run(token: Token) -> list[Token]:
    """The contiguous number phrase around a number token ("three hundred and twenty", "1.2
    million", "tens of thousands", "a dozen")."""
    doc = token.doc
    left = token.i
    while left > 0:
        prev = doc[left - 1]
        if _is_numberish(prev) or (left > 1 and _links(doc[left - 2], prev, doc[left])):
            left -= 1
            continue
        if prev.lower_ in ARTICLES or prev.lower_ in FEW:
            left -= 1
        break
    right = token.i
    while right + 1 < len(doc):
        nxt = doc[right + 1]
        if _is_numberish(nxt) or (right + 2 < len(doc) and _links(doc[right], nxt, doc[right + 2])):
            right += 1
            continue
        break
    return list(doc[left : right + 1])


def _excluded(run: list[Token]) -> bool:
    """Dates, percentages, money, units and ages are not counts."""
    if any(t.ent_type_ in NOT_COUNT_LABELS for t in run if _is_numberish(t)):
        return True
    doc = run[-1].doc
    after = run[-1].i + 1
    if after < len(doc) and (doc[after].lower_ in UNIT_NOUNS or doc[after].text in ("%", "-year")):
        return True
    if after + 1 < len(doc) and doc[after].text == "-" and doc[after + 1].lower_ in UNIT_NOUNS:
        return True  # "a 13-year-old"
    before = run[0].i - 1
    return before >= 0 and doc[before].text in ("$", "€", "£", "#", "No.")


def _run_value(token: Token) -> int | None:
    run = _number_run(token)
    if _excluded(run):
        return None
    return parse_number([t.text for t in run])


def number_of(token: Token, singular_person_is_one: bool = False, depth: int = 0) -> int | None:
    """The number a noun phrase states, read from its head ``token``.

    Args:
        token: the phrase's head: a number ("13", "thousands") or a noun ("people", "crowd").
        singular_person_is_one: count a singular person noun or pronoun as 1 (casualty patients).
        depth: recursion guard for "a crowd of 5,000" / "the lives of 25 people".

    Returns:
        The number, coordinated phrases summed, or None.
    """
    if token.lower_ in UNIT_NOUNS:
        return None
    value: int | None = None
    if _is_numberish(token):
        value = _run_value(token)
    else:
        for child in token.children:
            if child.dep_ in ("nummod", "quantmod") and _is_numberish(child):
                value = _run_value(child)
                break
        if value is None and depth < 2:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            value = number_of(obj, singular_person_is_one, depth + 1)
        if value is None and singular_person_is_one and depth == 0:
            if token.lower_ in PERSON_PRONOUNS or (
                token.tag_ in ("NN", "NNP")
                and (token.lower_ in PERSON_NOUNS or token.ent_type_ == "PERSON")
            ):
                value = 1
    if value is not None and depth == 0 and not _is_numberish(token):
        for conj in token.conjuncts:
            if conj.i > token.i and is_noun(conj):
                extra = number_of(conj, singular_person_is_one, depth + 1)
                if extra is not None:
                    value += extra
    return value


def _child(token: Token, *deps: str) -> Token | None:
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def _toll_value(toll: Token) -> int | None:
    """ "a death toll of 40", "the toll rose to 40", "the toll stands at 40", "the toll reached 40"."""
    for child in toll.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = _child(child, "pobj")
            if obj is not None and (value := number_of(obj)) is not None:
                return value
    verb = toll.head
    if toll.dep_ in ("nsubj", "nsubjpass") and verb != toll:
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in TOLL_PREPS:
                obj = _child(child, "pobj")
                if obj is not None and (value := number_of(obj)) is not None:
                    return value
            if child.dep_ in ("dobj", "attr") and (value := number_of(child)) is not None:
                return value
    return None


def _is_reduced_passive(verb: Token) -> bool:
    return verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def casualty_patient_number(anchor: Token) -> int | None:
    """The number of victims (or detainees) a casualty word states (rules in the module doc)."""
    low = anchor.lower_
    if low == "toll":
        return _toll_value(anchor)
    if _is_numberish(anchor):
        return None
    if is_noun(anchor) and anchor.tag_ != "JJ" and low != "dead":
        return number_of(anchor)  # "14 deaths", "deaths of 14 people"
    obj = _child(anchor, "dobj")
    if obj is not None:
        return number_of(obj, singular_person_is_one=True)
    passive_subject = _child(anchor, "nsubjpass")
    if passive_subject is not None:
        return number_of(passive_subject, singular_person_is_one=True)
    subject = _child(anchor, "nsubj")
    if subject is not None and (low in INTRANSITIVE or _is_reduced_passive(anchor) or anchor.tag_ == "JJ"):
        return number_of(subject, singular_person_is_one=True)
    nummod = _child(anchor, "nummod")
    if nummod is not None:
        return number_of(nummod)  # "13 dead" as a headline
    head = anchor.head
    if anchor.dep_ in ("acl", "amod", "relcl") and head != anchor:
        return number_of(head, singular_person_is_one=True)  # "13 killed", "13 people killed in"
    if anchor.dep_ in ("oprd", "ccomp", "xcomp", "acomp", "advcl") and head != anchor:
        target = _child(head, "dobj") or _child(head, "nsubjpass") or _child(head, "nsubj")
        if target is not None:
            return number_of(target, singular_person_is_one=True)  # "left 13 people dead"
    return None


def _has_other_agent(anchor: Token, trigger: Token) -> bool:
    """True when a casualty verb has an active subject of its own that is not the trigger: then it
    is a separate event."""
    if anchor == trigger or anchor.lower_ in INTRANSITIVE or _is_reduced_passive(anchor):
        return False
    subject = _child(anchor, "nsubj")
    if subject is None or subject.lower_ in WH_WORDS:
        return False
    return subject != trigger and trigger not in subject.conjuncts


def _ancestor_distances(token: Token, limit: int) -> dict[int, int]:
    distances = {token.i: 0}
    current = token
    for step in range(1, limit + 1):
        if current.head == current:
            break
        current = current.head
        distances[current.i] = step
    return distances


def _distance(anchor: Token, trigger_ancestors: dict[int, int]) -> int | None:
    """Tree distance from the trigger to ``anchor`` via their lowest common ancestor (or None when
    it exceeds :data:`MAX_HOPS`)."""
    current, up = anchor, 0
    best: int | None = None
    while up <= MAX_HOPS:
        down = trigger_ancestors.get(current.i)
        if down is not None:
            total = up + down
            best = total if best is None else min(best, total)
            break
        if current.head == current:
            break
        current = current.head
        up += 1
    return best if best is not None and best <= MAX_HOPS else None


def _size(trigger: Token) -> int | None:
    """Crowd or force size: the number on the trigger's agent, or on its object when that is a crowd
    or troop noun (module doc)."""
    candidates: list[Token] = []
    for child in trigger.children:
        if child.dep_ in ("nsubj", "dobj"):
            candidates.append(child)
        elif child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ in ("of", "by") and is_noun(trigger)):
            candidates.extend(c for c in child.children if c.dep_ == "pobj")
    for candidate in candidates:
        if _role_reference(candidate):
            continue
        if candidate.lower_ in CROWD_NOUNS or _is_numberish(candidate):
            value = number_of(candidate)
            if value is not None:
                return value
    return None


def _role_reference(token: Token) -> bool:
    """Whether a numeral stands for participants named before ("the two will discuss", "both
    said"), not a crowd of that size."""
    if token.lower_ == "both":
        return True
    return token.pos_ == "NUM" and any(c.dep_ == "det" and c.lower_ in ("the", "these", "those")
                                       for c in token.children)


def _nearby_anchors(trigger: Token) -> list[Token]:
    """Casualty words (and "lives") of the trigger's sentence within :data:`ANCHOR_WINDOW` tokens,
    from a per-doc index (so a long sentence with many triggers stays linear)."""
    doc = trigger.doc
    index = doc.user_data.get(_ANCHORS_KEY)
    if index is None:
        index = [t.i for t in doc if t.lower_ in CASUALTY_WORDS or t.lower_ == "lives"]
        doc.user_data[_ANCHORS_KEY] = index
    sentence = sentence_of(trigger)
    low = max(sentence.start, trigger.i - ANCHOR_WINDOW)
    high = min(sentence.end, trigger.i + ANCHOR_WINDOW + 1)
    return [doc[i] for i in index[bisect_left(index, low) : bisect_left(index, high)]]


def counts_for(trigger: Token) -> Counts:
    """The killed, injured, arrested and size counts stated around an event's trigger.

    Args:
        trigger: the event's trigger token (verb or noun) in its paragraph doc.

    Returns:
        A :class:`~sitroom.model.Counts`; fields the sentence does not state stay None.
    """
    found: dict[str, tuple[int, int, int]] = {}  # category -> (distance, position, value)
    ancestors = _ancestor_distances(trigger, MAX_HOPS)
    nearby = _nearby_anchors(trigger)
    for token in nearby:
        category = CASUALTY_WORDS.get(token.lower_)
        if category is None:
            continue
        distance = 0 if token == trigger else _distance(token, ancestors)
        if distance is None or _has_other_agent(token, trigger):
            continue
        value = casualty_patient_number(token)
        if value is None:
            continue
        key = (distance, abs(token.i - trigger.i), value)
        if category not in found or key < found[category]:
            found[category] = key
    # "claimed the lives of 25 people", "cost 40 lives"
    for token in nearby:
        if token.lower_ == "lives" and token.head.lower_ in LIFE_VERBS and KILLED not in found:
            distance = _distance(token, ancestors)
            if distance is not None and (value := number_of(token)) is not None:
                found[KILLED] = (distance, abs(token.i - trigger.i), value)
    size = None if trigger.lower_ in CASUALTY_WORDS else _size(trigger)
    return Counts(
        killed=found[KILLED][2] if KILLED in found else None,
        injured=found[INJURED][2] if INJURED in found else None,
        arrested=found[ARRESTED][2] if ARRESTED in found else None,
        size=size,
    )
