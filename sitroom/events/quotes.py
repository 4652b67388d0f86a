"""Direct quotes and who said them.

Quotes are found paragraph by paragraph on the raw text, then their speakers on the parse:

- **Marks**: curly “...”, guillemets «...» and straight "..." quotes. A straight mark after a space
  (or at the start) opens, one after a non-space closes; an opening mark while a quote is open ends
  the open one there (a missing closing mark: ``he feared "too many ... on our side. "Russia is
  ...,"``). A quote still open at the end of its paragraph runs to the paragraph's end; the news
  convention for a quote over several paragraphs is to open each paragraph again, so such a quote
  gives one record per paragraph. Single quotes are not read (apostrophes make them ambiguous).
- **Text**: what is inside the marks, without surrounding spaces or a trailing comma (the
  ``"...," he said`` convention); ``body[start:end] == text``.
- **Speaker**, first that applies: a speech verb the quote's words hang from within
  :data:`MAX_ATTACH_HOPS` edges ("... ," Rutte warned; "the Kremlin described as “...”"); else the
  nearest speech verb outside the quote in its sentences ("..., said Abdullah al-Kabra"); else the
  speech verb of the sentence just before the quote ("Rutte said in a speech. "We must ...""); else
  the speaker of the quote just before it in the same or the previous paragraph. The speaker
  phrase is the verb's subject (or a post-posed subject the parser took for an object); it becomes
  the id of the entity with a mention overlapping it (persons first, then a mention holding the
  phrase's head word, then the others), or None ("the statement said"). "He"/"she" resolve to the
  last person mentioned before the quote.
- **Scare quotes**: a quote of at most :data:`SCARE_MAX_WORDS` words ("next door") is kept only when
  a speech verb attaches to it (rule one above); otherwise it is a word in quotation marks, not a
  quote.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitroom.events.modality import REPORTING, according_to, lemma, phrase_span, sentence_of, speaker_of
from sitroom.model import Entity, Quote, doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from sitroom.nlp import Parsed

OPENERS = {"“": "”", "«": "»", "„": "“"}
CLOSERS = frozenset("”»")
STRAIGHT = '"'
# Characters after which a straight quote mark opens rather than closes.
OPEN_CONTEXT = frozenset(" \t([{—–-:/")
# A quoted phrase this short is a scare quote unless a speech verb governs it. Three words keep
# "next door" and "right now" out and "constructive and business-like" in only with its verb.
SCARE_MAX_WORDS = 3
# Edges from a quote's words up to the speech verb that governs them: "“...,” the statement said"
# is 1-2, a quote inside a complement ("described as “...”") 2-3.
MAX_ATTACH_HOPS = 4
# Verbs that introduce direct speech (lemmas): reporting verbs, and verbs of praise and blame whose
# quoted object is the subject's words ("thanked Russia for its “strong position”").
SPEECH_VERBS = REPORTING | frozenset("ask urge call describe continue quote thank praise hail welcome condemn denounce criticise".split())
PRONOUN_SPEAKERS = frozenset("he she".split())
# Entity types preferred as speakers when several overlap the speaker phrase.
SPEAKER_TYPE_RANK = {"PERSON": 0, "ORG": 1, "NORP": 2, "GPE": 3}
# Types that may speak through a phrase they only modify ("NATO chief Mark Rutte", "the Syrian
# Observatory for Human Rights monitor"); other types must hold the phrase's head word.
HEAD_OPTIONAL_TYPES = frozenset("PERSON ORG".split())
# Longest mention considered when looking up mentions that overlap a phrase (characters).
MAX_MENTION_CHARS = 200


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of what is inside quotation marks in one paragraph (module doc)."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = ""
    for i, ch in enumerate(text):
        if ch == STRAIGHT:
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            opening = before in OPEN_CONTEXT and not after.isspace()
            closing = not before.isspace() and not opening
            if open_at is None and not closing:
                open_at, closer = i, STRAIGHT
            elif open_at is not None and opening:
                spans.append((open_at + 1, i))
                open_at, closer = i, STRAIGHT
            elif open_at is not None:
                spans.append((open_at + 1, i))
                open_at = None
        elif ch in OPENERS and (open_at is None or closer != ch):
            if open_at is not None:
                spans.append((open_at + 1, i))
            open_at, closer = i, OPENERS[ch]
        elif ch in CLOSERS or (open_at is not None and ch == closer):
            if open_at is not None:
                spans.append((open_at + 1, i))
                open_at = None
    if open_at is not None:
        spans.append((open_at + 1, len(text)))
    return [trimmed for span in spans if (trimmed := _trim(text, *span)) is not None]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return (start, end) if end > start else None


class _Mentions:
    """Entity mentions of one body, sorted for overlap and "last person before" look-ups."""

    def __init__(self, entities: list[Entity]) -> None:
        rows = sorted(((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda r: (r[0], r[1]))
        self.starts = [r[0] for r in rows]
        self.rows = rows
        persons = sorted((m.end, e.id) for e in entities if e.type == "PERSON" for m in e.mentions)
        self.person_ends = [p[0] for p in persons]
        self.person_ids = [p[1] for p in persons]

    def speaker_id(self, start: int, end: int, head_start: int) -> str | None:
        """The entity whose mention overlaps ``[start, end)`` (persons first; see
        :data:`HEAD_OPTIONAL_TYPES`), or None."""
        low = bisect_left(self.starts, start - MAX_MENTION_CHARS)
        high = bisect_left(self.starts, end)
        best: tuple[tuple[int, int, int], str] | None = None
        for m_start, m_end, entity in self.rows[low:high]:
            if m_end <= start:
                continue
            holds_head = 0 if m_start <= head_start < m_end else 1
            if holds_head and entity.type not in HEAD_OPTIONAL_TYPES:
                continue  # "Syrian state television" is not Syria, "Yemeni officers" not Yemen
            key = (SPEAKER_TYPE_RANK.get(entity.type, 9), holds_head, -m_start)
            if best is None or key < best[0]:
                best = (key, entity.id)
        return best[1] if best else None

    def last_person_before(self, position: int) -> str | None:
        index = bisect_right(self.person_ends, position)
        return self.person_ids[index - 1] if index else None


@dataclass
class _Found:
    quote: Quote
    paragraph: int
    speaker_found: bool


def _speech_verb(token: Token) -> bool:
    return lemma(token) in SPEECH_VERBS and (token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"))


def _attached_verb(doc: Doc, first: int, last: int) -> Token | None:
    """A speech verb outside tokens ``first..last`` that the quote's words hang from."""
    for token in doc[first : last + 1]:
        head = token.head
        if first <= head.i <= last and head != token:
            continue  # not a root of the quoted words
        current = token
        for _ in range(MAX_ATTACH_HOPS):
            if current.head == current:
                break
            current = current.head
            if not first <= current.i <= last and _speech_verb(current):
                return current
    return None


def _nearest_verb(doc: Doc, first: int, last: int) -> Token | None:
    """The speech verb nearest the quote in the sentences it starts and ends in, after it first."""
    start_sent, end_sent = sentence_of(doc[first]), sentence_of(doc[last])
    after = [t for t in doc[last + 1 : end_sent.end] if _speech_verb(t)]
    if after:
        return after[0]
    before = [t for t in doc[start_sent.start : first] if _speech_verb(t)]
    return before[-1] if before else None


def _previous_sentence_verb(doc: Doc, first: int) -> Token | None:
    """The root-level speech verb of the sentence just before the one the quote starts in."""
    start = sentence_of(doc[first]).start
    if start == 0:
        return None
    previous = sentence_of(doc[start - 1])
    for token in previous:
        if _speech_verb(token) and token.dep_ in ("ROOT", "conj", "ccomp") and speaker_of(token) is not None:
            return token
    return None


def _speaker(verb: Token, offset: int, quote_start: int, mentions: _Mentions) -> tuple[bool, str | None]:
    """(found a speaker phrase, entity id) for a speech verb."""
    subject = speaker_of(verb)
    if subject is None:
        return False, None
    if subject.lower_ in PRONOUN_SPEAKERS:
        return True, mentions.last_person_before(quote_start)
    start, end = phrase_span(subject)
    return True, mentions.speaker_id(offset + start, offset + end, offset + subject.idx)


def _continues(previous: _Found, paragraph: int, doc: Doc, first: int) -> bool:
    """Whether a quote with no speech verb of its own goes on from the previous quote: it opens its
    paragraph right after a paragraph with a quote, or it opens its sentence in the same paragraph."""
    if previous.paragraph == paragraph - 1:
        return first == 0
    return previous.paragraph == paragraph and first <= sentence_of(doc[first]).start + 1


def _word_count(text: str) -> int:
    return len(text.split())


def extract_quotes(parsed: Parsed, body: str, entities: list[Entity]) -> list[Quote]:
    """Direct quotes of one body with their speakers' entity ids.

    Args:
        parsed: the body's paragraph docs with their offsets (``sitroom.nlp.parse``).
        body: the ``article.body`` the offsets index.
        entities: the body's resolved entities (their mentions map speaker phrases to ids).

    Returns:
        Quotes in body order, ``body[q.start:q.end] == q.text``.
    """
    mentions = _Mentions(entities)
    found: list[_Found] = []
    for paragraph, (offset, doc) in enumerate(parsed):
        text = doc_text(doc)
        for start, end in quote_spans(text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            # The marks themselves belong to the quote's tokens for attachment purposes.
            first = max(span.start - 1, 0) if start and text[start - 1] in OPENERS.keys() | {STRAIGHT} else span.start
            last = span.end - 1
            if last + 1 < len(doc) and doc[last + 1].text in CLOSERS | {STRAIGHT, "''"}:
                last += 1
            verb = _attached_verb(doc, first, last)
            if verb is None and _word_count(text[start:end]) <= SCARE_MAX_WORDS:
                continue
            if verb is None:
                verb = _nearest_verb(doc, first, last) or _previous_sentence_verb(doc, first)
            has_speaker, speaker = (False, None)
            if verb is not None:
                has_speaker, speaker = _speaker(verb, offset, offset + start, mentions)
            if not has_speaker and verb is None:
                source = according_to(sentence_of(doc[first]))
                if source is not None:  # "focused on "...", according to state television"
                    s_start, s_end = phrase_span(source)
                    has_speaker = True
                    speaker = mentions.speaker_id(offset + s_start, offset + s_end, offset + source.idx)
            if not has_speaker and found and found[-1].speaker_found and _continues(found[-1], paragraph, doc, first):
                has_speaker, speaker = True, found[-1].quote.speaker
            quote = Quote(speaker=speaker, text=body[offset + start : offset + end], start=offset + start, end=offset + end)
            found.append(_Found(quote, paragraph, has_speaker))
    return [f.quote for f in found]
