"""Person-name normalisation and matching: folding, particles, skeletons, fuzzy word ratios.

Person names are grouped over a normalised skeleton (diacritics folded, al-/el- particles dropped,
vowels and doubled letters collapsed) with rapidfuzz: two full names join when both surname and
given name agree, so "Asaad Al-Shibani" joins "Asaad al-Shaibani" and "Bashar al-Assad" never
joins "Hafez al-Assad". :class:`PersonIndex` blocks names by surname so matching stays near-linear.
"""

from __future__ import annotations

import re
import unicodedata
from rapidfuzz import fuzz

from sitroom.actors.mentions import Cluster

# Arabic (and similar) name particles dropped before comparing names ("al-Shaibani" = "Shaibani").
PARTICLES = frozenset({"al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "ed", "er", "es", "ud", "an", "ibn"})
# rapidfuzz ratio (0-100) two surnames / given names must reach to be the same name. Calibrated on
# transliteration pairs (Shaibani/Shibani 93, Sharaa/Shara 91, Ahmad/Ahmed 80) against different
# names (Bashar/Hafez 18, Assad/Asaad is caught by the skeleton, Lavrov/Larov 91 is accepted).
SURNAME_RATIO = 85
GIVEN_RATIO = 80
# Names shorter than this (characters) only join on exact skeletons: fuzzy ratios on 2-3 letter
# strings (and on short names in non-Latin scripts) merge unrelated names.
FUZZY_MIN_CHARS = 4
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"(.)\1+")
_WORDS = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-case, diacritics removed, apostrophes and hyphens as spaces (``"Al-Shibani"`` → ``"al shibani"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[-‐‑–'’`´ʼ.]", " ", stripped.lower())


def name_tokens(text: str) -> list[str]:
    """A name's folded words without particles ("Bashar al-Assad" → ``["bashar", "assad"]``)."""
    words = _WORDS.findall(fold(text))
    kept = [w for w in words if w not in PARTICLES]
    return kept or words


def skeleton(word: str) -> str:
    """A transliteration-tolerant key: first letter, then consonants, doubled letters collapsed."""
    if not word:
        return word
    return _DOUBLE.sub(r"\1", word[0] + _VOWELS.sub("", word[1:]))


def same_word(a: str, b: str, ratio: int) -> bool:
    """Whether two folded name words are the same name (equal skeletons or a close fuzzy ratio)."""
    if a == b or skeleton(a) == skeleton(b):
        return True
    if min(len(a), len(b)) < FUZZY_MIN_CHARS:
        return False
    return fuzz.ratio(a, b) >= ratio


def person_form_matches(a: list[str], b: list[str]) -> bool:
    """Whether two multi-word person names are one person (surnames and given names agree)."""
    if not same_word(a[-1], b[-1], SURNAME_RATIO):
        return False
    return same_word(a[0], b[0], GIVEN_RATIO)


class PersonIndex:
    """Person clusters blocked by surname skeleton, so matching stays near-linear."""

    def __init__(self) -> None:
        self.by_block: dict[str, list[Cluster]] = {}

    @staticmethod
    def block(word: str) -> str:
        return skeleton(word)[:2]

    def add(self, cluster: Cluster, form: list[str]) -> None:
        bucket = self.by_block.setdefault(self.block(form[-1]), [])
        if cluster not in bucket:
            bucket.append(cluster)

    def full_match(self, form: list[str]) -> Cluster | None:
        for cluster in self.by_block.get(self.block(form[-1]), []):
            if any(len(f) > 1 and person_form_matches(form, f) for f in cluster.forms):
                return cluster
        return None

    def surname_matches(self, word: str) -> list[Cluster]:
        return [
            c for c in self.by_block.get(self.block(word), [])
            if any(len(f) > 1 and same_word(word, f[-1], SURNAME_RATIO) for f in c.forms)
        ]
