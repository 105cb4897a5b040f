"""Turning Chinese text into search tokens: folding, segmentation and the domain lexicon.

Everything that knows about jieba lives here, behind ``Segmenter`` (``index_tokens`` for stored
text, ``query_words`` for what a reader typed), so another segmenter can be swapped in by
replacing ``get_segmenter``. The lexicon (domain words, synonym groups, phrase rewrites) is data in
``cases/search_data/``; place names are added from the hand-reviewed reference tables.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "search_data"

# CJK unified ideographs incl. extension A-H and compatibility ideographs.
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
TOKEN_RE = re.compile(f"[{CJK_CLASS}]+|[0-9a-z]+")
IS_TOKEN = re.compile(f"(?:[{CJK_CLASS}]+|[0-9a-z]+)")

# Function words carry no meaning for search; question words are dropped from queries so that a
# whole question ("哪里可以办理社保？") is searched by its content words.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "是",
        "在",
        "对",
        "把",
        "被",
        "将",
        "为",
        "以",
        "于",
        "之",
        "其",
        "这",
        "那",
        "也",
        "都",
        "就",
        "而",
        "并",
        "从",
        "向",
        "由",
        "着",
        "个",
        "一",
        "上",
        "中",
        "下",
    ]
)
QUERY_STOPWORDS = STOPWORDS | frozenset(
    [
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "嘛",
        "么",
        "怎么",
        "怎样",
        "怎么样",
        "怎么办",
        "如何",
        "哪些",
        "哪个",
        "哪里",
        "哪儿",
        "哪",
        "什么",
        "什么样",
        "有没有",
        "有哪些",
        "是否",
        "能否",
        "可否",
        "可以",
        "能",
        "能够",
        "要",
        "想",
        "需要",
        "我",
        "我们",
        "你",
        "你们",
        "他们",
        "谁",
        "请问",
        "请",
        "关于",
        "一下",
        "介绍",
        "相关",
        "有关",
        "方面",
        "案例",
        "有",
        "做",
        "做法",
        "经验",
        "举措",
        "措施",
        "哪家",
        "地方",
        "如何做",
        "为什么",
        "多少",
        "哪些地方",
        "什么地方",
        "哪个地方",
        "哪些地区",
        "在哪里",
        "哪些单位",
        "有什么",
        "怎样才能",
        "如何才能",
        "怎么才能",
        "一些",
        "好的",
    ]
)

_SUFFIXES = (
    "彝族自治州",
    "藏族自治州",
    "藏族羌族自治州",
    "羌族自治县",
    "自治州",
    "街道",
    "市",
    "州",
    "县",
    "区",
    "镇",
    "乡",
)


def fold(text: str) -> str:
    """Full-width to half-width, compatibility forms to their base characters, case folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


@dataclass
class Lexicon:
    """Domain words for the segmenter and synonym groups (member -> canonical form)."""

    words: set[str] = field(default_factory=set)
    canonical: dict[str, str] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    rewrites: list[tuple[re.Pattern, str]] = field(default_factory=list)

    def canon(self, word: str) -> str:
        return self.canonical.get(word, word)

    def rewrite(self, text: str) -> str:
        for pattern, replacement in self.rewrites:
            text = pattern.sub(replacement, text)
        return text


def _place_words() -> set[str]:
    """Every prefecture, county and township of the reference tables, with and without suffix."""
    from awards.reference import PREFECTURES, UNIT_PLACES

    names: set[str] = set()
    for _code, name, full_name, short_name, _kind in PREFECTURES:
        names |= {name, full_name, short_name}
    for _code, county, township, _level in UNIT_PLACES.values():
        names |= {p for p in (county, township) if p}
    words = set(names)
    for name in names:
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                words.add(name[: -len(suffix)])
                break
    return words


def load_lexicon() -> Lexicon:
    lexicon = Lexicon()
    for line in (DATA_DIR / "terms.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lexicon.words.add(fold(line.split()[0]))
    for line in (DATA_DIR / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=>"):
            _, pattern, replacement = (part.strip() for part in line.split("=>"))
            lexicon.rewrites.append((re.compile(pattern), replacement + " "))
            continue
        members = [fold(m) for m in line.split()]
        head = members[0]
        lexicon.groups[head] = members
        for member in members:
            lexicon.canonical[member] = head
            if len(member) >= 2:
                lexicon.words.add(member)
    lexicon.words |= {fold(w) for w in _place_words()}
    return lexicon


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
        return [w for w in self._tokenizer.cut(text, HMM=False) if IS_TOKEN.fullmatch(w)]

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
        words = []
        for word in self._cut(text):
            if word in QUERY_STOPWORDS:
                continue
            if len(word) >= 4 and word not in lexicon.words and CJK_RUN.fullmatch(word):
                # A long general word (金融服务) is searched by its parts, which the index holds
                # for every longer word too; the domain's own long terms stay whole.
                words += self._tile(word) or [word]
            else:
                words.append(word)
        if canonical:
            words = [lexicon.canon(w) for w in words]
        if len(text) >= 6 and any(len(w) > 1 for w in words):
            # In a phrase or question single characters (让, 不, 出) only add noise; in a short
            # name (山鹰驿站 -> 山/鹰/驿站) they are part of it.
            words = [w for w in words if len(w) > 1]
        return words

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


def bigrams(text: str) -> list[str]:
    """Overlapping CJK character pairs: the recall safety net for any literal substring."""
    pairs = []
    for run in CJK_RUN.findall(fold(text)):
        pairs += [run[i : i + 2] for i in range(len(run) - 1)]
    return pairs


_segmenter = JiebaSegmenter()


def get_segmenter() -> JiebaSegmenter:
    return _segmenter
