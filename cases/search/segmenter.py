"""Turning Chinese text into search tokens: segmentation with the domain lexicon.

Everything that knows about jieba lives here, behind ``Segmenter`` (``index_tokens`` for stored
text, ``query_words`` for what a reader typed), so another segmenter can be swapped in by
replacing ``get_segmenter``. The lexicon is ``cases.search.lexicon``.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Protocol

from cases.search.lexicon import QUERY_STOPWORDS, STOPWORDS, Lexicon, load_lexicon
from cases.search.text import CJK_RUN, IS_TOKEN, clip_token, fold


class Segmenter(Protocol):
    lexicon: Lexicon

    def initialize(self) -> None: ...

    def index_tokens(self, text: str) -> list[list[str]]:
        """Tokens of stored text, one list per position (a word and its canonical form share one)."""

    def query_words(self, text: str, canonical: bool = True) -> list[str]:
        """Canonical content words of a (folded, rewritten) query chunk."""


class JiebaSegmenter:
    """jieba in accurate mode (no HMM, so results do not depend on context-learnt words), with the
    domain lexicon; the index additionally stores every dictionary word found inside a longer word
    (彭山区 -> 彭山, 凉山彝族自治州 -> 凉山, 自治州 ...), which is what search mode needs."""

    def __init__(self) -> None:
        self._tokenizer = None
        self._lock = threading.Lock()
        self.lexicon = Lexicon()

    @property
    def initialized(self) -> bool:
        return self._tokenizer is not None

    def initialize(self) -> None:
        if self._tokenizer is not None:
            return
        with self._lock:
            if self._tokenizer is not None:
                return
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            lexicon = load_lexicon()
            for word in sorted(lexicon.words):
                # High frequency: a reviewed domain word wins over the general dictionary's split.
                tokenizer.add_word(word, freq=max(tokenizer.FREQ.get(word) or 0, 50000))
            self.lexicon = lexicon
            self._tokenizer = tokenizer

    def _cut(self, text: str) -> list[str]:
        self.initialize()
        return [clip_token(w) for w in self._tokenizer.cut(text, HMM=False) if IS_TOKEN.fullmatch(w)]

    def _subwords(self, word: str) -> list[str]:
        """Dictionary words strictly inside ``word`` (any length from 2)."""
        freq = self._tokenizer.FREQ
        found = []
        n = len(word)
        for size in range(n - 1, 1, -1):
            for start in range(0, n - size + 1):
                piece = word[start : start + size]
                if freq.get(piece):
                    found.append(piece)
        return found

    @lru_cache(maxsize=200_000)  # noqa: B019 - one process-wide segmenter; paragraphs repeat
    def index_tokens(self, text: str) -> list[list[str]]:
        canon = self.lexicon.canonical
        positions: list[list[str]] = []
        # The query's phrase rewrites apply to stored text too (政务+金融 -> 政务服务 金融).
        for word in self._cut(self.lexicon.rewrite(fold(text))):
            if word in STOPWORDS:
                continue
            slot = [word]
            if len(word) > 2 and CJK_RUN.fullmatch(word):
                slot += self._subwords(word)
            for token in list(slot):
                head = canon.get(token)
                if head and head not in slot:
                    slot.append(head)
            positions.append(slot)
        return positions

    def query_words(self, text: str, canonical: bool = True) -> list[str]:
        lexicon = self.lexicon
        pieces: list[str | None] = []  # None where a stop word was: it separates runs
        cut = self._cut(text)
        for at, word in enumerate(cut):
            if word in QUERY_STOPWORDS or (word == ADVERBIAL and at and _describes(cut[at - 1])):
                pieces.append(None)
            elif len(word) >= 4 and word not in lexicon.words and CJK_RUN.fullmatch(word):
                # A long general word (金融服务) is searched by its parts, which the index holds
                # for every longer word too; the domain's own long terms stay whole.
                pieces += self._tile(word) or [word]
            else:
                pieces.append(word)
        words = _join_single_characters(pieces)
        if canonical:
            words = [lexicon.canon(w) for w in words]
        return words

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` as jieba reads it (accurate mode, stop words kept)."""
        return self._cut(text)

    def dictionary(self, word: str) -> int:
        """How common ``word`` is in jieba's dictionary and the lexicon (0: not a word)."""
        self.initialize()
        return self._tokenizer.FREQ.get(word) or 0

    def compound_parts(self, word: str) -> list[str]:
        """The sub-words jieba's search mode yields for ``word`` (its dictionary words of two,
        then three characters) that together cover every character, or every character but the
        last (the head of 银行卡, 退休金, 低保户: a kind of the thing the rest names; not the
        first: 宅基地 is not a kind of 基地);
        else none. A compound the index lacks (寄递服务, 银行卡) is then searched by its parts,
        all of them required (寄递 and 服务; 银行)."""
        self.initialize()
        freq = self._tokenizer.FREQ
        if len(word) < 3 or not CJK_RUN.fullmatch(word):
            return []
        parts: list[str] = []
        covered = [False] * len(word)
        for size in (2, 3):
            for start in range(len(word) - size + 1):
                piece = word[start : start + size]
                if piece != word and freq.get(piece) and not all(covered[start : start + size]):
                    parts.append(piece)
                    covered[start : start + size] = [True] * size
            if all(covered):
                return parts
        if parts and all(covered[:-1]) and not covered[-1]:
            return parts
        return []

    def _tile(self, word: str) -> list[str]:
        """Cover ``word`` left to right with the longest shorter dictionary words."""
        freq = self._tokenizer.FREQ
        pieces, i = [], 0
        while i < len(word) - 1:
            for size in range(min(len(word) - 1, len(word) - i), 1, -1):
                if freq.get(word[i : i + size]):
                    pieces.append(word[i : i + size])
                    i += size
                    break
            else:
                i += 1
        return pieces


# The particle of 方便地办, 快速地办理: after an adjective or adverb, 地 marks how, not land.
ADVERBIAL = "地"
_DESCRIBING = ("a", "d")  # jieba's part-of-speech tags of adjectives (a, ad, an) and adverbs (d)


@lru_cache(maxsize=1)
def _describing_words() -> frozenset[str]:
    """The words jieba's dictionary tags as adjectives or adverbs (read once; only those are kept,
    not jieba.posseg's whole table of tags)."""
    import jieba

    words = set()
    with jieba.get_dict_file() as lines:
        for line in lines:
            fields = line.decode("utf-8").split()
            if len(fields) == 3 and len(fields[0]) > 1 and fields[2].startswith(_DESCRIBING):
                words.add(fields[0])
    return frozenset(words)


def warm() -> None:
    """Read the dictionary's describing words now (a worker's warm-up), not on the first query with 地."""
    _describing_words()


def _describes(word: str) -> bool:
    """Whether the dictionary reads ``word`` as an adjective or adverb (方便, 快速, 认真)."""
    return word in _describing_words()


def _join_single_characters(pieces: list[str | None]) -> list[str]:
    """Adjacent single characters are one literal string (山鹰驿站 -> 山鹰, 驿站; 便民服物 ->
    便民, 服物): a name or a typo jieba could not cut. A single character alone beside longer
    words (交 in 交水电费, 让 in a question) only adds noise and is left out."""
    words, run = [], ""
    for piece in [*pieces, None]:
        if piece is not None and len(piece) == 1 and CJK_RUN.fullmatch(piece):
            run += piece
            continue
        if run:
            words.append(run)
            run = ""
        if piece is not None:
            words.append(piece)
    if any(len(w) > 1 for w in words):
        words = [w for w in words if len(w) > 1 or not CJK_RUN.fullmatch(w)]
    return words


_segmenter = JiebaSegmenter()


def get_segmenter() -> JiebaSegmenter:
    return _segmenter
