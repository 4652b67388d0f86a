"""Event triggers: which tokens of a sentence denote events, and of which PLOVER type and mode.

Verbs and nouns are looked up in the lexicon (:mod:`sitroom.events.types`). Three rules keep one
event per thing said:

- a support verb governing an event noun ("carried out hundreds of strikes", "held talks",
  "announced a ceasefire", "came under attack") is not an event itself: the noun is the trigger
  and the verb lends it its subject;
- an event noun that only restates its verb's event ("will host his counterpart for talks",
  "agreed to a ceasefire") is folded into the verb;
- a verb whose subject is an event noun of the same type ("the meeting ... to discuss") or a
  casualty verb whose subject or cause is an attack ("clashes which killed", "killed in an air
  strike") is folded into the noun, which keeps the counts.

Word-level rules: a hyphenated word is looked up whole ("cease-fire", "sit-in"); a gerund in a
noun slot is an event noun ("killed in police firing"); a frame noun takes the event of its
compound modifier ("a mediation effort between X and Y"); a noun named by a ``pobj`` cue is part
of its head's event ("a state of siege"); and "in protest" that gives the reason of a protest act
is no second protest ("began a hunger strike in protest against ...").

Reporting verbs ("said", "told") are not in the lexicon and so never trigger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitroom.events.arguments import PARTITIVES, subject_of
from sitroom.events.types import IRREGULAR, NOT_EVENT, Cue, Lexicon, Sense

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# Named-entity labels whose tokens are names, not triggers ("Peace Talks Committee", "the 1973
# war" tagged EVENT, "Operation Storm").
NAME_LABELS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "LAW", "FAC", "EVENT", "PRODUCT", "GPE", "LOC", "NORP"})
# Share of upper-case words above which a sentence is wire copy in capitals: the tagger's parts of
# speech are unreliable there, so proper-noun tokens are tried as verbs and nouns.
CAPS_SHARE = 0.8
# Prepositions through which a noun restating its verb's event hangs ("host ... for talks").
FOLD_PREPS = frozenset({"for", "to", "on", "of", "over"})
# Casualty modes: a verb of this mode folds into the attack noun that caused it.
CASUALTY_LEMMAS = frozenset({"kill", "wound", "injure", "die"})
# Dependencies of a noun slot: a verb form found there with a determiner is a nominal participle.
NOUN_SLOTS = frozenset({"dobj", "pobj", "nsubj", "nsubjpass", "dative", "attr"})
# "in protest (against ...)": the reason phrase of a protest act.
IN_PROTEST = frozenset({"protest", "protests"})
# Dependencies where a word tagged as a gerund is an event noun ("in police firing").
GERUND_NOUN_SLOTS = frozenset({"pobj", "pcomp"})
CAUSE_PREPS = frozenset({"in", "by", "during", "under", "amid"})
# Nouns that only frame the event their compound modifier names ("a mediation effort", "a bombing
# campaign", "a mediation mission between X and Y"): the frame noun carries the event, so its
# support verb, prepositions and modifiers give the actors.
FRAME_NOUNS = frozenset({"effort", "efforts", "mission", "missions", "campaign", "campaigns", "operation",
                         "operations", "bid", "attempt", "attempts", "initiative", "drive", "action"})
# Measure nouns whose "of" complement is the real object ("a large amount of ammunition").
AMOUNT_NOUNS = frozenset({"amount", "quantity", "quantities", "batch", "stockpile", "consignment", "part", "portion"})
# The cue word that stands for any named place as the object ("seized Mosul", "captured the town").
PLACE_WORD = "@place"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NOT_PLACE_LABELS = frozenset({"PERSON", "ORG", "NORP"})
TIME_LABELS = frozenset({"DATE", "TIME"})
_REVERSE_IRREGULAR = {form: lemma for lemma, forms in IRREGULAR.items() for form in forms}


@dataclass
class Trigger:
    """One event trigger in a sentence.

    Attributes:
        token: the trigger token.
        sense: the lexicon row it matched.
        noun: whether it is an event noun.
        light: the support verb governing the noun, if any.
        light_role: what the support verb's subject is for the event (source | target).
        mode: the mode (the sense's, or a folded noun's when the verb has none).
    """

    token: Token
    sense: Sense
    noun: bool
    light: Token | None = None
    light_role: str = "source"
    mode: str | None = None


def base_forms(word: str) -> set[str]:
    """Candidate base forms of any English word (for cue words outside the lexicon)."""
    w = word.lower().replace("\u2019", "'")
    out = {w}
    if w in _REVERSE_IRREGULAR:
        out.add(_REVERSE_IRREGULAR[w])
    if w.endswith("ies"):
        out.add(w[:-3] + "y")
    if w.endswith("ied"):
        out.add(w[:-3] + "y")
    for suffix in ("s", "es", "d", "ed"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            out.add(w[: -len(suffix)])
    if w.endswith("ing") and len(w) > 5:
        out.update({w[:-3], w[:-3] + "e"})
        if len(w) > 6 and w[-4] == w[-5]:
            out.add(w[:-4])
    if w.endswith("ed") and len(w) > 5 and w[-3] == w[-4]:
        out.add(w[:-3])
    return out


def governor(noun: Token) -> tuple[Token | None, str | None, str]:
    """The verb governing a noun, the preposition in between (if any), and the noun's relation.

    Coordinated nouns take their first conjunct's governor; a partitive ("hundreds of strikes")
    passes its verb on to its "of" complement.
    """
    token = noun
    for _ in range(4):
        if token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN"):
            token = token.head
        else:
            break
    head = token.head
    if token.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd", "dative") and head.pos_ in ("VERB", "AUX"):
        return head, None, token.dep_
    if token.dep_ == "pobj":
        above = head.head
        if head.lower_ == "of" and _quantity(above) and above.head.pos_ in ("VERB", "AUX"):
            return above.head, None, above.dep_
        if above.pos_ in ("VERB", "AUX"):
            return above, head.lower_, "pobj"
    return None, None, token.dep_


def _quantity(noun: Token) -> bool:
    """Whether a noun measures the noun after its "of": a partitive ("hundreds of strikes") or a
    counted unit ("5.1 million dollars of aid", "700 kg of medicine")."""
    if noun.lower_ in PARTITIVES:
        return True
    return noun.pos_ == "NOUN" and any(c.dep_ == "nummod" or c.like_num for c in noun.children)


def _complement(token: Token, words: frozenset[str]) -> bool:
    """Whether the token has a clausal complement marked by one of the words: a modal of the
    complement clause ("said Sudan must return") or the infinitive "to" ("ready to talk")."""
    for child in token.children:
        if child.dep_ not in ("ccomp", "xcomp"):
            continue
        if any(c.dep_ in ("aux", "mark") and c.lower_ in words for c in child.children):
            return True
    return False


def _nominal_participle(token: Token) -> bool:
    """Whether a verb form is used as a noun for people ("evacuated the wounded", "the injured"):
    it fills a noun slot and takes a determiner, so it names the victims, not an event."""
    return token.dep_ in NOUN_SLOTS and any(c.dep_ == "det" for c in token.children)


def _objects(token: Token) -> list[Token]:
    out = []
    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass", "dative", "attr"):
            out.append(child)
            if child.lower_ in PARTITIVES or _quantity(child) or child.lower_ in AMOUNT_NOUNS:
                # "hundreds of strikes", "700 kg of medicine", "a large amount of ammunition"
                out.extend(g for p in child.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj")
    return out


def cue_holds(cue: Cue, token: Token) -> bool:
    """Whether one lexicon cue holds for a token."""
    words = cue.words
    if cue.kind == "prt":  # a time phrase is no particle ("firing on Tuesday" is not "firing on")
        return any(c.dep_ in ("prt", "prep", "agent") and c.lower_ in words and not _time_phrase(c)
                   for c in token.children)
    if cue.kind == "obj":
        return any(base_forms(o.text) & words or (PLACE_WORD in words and _is_place(o)) for o in _objects(token))
    if cue.kind == "pobj":
        return bool(cue_pobjs(cue, token))
    if cue.kind == "cverb":
        return any(c.dep_ in ("xcomp", "ccomp") and base_forms(c.text) & words for c in token.children)
    if cue.kind == "mod":
        return any(c.dep_ in ("compound", "amod", "nmod", "npadvmod") and base_forms(c.text) & words
                   for c in token.children) or any(token.lower_.startswith(w) and token.lower_ != w for w in words)
    if cue.kind == "head":
        verb, _, _ = governor(token)
        return verb is not None and bool(base_forms(verb.text) & words)
    if cue.kind == "comp":
        return _complement(token, words)
    return True  # prep cues are read by the support-verb rule


def _is_place(token: Token) -> bool:
    """Whether a token names a place: tagged so, or a proper name the gazetteer knows that the
    tagger did not take for a person, organisation or people ("captured Aleppo")."""
    if token.ent_type_ in PLACE_LABELS:
        return True
    if token.pos_ != "PROPN" or token.ent_type_ in NOT_PLACE_LABELS:
        return False
    from sitroom.places.gazetteer import load_gazetteer

    name = token.doc[token.left_edge.i if token.left_edge.pos_ == "PROPN" else token.i : token.i + 1].text
    return bool(load_gazetteer().matches(name))


def _time_phrase(prep: Token) -> bool:
    return any(g.dep_ == "pobj" and g.ent_type_ in TIME_LABELS for g in prep.children)


def cue_pobjs(cue: Cue, token: Token) -> list[Token]:
    """The objects of the token's prepositions that a ``pobj`` cue names ("state of siege",
    "took to the streets")."""
    return [g for p in token.children if p.dep_ == "prep" for g in p.children
            if g.dep_ == "pobj" and base_forms(g.text) & cue.words]


def _gerund_noun(token: Token) -> bool:
    """Whether a word tagged as a gerund names an event as a noun would: in a preposition's
    object slot ("in firing", "in police firing" read as a clause) or right after a noun it
    was taken to describe ("in police firing" read as "police" + participle)."""
    if token.dep_ in GERUND_NOUN_SLOTS:
        return True
    head = token.head
    return (token.dep_ == "acl" and head.i == token.i - 1 and head.pos_ == "NOUN" and head.dep_ == "pobj"
            and not any(c.dep_ in ("dobj", "prt") for c in token.children))


def hyphenated(token: Token) -> str | None:
    """The whole hyphenated word a token ends ("cease-fire", "sit-in": the tokenizer splits them
    into three tokens), or None."""
    i = token.i
    if i < 2:
        return None
    doc = token.doc
    dash, first = doc[i - 1], doc[i - 2]
    if dash.text != "-" or dash.whitespace_ or first.whitespace_ or not first.is_alpha:
        return None
    return f"{first.text}-{token.text}"


def choose_sense(lexicon: Lexicon, token: Token, pos: str) -> Sense | None:
    """The first lexicon sense of the token's lemmas whose cues all hold (None: not an event).
    A hyphenated word is looked up whole first ("cease-fire" before "fire")."""
    joined = hyphenated(token)
    lemmas = lexicon.lemmas(joined) if joined else set()
    for lemma in sorted(lemmas or lexicon.lemmas(token.text)):
        for sense in lexicon.rows(lemma, pos):
            if all(cue_holds(c, token) for c in sense.cues):
                return None if sense.type == NOT_EVENT else sense
    return None


def support_verb(lexicon: Lexicon, noun: Token) -> tuple[Token, str] | None:
    """The support verb governing an event noun and its subject's role, or None."""
    verb, prep, dep = governor(noun)
    if verb is None:
        return None
    for lemma in sorted(lexicon.lemmas(verb.text) | base_forms(verb.text)):
        for sense in lexicon.rows(lemma, "LIGHT"):
            wanted = next((c.words for c in sense.cues if c.kind == "prep"), None)
            if wanted is None and prep is None and dep in ("dobj", "nsubjpass"):
                return verb, sense.mode or "source"
            if wanted is not None and prep in wanted:
                return verb, sense.mode or "source"
    return None


def _caps(sent: SpacySpan) -> bool:
    alpha = [t for t in sent if t.is_alpha and len(t) > 1]
    return len(alpha) >= 3 and sum(t.is_upper for t in alpha) >= CAPS_SHARE * len(alpha)


def find_triggers(lexicon: Lexicon, sent: SpacySpan) -> list[Trigger]:
    """The event triggers of one sentence, in token order, after the folding rules."""
    caps = _caps(sent)
    nouns: dict[int, Trigger] = {}
    verbs: dict[int, Trigger] = {}
    for token in sent:
        if not token.is_alpha and "-" not in token.text:
            continue
        if not caps and token.ent_type_ in NAME_LABELS:
            continue
        as_noun = (token.pos_ == "NOUN" or (caps and token.pos_ == "PROPN")
                   or (token.tag_ == "VBG" and _gerund_noun(token)))  # "killed in police firing"
        as_verb = token.pos_ == "VERB" or (caps and token.pos_ == "PROPN")
        framed = token.dep_ == "compound" and token.head.lower_ in FRAME_NOUNS and token.head.pos_ == "NOUN"
        if as_noun and (token.dep_ != "compound" or framed):
            sense = choose_sense(lexicon, token, "NOUN")
            if sense is not None and framed:
                token = token.head
            if sense is not None:
                trigger = Trigger(token, sense, True, mode=sense.mode)
                light = support_verb(lexicon, token)
                if light is not None:
                    trigger.light, trigger.light_role = light
                nouns[token.i] = trigger
                continue
        if token.pos_ == "ADJ" and token.dep_ in ("acomp", "ROOT", "ccomp", "conj"):
            sense = choose_sense(lexicon, token, "ADJ")
            if sense is not None:
                verbs[token.i] = Trigger(token, sense, False, mode=sense.mode)
                continue
        if as_verb and token.dep_ != "amod" and not _nominal_participle(token):
            sense = choose_sense(lexicon, token, "VERB")
            if sense is not None:
                verbs[token.i] = Trigger(token, sense, False, mode=sense.mode)
    for i in [g.i for t in list(nouns.values()) for c in t.sense.cues if c.kind == "pobj"
              for g in cue_pobjs(c, t.token)]:
        nouns.pop(i, None)  # "a state of siege" is one event, not a siege as well
    lights = {t.light.i for t in nouns.values() if t.light is not None}
    for i in lights:
        verbs.pop(i, None)
    for i, trigger in list(nouns.items()):  # a noun restating its verb's event folds into the verb
        verb, prep, dep = governor(trigger.token)
        if dep in ("nsubj", "nsubjpass"):
            continue  # "Israeli strikes killed 20": the verb folds into the noun, below
        if trigger.light is None and verb is not None and verb.i in verbs and (prep is None or prep in FOLD_PREPS):
            folded = verbs[verb.i]
            if folded.sense.type == trigger.sense.type:
                folded.mode = folded.mode or trigger.mode
                del nouns[i]
    for i, trigger in list(verbs.items()):  # a verb restating or counting a noun's event folds
        if _folds_into_noun(trigger, nouns):
            del verbs[i]
    _fold_in_protest(nouns, verbs)
    return sorted([*nouns.values(), *verbs.values()], key=lambda t: t.token.i)


def _folds_into_noun(trigger: Trigger, nouns: dict[int, Trigger]) -> bool:
    token = trigger.token
    casualty = bool(base_forms(token.text) & CASUALTY_LEMMAS) and trigger.sense.type == "ASSAULT"
    subject, passive = subject_of(token)
    if subject is not None and subject.i in nouns:
        noun = nouns[subject.i]
        if casualty and noun.sense.type == "ASSAULT":
            return True
        if noun.sense.type == trigger.sense.type:
            return True
    if casualty:
        for child in token.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in CAUSE_PREPS:
                # the cause noun, or a gerund read as describing it ("in police firing")
                causes = [g for c in child.children for g in (c, *[a for a in c.children if a.dep_ == "acl"])]
                for cause in causes:
                    if cause.i not in nouns or nouns[cause.i].sense.type != "ASSAULT":
                        continue
                    if subject is not None and not passive and any(c.dep_ == "dobj" for c in token.children):
                        # "aircraft killed 46 civilians in an attack": the verb names the attacker
                        # and the victims, so the attack noun folds into the verb instead
                        trigger.mode = trigger.mode if nouns[cause.i].mode is None else nouns[cause.i].mode
                        del nouns[cause.i]
                        return False
                    return True
    return False


def _fold_in_protest(nouns: dict[int, Trigger], verbs: dict[int, Trigger]) -> None:
    """Drop "in protest" when it says why a protest act was done ("began a hunger strike in
    protest against the arrests", "marched in protest"): the act is the protest."""
    owners: dict[int, Trigger] = {}
    for trigger in (*nouns.values(), *verbs.values()):
        owners[trigger.token.i] = trigger
        if trigger.light is not None:
            owners.setdefault(trigger.light.i, trigger)
    for i, trigger in list(nouns.items()):
        token = trigger.token
        if token.lower_ not in IN_PROTEST or token.dep_ != "pobj" or token.head.lower_ != "in":
            continue
        host = owners.get(token.head.head.i)
        if host is not None and host is not trigger and host.sense.type == trigger.sense.type:
            del nouns[i]
