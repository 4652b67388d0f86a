"""Near-duplicate bodies: MinHash signatures over word shingles, an LSH index to look them up.

A syndicated wire story printed by ten sites differs in its header, footer and a sentence or two;
its 5-word shingles still overlap by far more than two different reports of one event do. The
index answers "which earlier document is this (nearly) the same as?" within a batch and, seeded
with the signatures the store keeps, across everything stored.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

# datasketch (and the scipy it imports, ~0.3 s) is imported when an index is first built: the
# engines' worker processes import this module with the pipeline but never build an index.

_WORD = re.compile(r"\w+", re.UNICODE)
# datasketch's hashing scheme; stored signatures are only comparable within one scheme, so it is
# named explicitly (a datasketch upgrade that changes its default must not mislabel stored ones).
SCHEME = "affine32"
# Similarity at which the LSH index proposes candidates (see DuplicateIndex.__init__).
CANDIDATE_THRESHOLD = 0.5


def doc_id_for(body: str) -> str:
    """The stable id of a document: the same cleaned body always gets the same id."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def shingles(body: str, size: int) -> set[bytes]:
    """Word ``size``-grams of the lower-cased body (the words themselves for very short bodies)."""
    words = [w.lower() for w in _WORD.findall(body)]
    if len(words) < size:
        return {w.encode("utf-8") for w in words}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


class DuplicateIndex:
    """Finds the earlier document a body nearly repeats.

    Args:
        threshold: estimated Jaccard similarity at or above which two bodies are near-duplicates.
        num_perm: permutations per MinHash signature (more: more exact, slower).
        shingle: words per shingle.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle: int = 5) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        # LSH only proposes candidates; the estimated Jaccard decides. Banding for the threshold
        # itself compares a pair at similarity .8 only 40% of the time (9 bands of 13 rows), so
        # candidates are drawn at a lower similarity, where a .8 pair is compared >99% of the time.
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=min(threshold, CANDIDATE_THRESHOLD), num_perm=num_perm)
        self._hashes: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._hashes

    def minhash(self, body: str) -> MinHash:
        """The MinHash signature of a body."""
        from datasketch import MinHash

        mh = MinHash(num_perm=self.num_perm, scheme=SCHEME)
        mh.update_batch(list(shingles(body, self.shingle)))
        return mh

    def signature(self, body: str) -> bytes:
        """The signature as bytes, for the store to keep."""
        return self.minhash(body).hashvalues.astype("<u8").tobytes()

    def add_signature(self, doc_id: str, signature: bytes) -> None:
        """Register a stored document by its saved signature (no body needed)."""
        if doc_id in self._hashes:
            return
        from datasketch import MinHash

        values = np.frombuffer(signature, dtype="<u8").astype(np.uint64)
        mh = MinHash(num_perm=self.num_perm, hashvalues=values, scheme=SCHEME)
        self._hashes[doc_id] = mh
        self._lsh.insert(doc_id, mh)

    def find(self, body: str, mh: MinHash | None = None) -> str | None:
        """The id of the most similar earlier document at or above the threshold, if any."""
        mh = mh or self.minhash(body)
        best: tuple[float, str] | None = None
        for candidate in self._lsh.query(mh):
            score = mh.jaccard(self._hashes[candidate])
            if score >= self.threshold and (best is None or score > best[0] or (score == best[0] and candidate < best[1])):
                best = (score, candidate)
        return best[1] if best else None

    def add(self, doc_id: str, body: str) -> tuple[str | None, bytes]:
        """Register a body.

        Returns:
            The id of the earlier document it nearly repeats (``None`` if none, and for a body
            already registered under the same ``doc_id``: a page is not its own duplicate), and
            the body's signature for the store.
        """
        mh = self._hashes.get(doc_id)
        if mh is not None:
            return None, mh.hashvalues.astype("<u8").tobytes()
        mh = self.minhash(body)
        duplicate_of = self.find(body, mh)
        self._hashes[doc_id] = mh
        self._lsh.insert(doc_id, mh)
        return duplicate_of, mh.hashvalues.astype("<u8").tobytes()
