"""Typo correction: the nearest word the index holds, by characters and by pinyin.

    Corrector(vocabulary).correct(text) -> str | None

``vocabulary`` maps words (the lexicon's places, brands and policy terms, the concepts' words and
the index's own words) to how many cases hold them; only words some case holds are offered.
A correction must be close, so an unrelated word is never offered (量子计算 is not 中子):

- same pinyin (帮班代办 -> 帮办代办, 便民服物 -> 便民服务): the commonest typo of pinyin input;
- or one character changed (Levenshtein distance 1, rapidfuzz) where the two characters sound
  alike (彭三 -> 彭山: san/shan), or, in a word of four characters or more, any one character
  changed, added or left out.

A longer text may also be corrected piece by piece (``correct_pieces``: a window of 2 to 6
characters, longest first, by pinyin only), so 凉山帮班代办 becomes 凉山帮办代办.

Whether a correction is searched unasked or only offered ("您是不是要找") is ``is_sure``: close by
characters and sound, and never a common word turned into another (复员 is not a slip of 幅员).
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections import defaultdict
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from cases.search.pinyin import char_readings, loose, sound_the_same
from cases.search.text import CJK_RUN

SHORTEST, LONGEST = 2, 12
MAX_WINDOW = 6
MIN_WINDOW = 3  # texts shorter than this are corrected whole only
# A word jieba's dictionary counts at least this often is a real word: never corrected unasked
# (rarer entries are often slips or fragments: 申批 3, 报消 0).
COMMON_WORD = 10
# From this length one changed character is close whatever it sounds like (a slip of the eye or
# of handwriting input in a long word); shorter words need the same sound.
LONG_WORD = 4


def sound(word: str) -> str:
    """The word's pinyin, one reading per character, toneless."""
    return "".join((char_readings(ch) or (ch,))[0] for ch in word)


def sounds_alike(a: str, b: str) -> bool:
    """Whether two characters share a reading, allowing the confusions in _FUZZY."""
    ra, rb = set(char_readings(a)), set(char_readings(b))
    if ra & rb:
        return True
    return bool({loose(r) for r in ra} & {loose(r) for r in rb})


def _one_change_is_close(text: str, word: str) -> bool:
    if len(text) == len(word):
        changed = [(x, y) for x, y in zip(text, word, strict=True) if x != y]
        if len(changed) != 1:
            return False
        return len(text) >= 4 or sounds_alike(*changed[0])
    # A character added or left out: only in longer words, where the rest says enough.
    return min(len(text), len(word)) >= 4


def _toneless(reading: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", reading) if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _characters_by_reading() -> dict[str, str]:
    """Common ideographs (U+4E00-U+9FFF) by each of their toneless readings."""
    found: dict[str, list[str]] = defaultdict(list)
    for code, readings in pinyin_dict.items():
        if 0x4E00 <= code <= 0x9FFF:
            for reading in {_toneless(r) for r in readings.split(",")}:
                found[reading].append(chr(code))
    return {reading: "".join(chars) for reading, chars in found.items()}


def same_sound_characters(ch: str) -> str:
    readings = {_toneless(r) for r in pinyin_dict.get(ord(ch), "").split(",") if r}
    table = _characters_by_reading()
    return "".join(dict.fromkeys(c for r in readings for c in table.get(r, "") if c != ch))


class Corrector:
    def __init__(self, vocabulary: dict[str, int], is_word=None) -> None:
        """``is_word(text)``: how common a general dictionary says ``text`` is (0: unknown), for
        pieces the library lacks, e.g. 报销 in 医保报消."""
        self.is_word = is_word or (lambda text: 0)
        self.counts = {w: n for w, n in vocabulary.items() if n > 0 and SHORTEST <= len(w) <= LONGEST}
        self._by_sound: dict[str, list[str]] = defaultdict(list)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(self.counts, key=lambda w: (-self.counts[w], w)):
            self._by_sound[sound(word)].append(word)
            self._by_length[len(word)].append(word)

    def _best(self, candidates: list[str]) -> str | None:
        return max(candidates, key=lambda w: (self.counts[w], w)) if candidates else None

    def correct_whole(self, text: str) -> str | None:
        """The known word nearest to the whole ``text``, when it is close (see the module)."""
        if text in self.counts or not CJK_RUN.fullmatch(text) or not SHORTEST <= len(text) <= LONGEST:
            return None
        homophones = [w for w in self._by_sound.get(sound(text), ()) if w != text and len(w) == len(text)]
        if homophones:
            return self._best(homophones)
        pool = list(self._by_length[len(text)])
        if len(text) >= 4:
            pool += self._by_length[len(text) - 1] + self._by_length[len(text) + 1]
        near = process.extract(text, pool, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
        return self._best([w for w, _, _ in near if _one_change_is_close(text, w)])

    def correct(self, text: str) -> str | None:
        """The corrected text, or None when nothing close is known."""
        return self.correct_whole(text) or self.correct_pieces(text)

    def correct_pieces(self, text: str, unknown=()) -> str | None:
        """``text`` with one unknown piece (2 to 6 characters, longest first) replaced by a known
        word of the same pinyin; or one of the ``unknown`` two-character words of the text (what
        the segmenter could not cut) with one character changed to a dictionary word of the same
        sound: 医保报消 -> 医保报销. Weaker evidence than a whole match, so the engine uses it
        only when the corrected query finds cases."""
        if len(text) < MIN_WINDOW or not CJK_RUN.fullmatch(text):
            return None
        for size in range(min(MAX_WINDOW, len(text) - 1), 1, -1):
            for start in range(len(text) - size + 1):
                window = text[start : start + size]
                if window in self.counts:
                    continue
                homophones = [
                    w
                    for w in self._by_sound.get(sound(window), ())
                    if w != window and (size > 2 or sum(a != b for a, b in zip(w, window, strict=True)) == 1)
                ]
                if homophones:
                    return text[:start] + self._best(homophones) + text[start + size :]
        for piece in unknown:
            if len(piece) != 2 or piece not in text or self.is_word(piece) or not CJK_RUN.fullmatch(piece):
                continue
            # A two-character slip of pinyin input to a dictionary word (报消 -> 报销): the
            # commonest word one same-sounding character away.
            words = [
                piece[:index] + ch + piece[index + 1 :]
                for index in (0, 1)
                for ch in same_sound_characters(piece[index])
            ]
            known = [w for w in words if self.is_word(w)]
            if known:
                return text.replace(piece, max(known, key=lambda w: (self.is_word(w), w)), 1)
        return None


def is_close(original: str, fixed: str) -> bool:
    """Close enough to offer: at most half the characters changed, each to one that sounds alike
    (模特 is not 模式); or, in a text of four characters or more, one added or left out."""
    if len(original) != len(fixed):
        return min(len(original), len(fixed)) >= 4 and Levenshtein.distance(original, fixed) == 1
    changed = [(a, b) for a, b in zip(original, fixed, strict=True) if a != b]
    if len(changed) == 1 and len(original) >= LONG_WORD:
        return True  # one character of four or more: the rest says enough (宅基地审枇)
    return 0 < len(changed) <= max(1, len(original) // 2) and all(sound_the_same(a, b) for a, b in changed)


def is_sure(original: str, fixed: str, words: list[str], is_word) -> bool:
    """Whether a correction may be used without asking: close by characters AND by sound (the
    same length, at most one changed character in four, each changed pair sounding alike; in a
    text of LONG_WORD characters or more one changed character need not sound alike) and
    no word of the original that the change touches is a common word (``is_word`` at least
    COMMON_WORD: 复员, 失业, 晚上 are words a reader meant, not slips of 幅员, 事业, 网上).
    ``words``: the original cut into words (their order), to find the words the change touches.
    Anything else is only offered as a suggestion."""
    if len(original) != len(fixed) or original == fixed:
        return False
    changed = [i for i, (a, b) in enumerate(zip(original, fixed, strict=True)) if a != b]
    if len(changed) > max(1, len(original) // 4):
        return False
    alike = all(sound_the_same(original[i], fixed[i]) for i in changed)
    if not alike and not (len(changed) == 1 and len(original) >= LONG_WORD):
        return False
    at = 0
    for word in words:
        start = original.find(word, at)
        if start < 0:
            continue
        at = start + len(word)
        touched = any(start <= i < at for i in changed)
        if touched and len(word) > 1 and is_word(word) >= COMMON_WORD:
            return False
    return True


_cache: dict[str, tuple[float, Corrector]] = {}
_lock = threading.Lock()
# The index's words change with edits; a corrector older than this is rebuilt.
MAX_AGE = 600.0


def corrector_for(alias: str, load, is_word=None) -> Corrector:
    """The process's corrector for a database (``load()`` -> vocabulary), rebuilt when stale."""
    now = time.monotonic()
    cached = _cache.get(alias)
    if cached and now - cached[0] < MAX_AGE:
        return cached[1]
    with _lock:
        cached = _cache.get(alias)
        if cached and now - cached[0] < MAX_AGE:
            return cached[1]
        corrector = Corrector(load(), is_word)
        _cache[alias] = (now, corrector)
        return corrector


def forget() -> None:
    """Drop the cached correctors (after the index changed a lot, e.g. in tests)."""
    _cache.clear()
