"""Text folding shared by the index and the query: character classes, width and case folding,
radicals, token length, character pairs. A leaf of the search package.

Whatever reaches a token goes through ``fold`` (stored text and queries alike), so a form that
folds here is found in both directions: full-width letters, compatibility ideographs (NFKC),
Kangxi radicals (NFKC) and the CJK Radicals Supplement and strokes (``data/radicals.txt``, from
Unicode's EquivalentUnifiedIdeograph), e.g. 便⺠服务 (U+2EA0) reads as 便民服务.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# CJK unified ideographs incl. extension A-H, compatibility ideographs, and the radicals blocks
# (a radical without an equivalent ideograph stays a character of the word it is in).
CJK_CLASS = "\u2e80-\u2eff\u2f00-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
TOKEN_RE = re.compile(f"[{CJK_CLASS}]+|[0-9a-z]+")
IS_TOKEN = re.compile(f"(?:[{CJK_CLASS}]+|[0-9a-z]+)")

# Longest token kept, in characters. PostgreSQL refuses a tsvector lexeme over 2,047 bytes ("word
# is too long"), so a pasted blob (base64, a long URL) would make a case unsavable; the index and
# the query cut every token here alike, so a query for the blob's start still finds it.
MAX_TOKEN_LENGTH = 100

_DATA = Path(__file__).resolve().parent / "data" / "radicals.txt"


def _radicals() -> dict[int, str]:
    table = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            radical, ideograph = line.split()
            table[ord(radical)] = ideograph
    return table


RADICALS = _radicals()


def normalize(text: str) -> str:
    """NFKC (full-width forms, compatibility ideographs, Kangxi radicals) and the radicals
    supplement read as the ideographs they stand for. Case is kept."""
    return unicodedata.normalize("NFKC", text or "").translate(RADICALS)


def fold(text: str) -> str:
    """``normalize`` and case folded: the form every token is made from."""
    return normalize(text).casefold()


def fold_in_place(text: str) -> str:
    """``fold`` one character at a time, keeping the length, so positions found in the result are
    positions in ``text`` (for marking matches in stored passages)."""
    out = []
    for ch in text:
        folded = fold(ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def clip_token(token: str) -> str:
    return token[:MAX_TOKEN_LENGTH]


def bigrams(text: str) -> list[str]:
    """Overlapping CJK character pairs: the recall safety net for any literal substring."""
    pairs = []
    for run in CJK_RUN.findall(fold(text)):
        pairs += [run[i : i + 2] for i in range(len(run) - 1)]
    return pairs
