"""The detectors, each on plain strings, and ``audit`` that runs them all over a document's texts.

See ``cases.fidelity`` for what each detector finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from cases.fidelity.names import LATIN_WORD, name_variants, pair_key
from cases.source import (
    CAPTION,
    CN_NUM,
    ENUMERATION_MARKERS,
    enumeration_number,
    is_closed,
    is_standalone_subheading,
)

DETECTORS = ("latin", "enumeration", "cut_sentence", "character", "name_variant")

HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# Enumerations for the layout check: the markers that run inline, and （一） / （1） sub-points.
LIST_MARKERS = {
    **ENUMERATION_MARKERS,
    "（一）": re.compile(rf"（([{CN_NUM}])）"),
    "（1）": re.compile(r"（([1-9]\d?)）"),
}
# A paragraph cannot open with these: it continues a sentence the page break cut.
CONTINUATION_OPENERS = "，。、；：？！）》”’…,.;:?!)"


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
