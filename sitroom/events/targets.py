"""Targets the verb's own arguments do not name: the "of" complement of a common-noun object,
the content clause of a demand or threat, the author of a rejected or accepted proposal, who a
conditional threat is aimed at, and whom a protest's demand addresses.

These are read from the syntax around the trigger, as the argument rules in
:mod:`sitroom.events.arguments` are:

- a speech-act or plan noun names its author with "by"/"from" ("rejected calls by Annan",
  "dismissed an appeal from the president", "accepted demands from the rebels"): the author is
  the target of the reaction;
- a threat with a condition ("threatened to strike unless Israel withdraws") is aimed at whoever
  must meet the condition, the subject of the if/unless clause;
- a protest's purpose clause ("marched to demand the resignation of the governor", "rallied,
  calling for reforms by the government") names whom the protest is against.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.events.arguments import arg_actors, prep_objects

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitroom.events.index import DocIndex, Paragraph

# Prepositions of a complement clause (or its object) that name who it is aimed at.
COMPLEMENT_TARGET_PREPS = frozenset({"to", "with", "against", "on", "from", "for", "upon"})
# Prepositions by which a noun names its author ("calls by X", "an offer from X").
AUTHOR_PREPS = frozenset({"by", "from"})
# Types whose object noun's author is the target ("rejected X's offer" and "rejected an offer
# from X" alike): reactions to someone's proposal, demand, plan or act.
AUTHOR_TARGET_TYPES = frozenset({"REJECT", "CONCEDE", "AGREE", "ACCUSE", "SUPPORT", "REQUEST"})
# Subordinators of a condition clause.
CONDITION_MARKS = frozenset({"if", "unless"})
# Prepositions in a protest's purpose clause that name whom the demand addresses.
PURPOSE_PREPS = frozenset({"from", "by", "of", "on", "against", "to"})
# Prepositions of "in protest against/of/at/over X".
PROTESTED_PREPS = frozenset({"against", "of", "at", "over"})
# Relations of a purpose or accompanying clause ("to demand ...", "..., demanding ...").
PURPOSE_DEPS = frozenset({"advcl", "xcomp"})


def _add(out: list[str], ids: list[str]) -> None:
    for ident in ids:
        if ident not in out:
            out.append(ident)


def of_actors(index: DocIndex, para: Paragraph, noun: Token, exclude: set[str]) -> list[str]:
    """The actors of a common-noun object's "of" complement ("shelled positions of the Palestinian
    security forces", "demanded the withdrawal of Serbian forces")."""
    if noun.pos_ not in ("NOUN",):
        return []
    for prep, obj in prep_objects(noun, frozenset({"of"})):
        found = arg_actors(index, para, obj, exclude)
        if found:
            return found
    return []


def complement_targets(index: DocIndex, para: Paragraph, verb: Token, exclude: set[str]) -> list[str]:
    """Who a demand, threat, offer or refusal is aimed at, read from its complement clause: the
    complement's subject ("demanded that the US cancel ..."), its object ("threatened to shell
    Iraqi towns") or a recipient or opponent phrase ("threatened to break relations with Russia",
    "offered to hand over two nationals to Britain")."""
    out: list[str] = []
    for comp in verb.children:
        if comp.dep_ not in ("xcomp", "ccomp", "acl") or comp.pos_ not in ("VERB", "AUX"):
            continue
        if comp.dep_ == "acl" and not any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children):
            continue  # a noun's content clause only ("its demand that Israel ease ...")
        if comp.dep_ in ("ccomp", "acl"):
            for child in comp.children:
                if child.dep_ == "nsubj":
                    _add(out, arg_actors(index, para, child, exclude))
        holders = [comp]
        for child in comp.children:
            if child.dep_ in ("dobj", "dative"):
                _add(out, arg_actors(index, para, child, exclude) or of_actors(index, para, child, exclude))
                holders.append(child)
        for holder in holders:
            for _, obj in prep_objects(holder, COMPLEMENT_TARGET_PREPS):
                _add(out, arg_actors(index, para, obj, exclude) or author_actors(index, para, obj, exclude))
    return [o for o in out if o not in exclude]


def complement_holders(verb: Token) -> list[Token]:
    """The verb's complement and its object, where a symmetric event's partner hangs ("agreed to
    hold talks with Y", "agreed on a plan with Y")."""
    out = []
    for child in verb.children:
        if child.dep_ in ("xcomp", "ccomp"):
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "dobj")
        elif child.dep_ == "prep" and child.lower_ in ("on", "to"):
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def author_actors(index: DocIndex, para: Paragraph, noun: Token, exclude: set[str]) -> list[str]:
    """The actors a common noun names as its author with "by" or "from" ("calls by Kofi Annan",
    "a fresh offer from Afghanistan"); [] for names and pronouns, which are actors themselves.

    Args:
        index: the document index.
        para: the noun's paragraph.
        noun: the argument token.
        exclude: actor ids not to return (the event's sources).
    """
    if noun.pos_ != "NOUN":
        return []
    out: list[str] = []
    # "crimes by X", and "crimes committed by X" (the agent of a participle describing the noun)
    holders = [noun, *[c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]]
    for holder in holders:
        for _prep, obj in prep_objects(holder, AUTHOR_PREPS):
            for ident in arg_actors(index, para, obj, exclude):
                if ident not in out and ident not in exclude:
                    out.append(ident)
    return out


def condition_targets(index: DocIndex, para: Paragraph, verb: Token, exclude: set[str]) -> list[str]:
    """The subject of an if/unless clause on the verb or its complement: who a conditional threat
    is aimed at ("threatened to stop the talks if the United States goes ahead")."""
    holders = [verb, *[c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]]
    out: list[str] = []
    for holder in holders:
        for clause in holder.children:
            if clause.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS
                                                 for c in clause.children):
                continue
            for child in clause.children:
                if child.dep_ == "nsubj":
                    for ident in arg_actors(index, para, child, exclude):
                        if ident not in out and ident not in exclude:
                            out.append(ident)
    return out


def _purpose_clauses(holder: Token) -> list[Token]:
    out = []
    for child in holder.children:
        if child.dep_ not in PURPOSE_DEPS or child.pos_ != "VERB":
            continue
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        if infinitive or child.tag_ == "VBG":
            out.append(child)
    return out


def purpose_targets(index: DocIndex, para: Paragraph, holders: list[Token], exclude: set[str]) -> list[str]:
    """Whom a protest's purpose clause addresses ("staged a hunger strike to demand the resignation
    of the president", "blocked roads demanding reforms from the government", "in protest against
    arrests by the police"): the clause's object or its "of"/"from"/"by" actors, or a recipient
    phrase on the clause's verb.

    Args:
        index: the document index.
        para: the paragraph.
        holders: the protest trigger and its support verb, if any.
        exclude: the protest's sources.
    """
    out: list[str] = []

    def add(ids: list[str]) -> None:
        for ident in ids:
            if ident not in out and ident not in exclude:
                out.append(ident)

    for holder in holders:
        for _in, phrase in prep_objects(holder, frozenset({"in"})):  # "in protest against the arrests by X"
            if phrase.lower_ == "protest":
                for _prep, obj in prep_objects(phrase, PROTESTED_PREPS):
                    add(arg_actors(index, para, obj, exclude) or author_actors(index, para, obj, exclude))
        for clause in _purpose_clauses(holder):
            objects = [c for c in clause.children if c.dep_ in ("dobj", "dative")]
            for obj in objects:
                add(arg_actors(index, para, obj, exclude))
            for item in (clause, *objects):
                for _prep, obj in prep_objects(item, PURPOSE_PREPS):
                    add(arg_actors(index, para, obj, exclude) or author_actors(index, para, obj, exclude))
    return out
