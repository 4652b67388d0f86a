"""An entity ruler for exact-text patterns that starts in milliseconds.

spaCy's ``EntityRuler`` turns each phrase pattern into a ``Doc``: with the KB's and the
gazetteer's 11,000 names that creates some 23,000 lexemes and costs about 1.3 s in every process
that loads the pipeline (each worker of the local and Dask engines). :class:`PhraseRuler` does the
same job from the patterns' token texts alone:

* a phrase pattern (a string) is split into tokens by the pipeline's own tokenizer once, and the
  token texts are kept in a cache file (see :func:`cache_dir`) keyed by the pipeline, spaCy's
  version and the pattern texts, so later processes read them instead of tokenizing;
* a token pattern of one exact ``TEXT`` (``[{"TEXT": "UN"}]``, the KB's acronyms) is that text;
* a document's tokens are compared by their ``ORTH`` hashes, so matching needs no lexeme either.

Matches are applied as ``EntityRuler(overwrite_ents=False)`` applies them: longest first, then
leftmost; a match over a token that already has an entity, or over one taken by a longer match, is
dropped; a pattern's ``id`` becomes the span's ``id_``. Where two patterns of the same text and
label differ only in ``id``, the same one wins as in ``EntityRuler`` (matches are ordered by the
same hashed keys).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from spacy.attrs import ENT_TYPE, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

FACTORY = "sitroom_phrase_ruler"
# Environment variable naming the cache directory (default: $XDG_CACHE_HOME/sitroom or ~/.cache/sitroom).
CACHE_ENV = "SITROOM_CACHE_DIR"
# Separator between a label and a pattern id in a match key, as spaCy's EntityRuler writes it
# (so equal spans are ordered alike).
ID_SEP = "||"


def cache_dir() -> Path:
    """Where derived data (the pattern tokenizations) is cached."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitroom"


def _fingerprint(nlp: Language, texts: list[str]) -> str:
    import spacy

    digest = hashlib.sha256()
    meta = nlp.meta
    digest.update(json.dumps([spacy.__version__, meta.get("lang"), meta.get("name"), meta.get("version")]).encode())
    for text in texts:
        digest.update(text.encode("utf-8") + b"\x00")
    return digest.hexdigest()[:24]


def tokenize_texts(nlp: Language, texts: list[str]) -> list[list[str]]:
    """The token texts of each pattern text as the pipeline's tokenizer splits it, read from the
    cache when this pipeline has tokenized the same texts before (else tokenized and cached)."""
    if not texts:
        return []
    path = cache_dir() / f"phrases-{_fingerprint(nlp, texts)}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cached, list) and len(cached) == len(texts) and all(isinstance(t, list) for t in cached):
            return cached
    except (OSError, ValueError):
        pass
    tokens = [[t.text for t in doc] for doc in nlp.tokenizer.pipe(texts)]
    try:  # written whole and renamed, so a worker never reads another's half-written file
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as fh:
            json.dump(tokens, fh)
        os.replace(fh.name, path)
    except OSError as exc:  # a read-only home: tokenize again next time
        log.debug("phrase cache not written (%s)", exc)
    return tokens


class PhraseRuler:
    """The component: exact-text entity patterns (see the module)."""

    def __init__(self, nlp: Language, name: str = FACTORY) -> None:
        self.nlp = nlp
        self.name = name
        self._keys: dict[tuple[int, ...], list[int]] = {}  # token ORTHs → match ids
        self._lengths: dict[int, set[int]] = {}  # first token's ORTH → pattern lengths starting with it
        self._by_id: dict[int, tuple[str, str | None]] = {}
        self.patterns: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self.patterns)

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        """Add ``{"label", "pattern", "id"?}`` patterns: ``pattern`` a string, or one token
        ``{"TEXT": ...}``.

        Raises:
            ValueError: a token pattern other than one exact ``TEXT``.
        """
        texts = [p["pattern"] for p in patterns if isinstance(p["pattern"], str)]
        tokenized = iter(tokenize_texts(self.nlp, texts))
        for p in patterns:
            value = p["pattern"]
            if isinstance(value, str):
                words = next(tokenized)
            elif len(value) == 1 and set(value[0]) == {"TEXT"} and isinstance(value[0]["TEXT"], str):
                words = [value[0]["TEXT"]]
            else:
                raise ValueError(f"{FACTORY} takes phrase patterns and one-token TEXT patterns, not {value!r}")
            if not words:
                continue
            label, ent_id = str(p["label"]), p.get("id")
            match_id = get_string_id(f"{label}{ID_SEP}{ent_id}" if ent_id else label)
            key = tuple(get_string_id(w) for w in words)
            found = self._keys.setdefault(key, [])
            if match_id not in found:
                found.append(match_id)
            self._by_id[match_id] = (label, str(ent_id) if ent_id else None)
            self._lengths.setdefault(key[0], set()).add(len(key))
            self.patterns.append(p)

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        """``(match_id, start, end)`` of every pattern occurrence, in the order they are applied."""
        orths = doc.to_array(ORTH).tolist() if len(doc) else []
        found: set[tuple[int, int, int]] = set()
        lengths = self._lengths
        for i, orth in enumerate(orths):
            sizes = lengths.get(orth)
            if not sizes:
                continue
            for size in sizes:
                if i + size > len(orths):
                    continue
                match_ids = self._keys.get(tuple(orths[i : i + size]))
                if match_ids:
                    found.update((match_id, i, i + size) for match_id in match_ids)
        return sorted(found, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.match(doc)
        if not matches:
            return doc
        typed = doc.to_array(ENT_TYPE).tolist()
        seen: set[int] = set()
        new: list[Span] = []
        for match_id, start, end in matches:
            if any(typed[start:end]):
                continue  # never over an entity already there (overwrite_ents=False)
            if start in seen or end - 1 in seen:  # longer matches came first: ends decide overlap
                continue
            label, ent_id = self._by_id[match_id]
            span = Span(doc, start, end, label=label, span_id=ent_id) if ent_id else Span(doc, start, end, label=label)
            new.append(span)
            seen.update(range(start, end))
        if new:
            doc.ents = list(doc.ents) + new
        return doc


if not Language.has_factory(FACTORY):

    @Language.factory(FACTORY)
    def make_phrase_ruler(nlp: Language, name: str) -> PhraseRuler:
        """Factory of :class:`PhraseRuler` (patterns are added with ``add_patterns``)."""
        return PhraseRuler(nlp, name)
