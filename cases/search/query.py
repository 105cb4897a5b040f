"""Reading a query: normalisation, chunks, segmentation into canonical words, pinyin, concept
expansions and compound parts. The result (``QueryPlan``) depends on the text alone and is
cached; the engine decides with the index's word counts which alternatives can match.

    normalize_query(raw) -> (query, truncated)
    build_plan(query) -> QueryPlan
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC

from cases.search.pinyin import LETTERS, PinyinIndex
from cases.search.segmenter import get_segmenter
from cases.search.text import CJK_CLASS, CJK_RUN, bigrams, fold, normalize
from cases.search.thesaurus import RELATED, get_thesaurus

MAX_QUERY_LENGTH = 100
# What marks a query as a question (see QueryPlan.question).
QUESTION_FORMS = (
    "怎么",
    "怎样",
    "如何",
    "能不能",
    "能否",
    "可不可以",
    "可以",
    "哪里",
    "哪儿",
    "去哪",
    "哪些",
    "是否",
    "吗",
    "呢",
    "？",
    "?",
)
# A query this long (characters, spaces and punctuation left out) is a question when it holds a
# question form, and anyway from LONG_QUERY; short questions (高考志愿怎么填报) keep every word's weight.
QUESTION_LENGTH = 10
LONG_QUERY = 14
_CHUNK_SPLIT = re.compile(f"[^{CJK_CLASS}0-9a-z]+")


@dataclass(frozen=True)
class Word:
    """One content word of a query: the token the index holds, and what may stand in for it."""

    token: str
    # (tokens, kind): another word of its concept; several tokens when the thesaurus writes it in
    # two scripts (12345热线 -> 12345, 热线), all of which must match.
    expansions: tuple[tuple[tuple[str, ...], str], ...] = ()
    # Search-mode sub-words, all required, for when the index lacks the word itself.
    parts: tuple[str, ...] = ()
    ranked: bool = True  # a typed (traditional) form's unknown words match but do not rank
    # The word is no dictionary word (a run jieba could not cut, 好差帲, or a slip, 最多爮): all
    # its parts are needed, never all but the last, so a typo gets its correction.
    literal: bool = False
    # The thesaurus word this one was read as (一网通半 -> 一网通办, see Thesaurus.near): the
    # search says so (QueryPlan.readings).
    read_as: str = ""


@dataclass(frozen=True)
class Chunk:
    """A piece of the query between spaces and punctuation. It matches when the case holds all
    the words of one of its readings, or all of one of its sets of character pairs."""

    text: str
    readings: tuple[tuple[Word, ...], ...]
    grams: tuple[tuple[str, ...], ...]
    pinyin: tuple[str, ...] = ()  # the words a chunk of letters was read as (pengshan -> 彭山)

    @property
    def words(self) -> list[Word]:
        seen: dict[str, Word] = {}
        for reading in self.readings:
            for word in reading:
                seen.setdefault(word.token, word)
        return list(seen.values())


@dataclass(frozen=True)
class QueryPlan:
    chunks: tuple[Chunk, ...]
    surfaces: tuple[str, ...]  # strings to mark in passages
    # A reader's long question (see QUESTION_LENGTH): its words are pooled in the
    # any-word fallback, and words the library lacks weigh less there (see trees.coverage).
    question: bool = False

    @property
    def readings(self) -> tuple[tuple[str, str], ...]:
        """(typed, read as) for every piece of the query read as another word: a chunk of letters
        read as pinyin, a word read as the thesaurus word one character away. The one list the
        outcome reports (SearchOutcome.readings), so no reading is silent."""
        found = []
        for chunk in self.chunks:
            found += [(chunk.text, term) for term in chunk.pinyin]
            found += [(word.token, word.read_as) for word in chunk.words if word.read_as]
        return tuple(dict.fromkeys(found))

    def tokens(self) -> set[str]:
        """Every token whose count the engine needs."""
        found = set()
        for chunk in self.chunks:
            for word in chunk.words:
                found.add(word.token)
                found.update(word.parts)
                for tokens, _ in word.expansions:
                    found.update(tokens)
            for grams in chunk.grams:
                found.update(grams)
        return found


def normalize_query(raw: str | None) -> tuple[str, bool]:
    """Width-fold, read radicals as ideographs and remove format characters (``text.normalize``, as
    the index reads stored text), read control, private-use, surrogate and unassigned characters as
    spaces (a NUL never reaches SQL), collapse white space, cut to MAX_QUERY_LENGTH."""
    text = normalize(raw if isinstance(raw, str) else str(raw or ""))
    # ``normalize`` has already dropped format characters (so 帮\u200d办 is 帮办); every other control,
    # private-use or unassigned character separates words.
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH].strip(), truncated


@lru_cache(maxsize=1)
def _t2s():
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def pinyin_index() -> PinyinIndex:
    """Pinyin keys of the lexicon's places, brands and policy terms, the concepts' words and the
    words inside them."""
    segmenter = get_segmenter()
    words = get_thesaurus().words()
    thesaurus = {w for w in words if CJK_RUN.fullmatch(w)}
    # The words inside the concepts' words too (政务+金融, 金融服务 -> 金融): jinrong is a policy term.
    pieces = {p for w in words for p in segmenter.query_words(w)}
    pieces |= {p for w in pieces for p in segmenter.compound_parts(w)}
    inside = {p for p in pieces if len(p) > 1 and CJK_RUN.fullmatch(p)}
    return PinyinIndex(segmenter.lexicon.named_words() | thesaurus | inside)


def _chunks(text: str) -> list[str]:
    return [c for c in _CHUNK_SPLIT.split(text) if c]


def _join_pinyin(chunks: list[str]) -> list[str]:
    """Letters split by spaces (peng shan) are one chunk when together they are a known pinyin."""
    index = pinyin_index()
    out, i = [], 0
    while i < len(chunks):
        for j in range(len(chunks), i + 1, -1):
            group = chunks[i:j]
            if all(LETTERS.fullmatch(c) for c in group) and index.lookup("".join(group)):
                out.append("".join(group))
                i = j
                break
        else:
            out.append(chunks[i])
            i += 1
    return out


def _word(token: str, segmenter, ranked: bool = True) -> Word:
    thesaurus = get_thesaurus()
    lexicon = segmenter.lexicon
    expansions = []
    for other, kind in thesaurus.expansions(token):
        tokens = tuple(dict.fromkeys(segmenter.query_words(other))) or (other,)
        if token not in tokens:
            expansions.append((tokens, kind))
    # Words the lexicon groups under this canonical form are indexed under it already.
    for member in lexicon.groups.get(token, []):
        for other, kind in thesaurus.expansions(member):
            tokens = tuple(dict.fromkeys(segmenter.query_words(other))) or (other,)
            if token not in tokens and (tokens, kind) not in expansions:
                expansions.append((tokens, RELATED if kind == RELATED else kind))
    near = thesaurus.near(token) if expansions else None
    parts = segmenter.compound_parts(token)
    literal = not segmenter.dictionary(token)
    if not parts and len(token) > 2 and CJK_RUN.fullmatch(token) and not segmenter.dictionary(token):
        parts = bigrams(token)  # a run of single characters: its literal character pairs
    return Word(
        token=token,
        expansions=tuple(dict.fromkeys(expansions)),
        parts=tuple(dict.fromkeys(parts)),
        ranked=ranked,
        literal=literal,
        read_as=near or "",
    )


def _reading(text: str, segmenter, ranked=None) -> tuple[Word, ...]:
    tokens = list(dict.fromkeys(segmenter.query_words(text)))
    return tuple(_word(t, segmenter, ranked=True if ranked is None else t in ranked) for t in tokens)


def _chunk(text: str, typed: str, segmenter) -> tuple[Chunk, list[str]]:
    lexicon = segmenter.lexicon
    readings = [_reading(text, segmenter)]
    grams = [tuple(dict.fromkeys(bigrams(text)))]
    surfaces = [text]
    pinyin = []
    if typed != text:
        # The query as typed is searched too: the converter turns some proper names into other
        # characters (硃碛 -> 朱碛). Only known variants rank: other words of the typed form would
        # make a traditional query rank differently from its simplified form.
        readings.append(_reading(typed, segmenter, ranked=set(lexicon.groups)))
        grams.append(tuple(dict.fromkeys(bigrams(typed))))
        surfaces.append(typed)
    if LETTERS.fullmatch(text):
        for term in pinyin_index().lookup(text):
            readings.append(_reading(term, segmenter))
            # Found as the word typed in characters would be: through its character pairs too
            # (bmfwzx finds the 43 cases 便民服务中心 finds, not only the 40 holding the word).
            grams.append(tuple(dict.fromkeys(bigrams(term))))
            surfaces.append(term)
            pinyin.append(term)
    elif CJK_RUN.fullmatch(text) and tuple(w.token for w in readings[0]) != (text,):
        # Words the segmenter split may together be (near) a concept's word: 手机办事 is one
        # character from 手机办理. Then the concept is another reading of the whole chunk.
        whole = _word(text, segmenter)
        if whole.expansions:
            readings.append((whole,))
    readings = [r for r in dict.fromkeys(readings) if r]
    grams = (
        [g for g in dict.fromkeys(grams) if g and tuple(w.token for w in readings[0]) != g]
        if readings
        else grams
    )
    for reading in readings:
        for word in reading:
            surfaces.append(word.token)
            surfaces += lexicon.groups.get(word.token, [])
            for tokens, _ in word.expansions:
                # A thesaurus word the index holds as several tokens (政务+电商) is marked by its
                # telling ones only: marking 政务 in every passage would say nothing.
                marked = tokens if len(tokens) == 1 else [t for t in tokens[1:] if len(t) > 1]
                surfaces += marked
                # How a case may write it (the index holds 帮办代办 for 帮代办): marked too, so a
                # case found through a thesaurus word shows the passage that holds it.
                surfaces += [form for t in marked for form in lexicon.groups.get(t, [])]
            surfaces += word.parts
    for word in segmenter.query_words(text, canonical=False):
        surfaces.append(word)
    chunk = Chunk(
        text=text, readings=tuple(readings), grams=tuple(g for g in grams if g), pinyin=tuple(pinyin)
    )
    return chunk, surfaces


@lru_cache(maxsize=2048)
def build_plan(query: str) -> QueryPlan:
    segmenter = get_segmenter()
    rewrite = segmenter.lexicon.rewrite
    simplified = _join_pinyin(_chunks(rewrite(fold(to_simplified(query)))))
    typed = _join_pinyin(_chunks(rewrite(fold(query))))
    if len(typed) != len(simplified):
        typed = simplified
    chunks, surfaces = [], []
    for text, typed_text in zip(simplified, typed, strict=True):
        chunk, chunk_surfaces = _chunk(text, typed_text, segmenter)
        if chunk.readings or chunk.grams:
            chunks.append(chunk)
            surfaces += chunk_surfaces
    long_surfaces = [s for s in dict.fromkeys(surfaces) if s and (len(s) > 1 or not CJK_RUN.fullmatch(s))]
    letters = "".join(simplified)
    return QueryPlan(
        chunks=tuple(chunks),
        surfaces=tuple(long_surfaces or dict.fromkeys(s for s in surfaces if s)),
        question=len(letters) >= LONG_QUERY
        or (len(letters) >= QUESTION_LENGTH and any(form in query for form in QUESTION_FORMS)),
    )
