"""The NLP stage: spaCy, loaded once per process, fed paragraph by paragraph.

Feeding paragraphs (not the whole body) keeps a headline, a caption or a list line from merging
with the next sentence, and lets ``nlp.pipe`` batch across documents. Each paragraph keeps its
offset in ``article.body``, so later stages map every span back: ``body[start:end] == text``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from sitroom.errors import Code, SitroomError
from sitroom.model import Parsed

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Components a stage never needs from the English pipelines (lemmas cost ~10% of the run).
DISABLED = ("lemmatizer",)
_PARAGRAPH = re.compile(r"[^\n]+")


@lru_cache(maxsize=4)
def load_nlp(model: str) -> Language:
    """Load a spaCy pipeline once per process (cached by name), with sitroom's entity rules added.

    Raises:
        SitroomError: E016 when the model is not installed.
    """
    import spacy

    from sitroom.actors.ruler import add_entity_ruler

    try:
        nlp = spacy.load(model, disable=list(DISABLED))
    except OSError as exc:
        raise SitroomError(Code.NO_MODEL, model=model) from exc
    add_entity_ruler(nlp)
    return nlp


def paragraphs_with_offsets(body: str) -> list[tuple[int, str]]:
    """The body's paragraphs (non-empty lines) with their start offsets."""
    return [(m.start(), m.group()) for m in _PARAGRAPH.finditer(body) if m.group().strip()]



def parse(nlp: Language, bodies: Sequence[str], batch_size: int = 64) -> list[Parsed]:
    """Run the model over many bodies, paragraph by paragraph.

    Args:
        nlp: a loaded pipeline.
        bodies: the documents' ``article.body`` strings.
        batch_size: paragraphs per ``nlp.pipe`` batch.

    Returns:
        For each body in order, its paragraphs' docs with their offsets into that body
        (``body[offset + token.idx ...]`` is the token's text).
    """
    jobs: list[tuple[int, int]] = []  # (body index, paragraph offset)
    texts: list[str] = []
    for index, body in enumerate(bodies):
        for offset, paragraph in paragraphs_with_offsets(body):
            jobs.append((index, offset))
            texts.append(paragraph)
    results: list[Parsed] = [[] for _ in bodies]
    for (index, offset), doc in zip(jobs, nlp.pipe(texts, batch_size=batch_size)):
        results[index].append((offset, doc))
    return results


