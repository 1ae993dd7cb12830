"""Recognising the same story carried twice: exact copies and near-duplicates.

Wire copy (AP, Reuters, AFP, TASS) is republished by dozens of outlets with
a new headline, a byline, a sentence trimmed or a "Read more" footer.
Coding every copy would multiply its events and make a single report look
like a wave of them, so the store keeps one coded copy and records the
others.  This module answers "have we seen this story before?" and
remembers what it has seen across runs.

* Exact duplicates: a hash of the normalised text (case-folded, punctuation
  dropped, whitespace collapsed), so trivial differences of markup, quotes
  or spacing do not hide a copy.
* Near-duplicates: MinHash signatures over word 5-shingles, with LSH banding
  to find candidates in constant time per article, and the signature
  agreement (an estimate of the Jaccard similarity of the shingle sets) to
  decide.  Five-word shingles make unrelated articles on the same topic,
  which share names and phrases but not long word sequences, score near 0,
  while an edited copy keeps most of its shingles.

Implemented with numpy and the standard library rather than datasketch: the
algorithm is short, and owning it keeps the state format (``to_bytes``)
stable and free of pickles.  Every hash is fixed arithmetic or ``hashlib``
(never Python's salted ``hash``), so signatures are identical across runs
and machines.  Shingles are hashed as substrings of the normalised text
with a polynomial rolling hash computed by prefix sums, all in numpy: no
Python object is created per word, which is what makes 7,000 articles
take about two seconds.  numpy is imported on first use, keeping ``import
tidings.ingest`` light.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tidings.model import Article

if TYPE_CHECKING:
    import numpy as np

DuplicateKind = Literal["exact", "near"]

_MAGIC = b"TIDINGS-DEDUP\n"
_FORMAT_VERSION = 1
_NON_WORD_RE = re.compile(r"\W+")
_MASK32 = 0xFFFFFFFF
#: Base of the polynomial shingle hash (odd, so invertible modulo 2**64).
_BASE = 0x100000001B3
_BASE_INVERSE = pow(_BASE, -1, 2**64)
_KINDS: tuple[DuplicateKind | None, ...] = (None, "exact", "near")
#: Rows added before the sorted band index is rebuilt (at least; a quarter of it, later).
_MERGE_EVERY = 1024


@dataclass(frozen=True, slots=True)
class DuplicateOf:
    """The verdict on a duplicate: which article it copies, and how closely.

    ``doc_id`` is the first-seen copy of the story (the original of the
    whole cluster, even when the closest match is a later copy);
    ``similarity`` is 1.0 for an exact copy, else the estimated Jaccard
    similarity of word 5-shingles with the closest copy seen.
    """

    doc_id: str
    kind: DuplicateKind
    similarity: float


def normalized_text(text: str) -> str:
    """``text`` case-folded and NFKC-normalised, its words joined by single spaces.

    Punctuation, quotes and line breaks all become word separators, so two
    copies that differ only in typography normalise to the same string.
    """
    return _NON_WORD_RE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _text_of(article: Article) -> str:
    """Title, body and captions: what a reader sees as the story."""
    return article.text


class _Fingerprint:
    """The exact hash and the MinHash signature of one text (computed once)."""

    __slots__ = ("exact", "shingles", "signature")

    def __init__(self, exact: bytes, signature: np.ndarray, shingles: int) -> None:
        self.exact = exact
        self.signature = signature
        self.shingles = shingles


class Deduplicator:
    """Remembers the articles it has been given and spots copies of them.

    ``threshold`` is the estimated Jaccard similarity of word shingles from
    which two articles count as near-duplicates; ``num_perm`` MinHash
    functions are split into ``bands`` LSH bands (``num_perm // bands``
    rows each, with leftover functions used in the similarity estimate
    only).  The defaults (0.5; 128 functions in 42 bands of 3) find a pair
    at similarity 0.5 with probability 0.996 and one at 0.1 with 0.04, and
    were checked on the AllSides corpus: edited wire copies score 0.6 to
    1.0, different stories on the same topic below 0.1.

    Usage: ``dup = dedup.check(article)`` then ``dedup.add(article)``.
    Every added article is indexed, copies included, so a later copy that
    resembles an earlier copy more than the original is still found; the
    verdict always names the cluster's first-seen article.

    The LSH index is numpy arrays, not dicts of lists: each band of each
    article is one 64-bit key (the band's values hashed with the band's
    number), looked up by binary search in one sorted array of keys, with
    the articles added since it was last sorted compared directly.  A key
    per band and article costs 20 bytes instead of about 140 as Python
    objects, so the index of a long run stays small (issue 15: the dict
    index was most of the memory a 5,000-article run gained).  Two bands
    that only share a key by a hash collision make a candidate, never a
    verdict: every candidate is judged on its whole signature.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        num_perm: int = 128,
        bands: int = 42,
        shingle_size: int = 5,
        seed: int = 1,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if not 1 <= bands <= num_perm:
            raise ValueError("bands must be between 1 and num_perm")
        if shingle_size < 1:
            raise ValueError("shingle_size must be positive")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands = bands
        self.rows = num_perm // bands
        self.shingle_size = shingle_size
        self.seed = seed
        self._ids: list[str] = []
        self._index: dict[str, int] = {}
        self._roots: list[int] = []  # index of the cluster's first-seen article
        self._kinds: list[int] = []  # 0 original, 1 exact copy, 2 near copy
        self._sims: list[float] = []
        self._exact: dict[bytes, int] = {}
        self._hashes: list[bytes] = []  # each article's exact hash, for entry()
        self._signatures: Any = None  # numpy uint32 array, rows grown by doubling
        self._band_keys_of: Any = None  # numpy uint64 (rows, bands), grown alike
        self._indexed: Any = None  # numpy bool per row: has words (else never a candidate)
        self._sorted_keys: Any = None  # band keys of rows < _merged, sorted
        self._sorted_rows: Any = None  # the row of each sorted key
        self._merged = 0
        self._perm_a, self._perm_b = _permutations(num_perm, seed)
        self._last: tuple[Article, _Fingerprint] | None = None
        self._powers: tuple[Any, Any] | None = None  # cached BASE**i and BASE**-i

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._index

    # ------------------------------------------------------------ fingerprints

    def _fingerprint(self, article: Article) -> _Fingerprint:
        """Hash and sign an article; the last result is cached for check-then-add."""
        if self._last is not None and self._last[0] is article:
            return self._last[1]
        import numpy as np

        normalized = normalized_text(_text_of(article)).encode("utf-8")
        exact = hashlib.blake2b(normalized, digest_size=16).digest()
        shingles = self._shingle_hashes(normalized)
        if shingles.size:
            products = self._perm_a[:, None] * shingles[None, :] + self._perm_b[:, None]
            signature = (products >> np.uint64(32)).min(axis=1).astype(np.uint32)
        else:  # no words at all: a signature that matches nothing real
            signature = np.full(self.num_perm, _MASK32, dtype=np.uint32)
        result = _Fingerprint(exact, signature, int(shingles.size))
        self._last = (article, result)
        return result

    def _power_tables(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        """``BASE**i`` and ``BASE**-i`` modulo 2**64 for i up to ``length`` (cached, grown)."""
        import numpy as np

        if self._powers is None or len(self._powers[0]) <= length:
            size = max(length + 1, 2 * len(self._powers[0]) if self._powers else 65536)
            powers = np.empty(size, dtype=np.uint64)
            inverses = np.empty(size, dtype=np.uint64)
            powers[0] = inverses[0] = 1
            powers[1:] = np.cumprod(np.full(size - 1, _BASE, dtype=np.uint64))
            inverses[1:] = np.cumprod(np.full(size - 1, _BASE_INVERSE, dtype=np.uint64))
            self._powers = (powers, inverses)
        return self._powers

    def _shingle_hashes(self, normalized: bytes) -> np.ndarray:
        """64-bit hashes of the distinct word ``shingle_size``-grams of a normalised text.

        The hash of bytes ``[s, e)`` is ``sum(b[i] * BASE**(i - s))`` modulo
        2**64, obtained from prefix sums as ``(H[e] - H[s]) * BASE**-s``, so
        every shingle costs a few vectorised operations.  A text of fewer
        words than a shingle is one shingle.  A final splitmix64 avalanche
        spreads the hashes before MinHash.
        """
        import numpy as np

        if not normalized:
            return np.empty(0, dtype=np.uint64)
        data = np.frombuffer(normalized, dtype=np.uint8)
        length = len(data)
        powers, inverses = self._power_tables(length)
        prefix = np.zeros(length + 1, dtype=np.uint64)
        np.cumsum(data.astype(np.uint64) * powers[:length], out=prefix[1:])
        spaces = np.flatnonzero(data == 0x20)
        starts = np.concatenate(([0], spaces + 1))
        ends = np.concatenate((spaces, [length]))
        size = min(self.shingle_size, len(starts))
        first = starts[: len(starts) - size + 1]
        last = ends[size - 1 :]
        hashes = (prefix[last] - prefix[first]) * inverses[first]
        hashes ^= hashes >> np.uint64(30)
        hashes *= np.uint64(0xBF58476D1CE4E5B9)
        hashes ^= hashes >> np.uint64(27)
        hashes *= np.uint64(0x94D049BB133111EB)
        hashes ^= hashes >> np.uint64(31)
        return np.unique(hashes)

    def _band_keys(self, signature: np.ndarray) -> np.ndarray:
        """One 64-bit key per band: the band's ``rows`` values and its number, hashed."""
        import numpy as np

        values = signature[: self.rows * self.bands].reshape(self.bands, self.rows)
        keys = np.arange(1, self.bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        for column in values.T.astype(np.uint64):
            keys ^= column
            keys *= np.uint64(0xBF58476D1CE4E5B9)
            keys ^= keys >> np.uint64(31)
        return keys

    # ---------------------------------------------------------------- queries

    def check(self, article: Article) -> DuplicateOf | None:
        """Whether ``article`` copies an article added before, and which.

        An article already added (same ``doc_id``) gets the verdict it had
        when it was added, so re-running a corpus is idempotent.
        """
        known = self._index.get(article.doc_id)
        if known is not None:
            return self._verdict_of(known)
        match = self._match(self._fingerprint(article))
        if match is None:
            return None
        index, kind, similarity = match
        return DuplicateOf(self._ids[self._roots[index]], kind, similarity)

    def _verdict_of(self, index: int) -> DuplicateOf | None:
        kind = _KINDS[self._kinds[index]]
        if kind is None:
            return None
        return DuplicateOf(self._ids[self._roots[index]], kind, self._sims[index])

    def _match(self, fp: _Fingerprint) -> tuple[int, DuplicateKind, float] | None:
        """The closest added article (index, kind, similarity), if close enough."""
        exact = self._exact.get(fp.exact)
        if exact is not None:
            return exact, "exact", 1.0
        if not fp.shingles or not self._ids:
            return None
        ordered = self._candidates(self._band_keys(fp.signature))
        if not ordered.size:
            return None
        import numpy as np

        agreement = (self._signatures[ordered] == fp.signature).mean(axis=1)
        best = int(np.argmax(agreement))  # ties go to the earliest added
        similarity = float(agreement[best])
        if similarity < self.threshold:
            return None
        return int(ordered[best]), "near", round(similarity, 4)

    def _candidates(self, keys: np.ndarray) -> np.ndarray:
        """The indexed rows sharing a band key with ``keys``, sorted, each once."""
        import numpy as np

        found = []
        if self._merged:
            low = np.searchsorted(self._sorted_keys, keys, side="left")
            high = np.searchsorted(self._sorted_keys, keys, side="right")
            found.extend(self._sorted_rows[a:b] for a, b in zip(low, high, strict=True) if b > a)
        count = len(self._ids)
        if count > self._merged:
            tail = self._band_keys_of[self._merged : count] == keys
            hits = tail.any(axis=1) & self._indexed[self._merged : count]
            found.append(np.flatnonzero(hits) + self._merged)
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(found).astype(np.int64))

    def _merge(self) -> None:
        """Sort every indexed row's band keys into the binary-searched array."""
        import numpy as np

        count = len(self._ids)
        rows = np.flatnonzero(self._indexed[:count])
        keys = self._band_keys_of[rows].ravel()
        order = np.argsort(keys, kind="stable")  # rows ascending within a key
        self._sorted_keys = keys[order]
        self._sorted_rows = np.repeat(rows, self.bands)[order].astype(np.int32)
        self._merged = count

    # ---------------------------------------------------------------- updates

    def add(self, article: Article) -> None:
        """Remember ``article``; adding the same ``doc_id`` again does nothing."""
        if article.doc_id in self._index:
            return
        fp = self._fingerprint(article)
        match = self._match(fp)
        if match is None:
            self._append(article.doc_id, fp, root=None, kind=0, similarity=0.0)
        else:
            index, kind, similarity = match
            code = 1 if kind == "exact" else 2
            self._append(article.doc_id, fp, self._roots[index], code, similarity)
        self._last = None

    def add_and_check(self, article: Article) -> DuplicateOf | None:
        """``check`` then ``add`` in one call, fingerprinting once."""
        verdict = self.check(article)
        self.add(article)
        return verdict

    def _append(
        self, doc_id: str, fp: _Fingerprint, root: int | None, kind: int, similarity: float
    ) -> None:

        index = len(self._ids)
        self._ids.append(doc_id)
        self._index[doc_id] = index
        self._roots.append(index if root is None else root)
        self._kinds.append(kind)
        self._sims.append(similarity)
        self._exact.setdefault(fp.exact, index)
        self._hashes.append(fp.exact)
        if self._signatures is None or index >= len(self._signatures):
            self._grow(index)
        self._signatures[index] = fp.signature
        self._band_keys_of[index] = self._band_keys(fp.signature)
        self._indexed[index] = bool(fp.shingles)
        if index + 1 - self._merged > max(_MERGE_EVERY, self._merged // 4):
            self._merge()  # geometric: sorting costs O(1) per article on average

    def _grow(self, index: int) -> None:
        """Room for row ``index`` (and as many again) in the per-row arrays."""
        import numpy as np

        # max(): a state restored with no articles has empty arrays
        size = max(64, 2 * index)
        old = (self._signatures, self._band_keys_of, self._indexed)
        self._signatures = np.empty((size, self.num_perm), dtype=np.uint32)
        self._band_keys_of = np.empty((size, self.bands), dtype=np.uint64)
        self._indexed = np.zeros(size, dtype=bool)
        if index and old[0] is not None:
            self._signatures[:index] = old[0][:index]
            self._band_keys_of[:index] = old[1][:index]
            self._indexed[:index] = old[2][:index]

    # ---------------------------------------------------------- persistence

    def entry(self, doc_id: str) -> tuple[int, bytes] | None:
        """One added article's part of the index: its position and its bytes.

        The store writes it in the same transaction as the article (or its
        copy record), so a run killed at any point leaves an index that
        :meth:`restore_entry` rebuilds exactly up to the kill.
        """
        index = self._index.get(doc_id)
        if index is None:
            return None
        head = json.dumps(
            {
                "id": doc_id,
                "root": self._ids[self._roots[index]],
                "kind": self._kinds[index],
                "sim": self._sims[index],
                "exact": self._hashes[index].hex(),
            },
            ensure_ascii=False,
        ).encode("utf-8")
        signature = self._signatures[index].astype("<u4").tobytes()
        return index, struct.pack(">I", len(head)) + head + signature

    def restore_entry(self, position: int, data: bytes) -> bool:
        """Append an :meth:`entry` saved at ``position``; False (nothing done) unless it is
        the next one, so a gap (an article in flight when the run died) ends the restore."""
        import numpy as np

        if position != len(self._ids):
            return False
        try:
            (length,) = struct.unpack_from(">I", data, 0)
            head = json.loads(data[4 : 4 + length].decode("utf-8"))
            doc_id, root = str(head["id"]), str(head["root"])
            kind, similarity = int(head["kind"]), float(head["sim"])
            exact = bytes.fromhex(head["exact"])
        except (struct.error, UnicodeDecodeError, KeyError, TypeError, ValueError):
            return False
        raw = data[4 + length :]
        if len(raw) != self.num_perm * 4 or doc_id in self._index:
            return False
        root_index = None if root == doc_id else self._index.get(root)
        if root != doc_id and root_index is None:
            return False
        signature = np.frombuffer(raw, dtype="<u4").astype(np.uint32)
        words = int((signature != _MASK32).any())
        self._append(doc_id, _Fingerprint(exact, signature, words), root_index, kind, similarity)
        return True

    def to_bytes(self) -> bytes:
        """The whole state, to be stored and restored with :meth:`from_bytes`.

        Layout: a magic line, a 4-byte big-endian header length, a JSON
        header (parameters, ids, verdicts, exact hashes) and the signatures
        as little-endian uint32.  No pickle, so loading untrusted bytes can
        fail but never execute code.
        """
        count = len(self._ids)
        header = {
            "version": _FORMAT_VERSION,
            "params": {
                "threshold": self.threshold,
                "num_perm": self.num_perm,
                "bands": self.bands,
                "shingle_size": self.shingle_size,
                "seed": self.seed,
            },
            "ids": self._ids,
            "roots": self._roots,
            "kinds": self._kinds,
            "sims": self._sims,
            "exact": {key.hex(): index for key, index in self._exact.items()},
        }
        blob = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        signatures = self._signatures[:count].astype("<u4").tobytes() if count else b""
        return _MAGIC + struct.pack(">I", len(blob)) + blob + signatures

    @classmethod
    def from_bytes(cls, data: bytes) -> Deduplicator:
        """Restore a deduplicator saved with :meth:`to_bytes`; ValueError if malformed."""
        import numpy as np

        if not data.startswith(_MAGIC):
            raise ValueError("not a Tidings deduplicator state")
        offset = len(_MAGIC)
        try:
            (length,) = struct.unpack_from(">I", data, offset)
            header = json.loads(data[offset + 4 : offset + 4 + length].decode("utf-8"))
            if header.get("version") != _FORMAT_VERSION:
                raise ValueError(f"unsupported deduplicator state version {header.get('version')}")
            dedup = cls(**header["params"])
            ids = [str(doc_id) for doc_id in header["ids"]]
            roots = [int(i) for i in header["roots"]]
            kinds = [int(k) for k in header["kinds"]]
            sims = [float(s) for s in header["sims"]]
            exact = {bytes.fromhex(key): int(i) for key, i in header["exact"].items()}
        except (struct.error, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"corrupt deduplicator state: {exc}") from exc
        raw = data[offset + 4 + length :]
        count = len(ids)
        if (
            len(raw) != count * dedup.num_perm * 4
            or not len(roots) == len(kinds) == len(sims) == count
        ):
            raise ValueError("corrupt deduplicator state: inconsistent sizes")
        dedup._ids = ids
        dedup._index = {doc_id: i for i, doc_id in enumerate(ids)}
        dedup._roots, dedup._kinds, dedup._sims, dedup._exact = roots, kinds, sims, exact
        dedup._hashes = [b""] * count  # entry() is only asked of articles added since
        signatures = np.frombuffer(raw, dtype="<u4").reshape(count, dedup.num_perm)
        dedup._grow(count)
        dedup._signatures[:count] = signatures  # a writable, native-order copy
        for index in range(count):
            dedup._band_keys_of[index] = dedup._band_keys(dedup._signatures[index])
        # texts without words were never indexed
        dedup._indexed[:count] = (dedup._signatures[:count] != _MASK32).any(axis=1)
        dedup._merge()
        return dedup


def _permutations(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Multipliers (odd) and offsets of the ``count`` hash functions, from ``seed``.

    Derived from BLAKE2b rather than numpy's generators, whose streams may
    change between numpy versions: a saved state must stay comparable.
    """
    import numpy as np

    blocks = [
        hashlib.blake2b(f"tidings-minhash:{seed}:{i}".encode(), digest_size=64).digest()
        for i in range((count * 16 + 63) // 64)
    ]
    words = np.frombuffer(b"".join(blocks)[: count * 16], dtype="<u8").reshape(count, 2)
    return (words[:, 0] | np.uint64(1)).astype(np.uint64), words[:, 1].astype(np.uint64)
