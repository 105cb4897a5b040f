"""The detectors, each on plain strings, and ``audit`` that runs them all over a document's texts.

See ``cases.fidelity`` for what each detector finds.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from cases.source import (
    CAPTION,
    CN_NUM,
    ENUMERATION_MARKERS,
    enumeration_number,
    is_closed,
    is_standalone_subheading,
)

DETECTORS = ("latin", "enumeration", "cut_sentence", "character", "name_variant")

LATIN_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")
HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# Enumerations for the layout check: the markers that run inline, and （一） / （1） sub-points.
LIST_MARKERS = {
    **ENUMERATION_MARKERS,
    "（一）": re.compile(rf"（([{CN_NUM}])）"),
    "（1）": re.compile(r"（([1-9]\d?)）"),
}
# A paragraph cannot open with these: it continues a sentence the page break cut.
CONTINUATION_OPENERS = "，。、；：？！）》”’…,.;:?!)"
QUOTED_NAME = re.compile(r"“([^“”\n]{2,20})”|《([^《》\n]{2,40})》")
SEPARATORS = re.compile(r"[\s·•・、，,]")
NUMERALS = set(CN_NUM + "百千万0123456789")
# Suffixes of place names: a variant differs in the name proper, not in the level (罗江区/罗江县).
PLACE_SUFFIXES = ("街道", "社区", "市", "州", "县", "区", "镇", "乡", "村")


@dataclass(frozen=True)
class Finding:
    detector: str  # one of DETECTORS
    key: str  # what a reviewed decision is filed under: the word, the character, "a｜b", an excerpt
    where: str  # e.g. "优秀案例第34号 导语"
    excerpt: str = ""  # the text around a word or character
    note: str = ""


@dataclass
class TextBlock:
    """Some text of the document: one string, or the paragraphs of one section in order."""

    where: str
    paragraphs: list[str]
    prose: bool = True  # sentences (paragraphs), not names or titles


# --- the detectors, each on plain strings ---------------------------------------------------------


def latin_words(text: str) -> list[str]:
    """Runs of Latin letters in a text that is Chinese (has Han characters): 'APP', 'and', 'e'."""
    if not HAN_CHAR.search(text):
        return []
    return LATIN_WORD.findall(text)


def enumeration_splits(paragraphs: list[str]) -> list[list[str]]:
    """Lists whose items are split between paragraphs unlike the rest of the list.

    A list is a run of markers 1, 2, 3 … of one kind; it is consistent when all its items run in one
    paragraph, or when every item from the second on opens a paragraph of its own. Each mixed list
    is returned as the openings of its items ("一是建立…", "二是编制…", "三是创新…").
    """
    mixed = []
    for pattern in LIST_MARKERS.values():
        lists: list[list[tuple[int, int, int]]] = []
        for index, paragraph in enumerate(paragraphs):
            for marker in pattern.finditer(paragraph):
                item = (enumeration_number(marker), index, marker.start())
                if item[0] == 1:
                    lists.append([item])
                elif lists and lists[-1][-1][0] == item[0] - 1:
                    lists[-1].append(item)
        for items in lists:
            if len(items) < 2:
                continue
            same_paragraph = all(index == items[0][1] for _, index, _ in items)
            each_opens_one = all(start == 0 for _, _, start in items[1:]) and len(
                {index for _, index, _ in items}
            ) == len(items)
            if not (same_paragraph or each_opens_one):
                mixed.append([paragraphs[index][start : start + 12] for _, index, start in items])
    return mixed


def cut_sentences(paragraphs: list[str]) -> list[str]:
    """Paragraphs a page break cut: ending without closing a sentence (not a sub-heading or a
    caption), or opening with punctuation that continues one. Returns excerpts ("…末尾" / "开头…")."""
    found = []
    for paragraph in paragraphs:
        if not (is_closed(paragraph) or is_standalone_subheading(paragraph) or CAPTION.match(paragraph)):
            found.append("…" + paragraph[-16:])
        if paragraph[:1] in CONTINUATION_OPENERS:
            found.append(paragraph[:16] + "…")
    return found


def in_gb2312(char: str) -> bool:
    """In GB 2312 as GB 18030 maps it (so · U+00B7 and — U+2014 count, which Python's gb2312 codec
    maps to other code points)."""
    if char.isascii():
        return True
    try:
        encoded = char.encode("gb18030")
        encoded.decode("gb2312")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return len(encoded) == 2


@lru_cache(maxsize=1)
def _to_simplified():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=20000)
def _simplified(char: str) -> str:
    return _to_simplified().convert(char)


def unusual_characters(text: str) -> list[tuple[str, str]]:
    """(character, what) for each character outside GB 2312 or in a traditional form (硃: both)."""
    found = []
    for char in dict.fromkeys(text):
        what = []
        if not in_gb2312(char):
            what.append("不在 GB 2312 内")
        if HAN_CHAR.match(char) and (simplified := _simplified(char)) != char:
            what.append(f"繁体（简体作{simplified}）")
        if what:
            found.append((char, "，".join(what)))
    return found


def _one_edit_apart(a: str, b: str) -> bool:
    """One character substituted (not one numeral for another: 三个一/五个一), or, for names of four
    characters and more, one inserted or dropped inside (一次告知/一次性告知; not 首问负责/首问负责制,
    which is a longer term, not another spelling)."""
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 and not (a[diff[0]] in NUMERALS and b[diff[0]] in NUMERALS)
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) != 1 or len(short) < 4:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(1, len(long) - 1))


def _same_but_form(a: str, b: str) -> bool:
    """Differ only in letter case or separators (我为群众办实事 一站办结解民忧 / …·…; qq/QQ)."""
    return a != b and SEPARATORS.sub("", a).casefold() == SEPARATORS.sub("", b).casefold()


def pair_key(a: str, b: str) -> str:
    return "｜".join(sorted((a, b)))


def quoted_names(text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in QUOTED_NAME.finditer(text)]


def name_variants(texts: list[str], lexicon: set[str]) -> list[tuple[str, str]]:
    """Pairs (a, b) that look like one name written two ways; see the module docstring.

    ``lexicon`` holds the reviewed unit and place names (distinct by definition: two of them are
    never a finding). Pairs come sorted, each once.
    """
    names = {n for t in texts for n in quoted_names(t)} | lexicon
    candidates = sorted(n for n in names if len(n) >= 3)
    # Buckets instead of comparing every pair: names that match with one character blanked out,
    # with one inner character dropped, or once separators and letter case are gone.
    buckets: dict[tuple, set[str]] = {}
    for name in candidates:
        keys = [("sub", name[:i] + "\0" + name[i + 1 :]) for i in range(len(name))]
        keys.append(("form", SEPARATORS.sub("", name).casefold()))
        keys += [("del", name[:i] + name[i + 1 :]) for i in range(1, len(name) - 1)]
        keys.append(("del", name))
        for key in keys:
            buckets.setdefault(key, set()).add(name)
    pairs = set()
    for group in buckets.values():
        for a, b in itertools.combinations(sorted(group), 2):
            if not (a in lexicon and b in lexicon) and (_one_edit_apart(a, b) or _same_but_form(a, b)):
                pairs.add((a, b))
    full = "\n".join(texts)
    # Latin words by case: the same word in two cases (QQ / qq; single letters are not words).
    words: dict[str, set[str]] = {}
    for word in (w for w in LATIN_WORD.findall(full) if len(w) > 1):
        words.setdefault(word.casefold(), set()).add(word)
    for forms in words.values():
        pairs |= {tuple(sorted(p)) for p in itertools.combinations(sorted(forms), 2)}
    # Unit and place names against every string of the text one character off them, except strings
    # inside an occurrence of a reviewed name (流井区 in 自流井区).
    reach = [0] * (len(full) + 1)
    for name in lexicon:
        for match in re.finditer(re.escape(name), full):
            reach[match.start()] = max(reach[match.start()], match.end())
    for i in range(1, len(reach)):
        reach[i] = max(reach[i], reach[i - 1])
    for name in sorted(n for n in lexicon if len(n) >= 3):
        suffix = next((s for s in PLACE_SUFFIXES if name.endswith(s) and len(name) > len(s) + 1), "")
        for i in range(len(name) - len(suffix)):
            for start in _windows(full, name[:i], name[i + 1 :]):
                end = start + len(name)
                window, changed = full[start:end], full[start + i]
                if window in lexicon or reach[start] >= end or not HAN_CHAR.match(changed):
                    continue
                if not (changed in NUMERALS and name[i] in NUMERALS):
                    pairs.add(tuple(sorted((name, window))))
    return sorted(pairs)


def _windows(text: str, before: str, after: str) -> list[int]:
    """Starts of the strings ``before`` + any one character + ``after`` in ``text`` (overlapping),
    found from the rarer of the two fixed parts."""
    size = len(before) + 1 + len(after)
    use_before = bool(before) and (not after or text.count(before) <= text.count(after))
    piece, offset = (before, 0) if use_before else (after, len(before) + 1)
    starts, at = [], text.find(piece)
    while at != -1:
        start = at - offset
        window = text[start : start + size] if start >= 0 else ""
        if len(window) == size and window.startswith(before) and window.endswith(after):
            starts.append(start)
        at = text.find(piece, at + 1)
    return starts


# --- over a whole document ------------------------------------------------------------------------


@dataclass
class Audit:
    findings: list[Finding] = field(default_factory=list)

    def by_detector(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {d: [] for d in DETECTORS}
        for finding in self.findings:
            grouped[finding.detector].append(finding)
        return grouped


def audit(blocks: Iterable[TextBlock], lexicon: set[str]) -> Audit:
    """Run every detector over ``blocks``; the name check compares across all of them at once."""
    blocks = list(blocks)
    findings: list[Finding] = []
    for block in blocks:
        for text in block.paragraphs:
            if latin_words(text):
                findings += [
                    Finding("latin", m.group(), block.where, _around(text, m.start(), m.end()))
                    for m in LATIN_WORD.finditer(text)
                ]
            for char, what in unusual_characters(text):
                findings += [
                    Finding("character", char, block.where, _around(text, m.start(), m.end()), what)
                    for m in re.finditer(re.escape(char), text)
                ]
        if block.prose:
            findings += [
                Finding("enumeration", "／".join(s), block.where)
                for s in enumeration_splits(block.paragraphs)
            ]
            findings += [Finding("cut_sentence", e, block.where) for e in cut_sentences(block.paragraphs)]
    texts = [t for b in blocks for t in b.paragraphs]
    where = {}
    for block in blocks:
        for text in block.paragraphs:
            where.setdefault(text, block.where)
    full = "\n".join(texts)
    for a, b in name_variants(texts, lexicon):
        # Filed where the rarer form stands: that is usually the one to look at.
        rarer = min((a, b), key=lambda form: full.count(form) or len(full))
        place = next((where[t] for t in texts if rarer in t), "")
        findings.append(Finding("name_variant", pair_key(a, b), place, note=f"较少见的写法：{rarer}"))
    # One finding per detector, key, place and context: a word used ten times in one sentence is one.
    return Audit(list(dict.fromkeys(findings)))


def _around(text: str, start: int, end: int) -> str:
    return text[max(start - 8, 0) : end + 8]
