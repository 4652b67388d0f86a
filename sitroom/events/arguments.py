"""Sources and targets of an event trigger, read from the dependency parse.

A token in an argument position (subject, object, passive agent, the object of "against", "with",
"between" ...) becomes actors in this order:

1. the entity whose mention covers it ("Israel", "Syria's foreign minister"), unless that entity
   is a location (a city, region or facility is never an actor; a country is, as a state);
2. a personal pronoun ("he", "him", "his") → the latest person named before it, close by; a
   group pronoun subject of a reported clause ("Japan said it had halted aid", "the rebels
   announced they would withdraw") → the reporting verb's subject;
3. a role reference ("the two ministers", "the two sides", "the two", "the latter") → the actors
   named just before it (persons for "ministers", "officials", "leaders"; any actor otherwise);
4. a demonym noun ("the Russians") → that country;
5. a modifier of the token: a possessor ("Russia's intervention"), a compound, or a demonym
   adjective ("the Syrian presidential palace" → Syria);

and coordinated tokens ("Syrian and Israeli officials", "X and Y") add theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.actors.sectors import TITLE_SECTORS
from sitroom.model import Span, doc_text

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitroom.events.index import DocIndex, Paragraph

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
# Pronouns for a state, organisation or group; resolved only as the subject of a reported clause,
# where the reporter is the referent far more often than not ("Syria says it is willing").
GROUP_PRONOUNS = frozenset({"it", "they", "we"})
# Verbs that report their subject's own statement or decision ("announced it would", "decided
# they would"); lemma forms, matched on the lower-cased word's base forms.
SELF_REPORTING = frozenset({
    "say", "said", "says", "saying", "announce", "announced", "announces", "state", "stated", "states",
    "declare", "declared", "declares", "add", "added", "adds", "confirm", "confirmed", "confirms",
    "insist", "insisted", "insists", "tell", "told", "tells", "warn", "warned", "warns", "claim",
    "claimed", "claims", "indicate", "indicated", "indicates", "decide", "decided", "decides",
    "pledge", "pledged", "vow", "vowed", "promise", "promised", "threaten", "threatened", "signal",
    "signalled", "signaled", "reply", "replied", "respond", "responded",
})
# How far back (characters) a pronoun or role reference looks for its antecedent: about the
# current and previous paragraph of a news story (seed and hand checks; a longer reach picks up
# actors of an unrelated paragraph).
ANTECEDENT_REACH = 700
# Head nouns of role references that refer to persons ("the two ministers"); others ("sides",
# "countries", "parties", "two") take any actor.
PERSON_ROLES = frozenset({
    "minister", "ministers", "leader", "leaders", "president", "presidents", "official", "officials",
    "envoy", "envoys", "diplomat", "diplomats", "men", "women", "premiers", "counterparts", "heads",
    "chiefs", "foreign", "prime",
})
ROLE_HEADS = frozenset({
    "sides", "parties", "countries", "nations", "states", "governments", "neighbours", "neighbors",
    "rivals", "allies", "adversaries", "enemies", "groups", "delegations", "two", "both",
}) | PERSON_ROLES
ROLE_NUMBERS = {"two": 2, "both": 2, "three": 3}
MODIFIER_DEPS = ("poss", "compound", "amod", "nmod")
# Quantity nouns that pass an argument on to their "of" complement ("hundreds of strikes").
PARTITIVES = frozenset({
    "hundreds", "dozens", "thousands", "scores", "series", "wave", "waves", "round", "rounds",
    "number", "string", "spate", "lot", "lots", "couple", "set", "volley", "flurry", "tens",
    "group", "members", "delegation", "team", "contingent", "band",
})


# Common nouns that name an acting group when no named entity does ("police fired", "protesters
# clashed", "gunmen attacked") → sector. Plural or collective forms only: a singular "officer" or
# "soldier" is a person, not the force. Calibrated on IndiaPoliceEvents and CASE-2021 snippets.
GROUP_NOUNS = frozenset(
    "police policemen cops constables constabulary troops soldiers army military forces paramilitaries "
    "jawans rebels militants insurgents gunmen guerrillas militiamen militia terrorists jihadists "
    "fighters protesters protestors demonstrators rioters mob crowd villagers residents activists "
    "agitators students workers farmers strikers".split()
)
"""Common nouns that stand for a group actor when no named entity is there ("police fired"); their
sector comes from the one title/agent table, :data:`sitroom.actors.sectors.TITLE_SECTORS`."""
# Modifiers kept in a group actor's name ("security forces", "riot police").
GROUP_MODIFIERS = frozenset({"security", "riot", "government", "armed", "state", "border", "local",
                             "special", "paramilitary", "traffic", "federal", "military", "rebel"})


def group_actor(index: DocIndex, para: Paragraph, token: Token) -> str | None:
    """A common-noun actor ("police", "security forces", "protesters") as an entity id, or None."""
    sector = TITLE_SECTORS.get(token.lower_) if token.lower_ in GROUP_NOUNS else None
    if sector is None or token.pos_ not in ("NOUN", "PROPN"):
        return None
    words = [c for c in token.lefts if c.dep_ in ("compound", "amod") and c.lower_ in GROUP_MODIFIERS]
    first = words[0] if words and all(w.i < token.i for w in words) else token
    start = para.body_start(first)
    end = para.body_start(token) + len(token.text)
    text = doc_text(para.doc)[first.idx: token.idx + len(token.text)]
    return index.group_entity(text.lower(), sector, Span(text=text, start=start, end=end),
                              _group_country(index, para, token))


def _group_country(index: DocIndex, para: Paragraph, token: Token) -> str | None:
    """The country a group noun belongs to, from a country modifier ("Ivory Coast rebels",
    "Kenyan police") or a place phrase ("security forces in Guinea"), or None."""
    candidates = [c for c in token.lefts if c.dep_ in ("compound", "amod", "nmod")]
    candidates += [obj for _, obj in prep_objects(token, frozenset({"in", "of", "from"}))]
    for child in candidates:
        ident = para.entity_at.get(child.i)
        entity = index.by_id.get(ident) if ident is not None else None
        if entity is not None and entity.country:
            return entity.country
        place = para.place_at.get(child.i)
        if place is not None and place in index.places and index.places[place].country:
            return index.places[place].country
        if ident is None and child.text[:1].isupper():
            found = index.demonym_country(child.text)
            if found:
                return found
    return None


def _span(para: Paragraph, token: Token) -> Span:
    start = para.body_start(token)
    return Span(text=token.text, start=start, end=start + len(token.text))


def _demonym(index: DocIndex, para: Paragraph, token: Token) -> str | None:
    """The country entity a demonym token denotes, or None."""
    if token.pos_ not in ("ADJ", "PROPN", "NOUN") or not token.text[:1].isupper():
        return None
    iso3 = index.demonym_country(token.text)
    return index.country_entity(iso3, _span(para, token)) if iso3 else None


def antecedents(index: DocIndex, para: Paragraph, token: Token, count: int, persons: bool,
                exclude: set[str]) -> list[str]:
    """The ``count`` distinct actors named most recently before the token, earliest first.

    With ``persons``, people are wanted; organisations are accepted when too few people are named
    (the model often tags a lone surname as an organisation), countries are not.
    """
    start = para.body_start(token)
    recent = [i for i in index.mentions_before(start, start - ANTECEDENT_REACH)
              if i not in exclude and index.actor_id(i) is not None]
    kinds = [("PERSON",), ("PERSON", "ORG")] if persons else [None]
    for allowed in kinds:
        found: list[str] = []
        for ident in recent:
            if ident in found or (allowed is not None and index.by_id[ident].type not in allowed):
                continue
            found.append(ident)
            if len(found) == count:
                return found[::-1]
    return []


def role_reference(index: DocIndex, para: Paragraph, token: Token, exclude: set[str]) -> list[str]:
    """Actors for "the two ministers", "the two sides", "the two", "both", "the latter", or []."""
    word = token.lower_
    if word == "latter" and any(c.lower_ == "the" for c in token.children):
        return antecedents(index, para, token, 1, False, exclude)
    if word not in ROLE_HEADS:
        return []
    number = ROLE_NUMBERS.get(word)
    for child in token.children:
        if child.dep_ in ("nummod", "det", "predet", "quantmod") and child.lower_ in ROLE_NUMBERS:
            number = ROLE_NUMBERS[child.lower_]
    if number is None:
        return []
    if word in ROLE_NUMBERS and not any(c.lower_ == "the" for c in token.children) and word != "both":
        return []  # a bare "two" is a count, not a reference
    persons = word in PERSON_ROLES or any(c.lower_ in PERSON_ROLES for c in token.children)
    return antecedents(index, para, token, number, persons, exclude)


def token_actor(index: DocIndex, para: Paragraph, token: Token, exclude: set[str] | None = None) -> list[str]:
    """The actors one argument token stands for (without its conjuncts); [] when none."""
    exclude = exclude or set()
    covering = para.entity_at.get(token.i)
    if covering is not None:
        actor = index.actor_id(covering)
        if actor is None and token.dep_ == "nsubj":  # "Washington demanded": a capital as its government
            actor = index.capital_country(covering, _span(para, token))
        # a location is never an actor, but its possessor may be ("Syria's Golan Heights")
        return [actor] if actor else _from_modifiers(index, para, token, exclude)
    word = token.lower_
    if token.pos_ == "PRON":
        if word in PERSON_PRONOUNS:
            return antecedents(index, para, token, 1, True, exclude)
        if word in GROUP_PRONOUNS:
            reporter = reporter_of(token)
            if reporter is not None and reporter.pos_ != "PRON":
                return [a for a in arg_actors(index, para, reporter, exclude) if a not in exclude]
        return []
    role = role_reference(index, para, token, exclude)
    if role:
        return role
    demonym = _demonym(index, para, token) if token.pos_ in ("PROPN", "NOUN") else None
    if demonym:
        return [demonym]
    found = _from_modifiers(index, para, token, exclude) or _partitive(index, para, token, exclude)
    if found:
        return found
    group = group_actor(index, para, token)
    return [group] if group else []


def reporter_of(pronoun: Token) -> Token | None:
    """The subject of the reporting verb whose complement clause the pronoun is the subject of
    ("Japan said it had halted aid" → Japan), or None."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = pronoun.head
    for _ in range(3):  # "said it would ..." and "said that it was ready and would ..."
        if clause.dep_ == "conj":
            clause = clause.head
            continue
        break
    if clause.dep_ != "ccomp" or clause.head.lower_ not in SELF_REPORTING:
        return None
    for child in clause.head.children:
        if child.dep_ == "nsubj":
            return child
    return None


def _from_modifiers(index: DocIndex, para: Paragraph, token: Token, exclude: set[str]) -> list[str]:
    """An actor named by a modifier of the token: a named possessor, compound or apposition first
    ("Syrian Foreign Minister Asaad al-Shaibani" → al-Shaibani), then a pronoun possessor, then a
    demonym ("the Syrian presidential palace" → Syria)."""
    own = para.entity_at.get(token.i)
    children = sorted(token.children, key=lambda t: t.i)
    for child in children:
        if child.dep_ in MODIFIER_DEPS or child.dep_ == "appos":
            ident = para.entity_at.get(child.i)
            if ident is not None and ident != own:
                actor = index.actor_id(ident)
                if actor:
                    return [actor]
    for child in children:
        if child.dep_ == "poss" and child.lower_ in PERSON_PRONOUNS:
            found = antecedents(index, para, child, 1, True, exclude)
            if found:
                return found
    for child in children:
        if child.dep_ in MODIFIER_DEPS and para.entity_at.get(child.i) is None:
            found_demonym = _demonym(index, para, child)
            if found_demonym:
                return [found_demonym]
    return []


def _partitive(index: DocIndex, para: Paragraph, token: Token, exclude: set[str]) -> list[str]:
    """The actor of the "of" complement of a quantity noun ("dozens of protesters")."""
    if token.lower_ in PARTITIVES:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return token_actor(index, para, obj, exclude)
    return []


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it, in sentence order."""
    return sorted([token, *token.conjuncts], key=lambda t: t.i)


def arg_actors(index: DocIndex, para: Paragraph, token: Token | None, exclude: set[str] | None = None) -> list[str]:
    """The actors an argument token and its conjuncts stand for, deduplicated, in order."""
    if token is None:
        return []
    out: list[str] = []
    for item in conjuncts(token):
        for ident in token_actor(index, para, item, exclude):
            if ident not in out:
                out.append(ident)
        # "Syrian and Israeli officials": the head is covered by one entity, a conjoined demonym
        # modifier adds the other.
        for child in item.children:
            if child.dep_ == "amod" and child.conjuncts:
                for conj in conjuncts(child):
                    covering = para.entity_at.get(conj.i)
                    found = _demonym(index, para, conj) if covering is None else index.actor_id(covering)
                    if found and found not in out:
                        out.append(found)
    return out


def modifier_actors(index: DocIndex, para: Paragraph, noun: Token) -> list[str]:
    """Actors named by an event noun's own modifiers ("Israeli strikes", "Russia's intervention",
    "a Syrian-Israeli meeting"), in sentence order."""
    out: list[str] = []
    modifiers = []
    if noun.tag_ == "VBG":  # "in police firing" parsed as a clause: the force is its subject or head
        for token in [*[c for c in noun.children if c.dep_ == "nsubj"], *([noun.head] if noun.dep_ == "acl" else [])]:
            for ident in token_actor(index, para, token):
                if ident not in out:
                    out.append(ident)
    for child in noun.children:
        if child.dep_ in MODIFIER_DEPS:
            modifiers.append(child)
            # "Syrian-Israeli meeting": the first demonym hangs on the second
            modifiers.extend(g for g in child.children if g.dep_ in ("amod", "conj") and g.pos_ in ("ADJ", "PROPN"))
    for child in sorted(modifiers, key=lambda t: t.i):
        found: list[str] = []
        ident = para.entity_at.get(child.i)
        if ident is not None:
            actor = index.actor_id(ident)
            found = [actor] if actor else []
        elif child.dep_ == "poss" and child.lower_ in PERSON_PRONOUNS:
            found = antecedents(index, para, child, 1, True, set())
        else:
            demonym = _demonym(index, para, child)
            found = [demonym] if demonym else []
            if not found and child.dep_ == "compound":  # "police firing", "army shelling"
                group = group_actor(index, para, child)
                found = [group] if group else []
        for ident in found:
            if ident not in out:
                out.append(ident)
    return out


def subject_of(verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """The verb's subject and whether it is passive, inherited through conj, xcomp, purpose
    clauses and relative clauses ("forces who stormed" → "forces"); a predicate adjective takes
    its copula's subject.

    Returns:
        (subject token or None, passive).
    """
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj", "expl"):
            if child.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                head = verb.head
                return (head.head if head.dep_ == "appos" else head), False
            return (child, False) if child.dep_ != "expl" else (None, False)
        if child.dep_ == "nsubjpass":
            if child.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                return verb.head, True
            return child, True
    if depth >= 4:
        return None, False
    if verb.dep_ == "acomp" and verb.head.pos_ in ("VERB", "AUX"):  # "they were ready" → "they"
        return subject_of(verb.head, depth + 1)
    if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        subject, passive = subject_of(verb.head, depth + 1)
        return subject, passive and verb.dep_ == "conj"
    if verb.dep_ == "advcl" and (verb.tag_ in ("VBG", "VBN") or any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
        return subject_of(verb.head, depth + 1)[0], False
    if verb.dep_ == "relcl":
        return verb.head, False
    return None, False


def prep_objects(token: Token, preps: frozenset[str]) -> list[tuple[str, Token]]:
    """(preposition, object) pairs hanging on the token for the given prepositions."""
    out = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "prt", "dative") and child.lower_ in preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    out.append((child.lower_, obj))
    return out
