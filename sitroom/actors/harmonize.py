"""Document-level label harmonisation: one label per name across a page's paragraphs.

:func:`harmonize_labels` reads each paragraph doc's entities (and the group-actor spans of
``sitroom.actors.ruler``) and makes them consistent across the document: every mention of one
text gets the label most of its mentions have, a lone surname of a known person is a person, and
unlabelled repeats of a labelled name get its label. Used by the resolver and the NER benchmark.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc
from spacy.util import filter_spans

from sitroom.actors.ruler import GROUPS_KEY
from sitroom.model import doc_text

# Labels whose mentions are harmonised across a document.
HARMONISED = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
# Longest entity (in tokens) propagated to unlabelled repeats of its text.
PROPAGATE_MAX_TOKENS = 6

EntTriple = tuple[int, int, str]  # (start_char, end_char, label) in the paragraph's doc


def group_spans(doc: Doc) -> list[EntTriple]:
    """The group-actor spans of a doc (``doc.spans["sitroom_groups"]``), longest first wins, that do
    not cut through a named entity other than a NORP."""
    if GROUPS_KEY not in doc.spans:
        return []
    named = [e for e in doc.ents if e.label_ != "NORP"]
    out: list[EntTriple] = []
    for span in filter_spans(list(doc.spans[GROUPS_KEY])):
        if any(e.start < span.end and span.start < e.end for e in named):
            continue
        out.append((span.start_char, span.end_char, span.label_))
    return out


def merge_groups(triples: list[EntTriple], groups: list[EntTriple]) -> list[EntTriple]:
    """Entities with group spans in place of the NORP entities they cover."""
    if not groups:
        return triples
    kept = [t for t in triples if not any(g[0] <= t[0] and t[1] <= g[1] for g in groups)]
    return sorted(kept + groups)


def harmonize_labels(
    docs: Sequence[Doc], propagate: bool = True, vote: bool = True, surnames: bool = True, groups: bool = True
) -> list[list[EntTriple]]:
    """Make one document's entity labels consistent across its paragraphs.

    * **vote**: every mention of one text gets the label most of its mentions have;
    * **surnames**: a lone token equal to the last word of a multi-word PERSON is a PERSON
      ("Campese" after "David Campese"), whether the model left it unlabelled or labelled it otherwise;
    * **propagate**: an unlabelled repeat of a labelled name gets its label.

    Args:
        docs: the document's paragraph (or sentence) docs, in order.

    Returns:
        For each doc, its entities as ``(start_char, end_char, label)`` sorted by start.
    """
    ents: list[list[EntTriple]] = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
    if groups:
        ents = [merge_groups(triples, group_spans(d)) for triples, d in zip(ents, docs)]
    votes: dict[str, Counter[str]] = {}
    for doc, triples in zip(docs, ents):
        for s, e, label in triples:
            if label in HARMONISED:
                votes.setdefault(doc_text(doc)[s:e], Counter())[label] += 1
    surname_set: set[str] = set()
    if surnames:
        for text, counter in votes.items():
            words = text.split()
            if counter.most_common(1)[0][0] == "PERSON" and len(words) >= 2 and len(words[-1]) > 2 and words[-1][:1].isupper():
                surname_set.add(words[-1])
    best = {text: counter.most_common(1)[0][0] for text, counter in votes.items()}
    for text in surname_set:
        if text not in best or best[text] != "PERSON":
            best[text] = "PERSON"
    out: list[list[EntTriple]] = []
    for doc, triples in zip(docs, ents):
        new: list[EntTriple] = []
        taken = [False] * (len(doc_text(doc)) + 1)
        for s, e, label in triples:
            if label in HARMONISED and (vote or doc_text(doc)[s:e] in surname_set):
                label = best.get(doc_text(doc)[s:e], label)
            new.append((s, e, label))
            for i in range(s, e):
                taken[i] = True
        if propagate or surnames:
            i = 0
            tokens = list(doc)
            while i < len(tokens):
                token = tokens[i]
                hit = None
                if token.text[:1].isupper() and not taken[token.idx]:
                    for n in range(min(PROPAGATE_MAX_TOKENS, len(tokens) - i), 0, -1):
                        last = tokens[i + n - 1]
                        text = doc_text(doc)[token.idx : last.idx + len(last.text)]
                        if any(taken[token.idx : last.idx + len(last.text)]):
                            continue
                        if (propagate and text in best) or (n == 1 and text in surname_set):
                            hit = (token.idx, last.idx + len(last.text), best.get(text, "PERSON"), n)
                            break
                if hit:
                    new.append(hit[:3])
                    i += hit[3]
                else:
                    i += 1
        out.append(sorted(new))
    return out
