"""Pinyin for the lexicon's words: a reader may type pengshan, peng shan, ywtb or yiwangtongban.

    PinyinIndex(words).lookup(key) -> [word, ...]    full pinyin (spaces dropped) or initials
    PinyinIndex.complete(prefix) -> [word, ...]      words whose pinyin starts with ``prefix``
    reading(word) -> str                             toneless pinyin, for typo correction

Keys come from pypinyin, with every reading of a character that has several (长宁: changning and
zhangning), so a reader's right reading is never missing; initials are keys only from three
letters up (two letters name too many words).
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

MIN_INITIALS = 3
MAX_READINGS = 8  # readings kept per word when its characters have several
LETTERS = re.compile(r"[a-z]+")


@lru_cache(maxsize=20_000)
def char_readings(ch: str) -> tuple[str, ...]:
    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(readings[0])) if readings else ()


# (from, to) sound pairs readers' pinyin input confuses (Sichuan speakers especially: n/l, s/sh).
_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("ing", "in"), ("eng", "en"), ("ang", "an"))


def loose(syllable: str) -> str:
    """A syllable with the confusions of _FUZZY folded (shan -> san, ling -> nin)."""
    for a, b in _FUZZY:
        if syllable.startswith(a) and a in ("zh", "ch", "sh", "l"):
            syllable = b + syllable[len(a) :]
        elif syllable.endswith(a) and a in ("ing", "eng", "ang"):
            syllable = syllable[: -len(a)] + b
    return syllable


def sound_the_same(a: str, b: str) -> bool:
    """Whether two characters' main readings (pypinyin's first) are alike, allowing the
    confusions in _FUZZY: stricter than ``sounds_alike``, which any rare reading satisfies
    (式 has a reading te, so 模特 would "sound like" 模式)."""
    ra, rb = char_readings(a), char_readings(b)
    return bool(ra and rb) and loose(ra[0]) == loose(rb[0])


def reading(word: str) -> str:
    """Toneless pinyin of ``word`` as pypinyin reads it in context (乐山 -> leshan)."""
    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


def _readings(word: str) -> list[list[str]]:
    """Syllables of each reading: the contextual one first, then other combinations."""
    first = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
    if len(first) != len(word):
        return [first] if first else []
    options = [char_readings(ch) or (syllable,) for ch, syllable in zip(word, first, strict=True)]
    combos = [first]
    for combo in itertools.islice(itertools.product(*options), MAX_READINGS):
        if list(combo) != first:
            combos.append(list(combo))
    return combos


def word_keys(word: str) -> set[str]:
    """Full pinyin of every reading, and initials from MIN_INITIALS letters of the contextual
    reading only (yas is 雅安市, not 广安市 through 广's rare reading yan)."""
    keys = set()
    for index, syllables in enumerate(_readings(word)):
        keys.add("".join(syllables))
        if index == 0 and len(syllables) >= MIN_INITIALS:
            keys.add("".join(s[0] for s in syllables))
    return {k for k in keys if LETTERS.fullmatch(k)}


def spelled_keys(word: str) -> set[str]:
    """The full pinyin and the initials of the contextual reading: what a completion must start
    with (peng is 彭山, not 逢场天 through 逢's rare reading)."""
    readings = _readings(word)
    if not readings:
        return set()
    keys = {"".join(readings[0])}
    if len(readings[0]) >= MIN_INITIALS:
        keys.add("".join(s[0] for s in readings[0]))
    return {k for k in keys if LETTERS.fullmatch(k)}


class PinyinIndex:
    """Words by their pinyin keys, for exact lookup and prefix completion."""

    def __init__(self, words) -> None:
        self._by_key: dict[str, list[str]] = {}
        self._spelled: dict[str, list[str]] = {}
        for word in sorted(set(words), key=lambda w: (len(w), w)):
            for key in word_keys(word):
                self._by_key.setdefault(key, []).append(word)
            for key in spelled_keys(word):
                self._spelled.setdefault(key, []).append(word)
        self._keys = sorted(self._spelled)

    def lookup(self, key: str) -> list[str]:
        return list(self._by_key.get(key.replace(" ", "").lower(), ()))

    def complete(self, prefix: str, limit: int = 10) -> list[str]:
        prefix = prefix.replace(" ", "").lower()
        if len(prefix) < 2:
            return []
        found: list[str] = []
        start = bisect.bisect_left(self._keys, prefix)
        for key in self._keys[start:]:
            if not key.startswith(prefix):
                break
            found += [w for w in self._spelled[key] if w not in found]
            if len(found) >= 4 * limit:
                break
        return sorted(found, key=lambda w: (len(w), w))[:limit]
