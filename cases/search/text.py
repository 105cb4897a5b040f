"""Text folding shared by the index and the query: character classes, width and case folding,
character pairs. A leaf of the search package."""

from __future__ import annotations

import re
import unicodedata

# CJK unified ideographs incl. extension A-H and compatibility ideographs.
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
TOKEN_RE = re.compile(f"[{CJK_CLASS}]+|[0-9a-z]+")
IS_TOKEN = re.compile(f"(?:[{CJK_CLASS}]+|[0-9a-z]+)")


def fold(text: str) -> str:
    """Full-width to half-width, compatibility forms to their base characters, case folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def bigrams(text: str) -> list[str]:
    """Overlapping CJK character pairs: the recall safety net for any literal substring."""
    pairs = []
    for run in CJK_RUN.findall(fold(text)):
        pairs += [run[i : i + 2] for i in range(len(run) - 1)]
    return pairs
