"""The name detector: one name written two ways (see ``cases.fidelity`` for the kinds it finds).

Pure functions on strings, no Django.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from cases.source import CN_NUM

LATIN_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")
HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
QUOTED_NAME = re.compile(r"“([^“”\n]{2,20})”|《([^《》\n]{2,40})》")
SEPARATORS = re.compile(r"[\s·•・、，,]")
NUMERALS = set(CN_NUM + "百千万0123456789")
# Suffixes of place names: a variant differs in the name proper, not in the level (罗江区/罗江县).
PLACE_SUFFIXES = ("街道", "社区", "市", "州", "县", "区", "镇", "乡", "村")


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
    """Pairs (a, b) that look like one name written two ways; see ``cases.fidelity``.

    ``lexicon`` holds the reviewed names: units (full and short), places, brands (distinct by
    definition: two of them are never a finding). Pairs come sorted, each once.
    """
    full = "\n".join(texts)
    quoted = Counter(n for t in texts for n in quoted_names(t))
    places = places_in_text(full, lexicon)
    pairs = _close_pairs(set(quoted) | lexicon | places, lexicon)
    pairs |= _rare_forms(quoted, full, lexicon)
    pairs |= _latin_cases(full)
    pairs |= _in_running_text(full, lexicon)
    return sorted(pairs)


def _close_pairs(names: set[str], lexicon: set[str]) -> set[tuple[str, str]]:
    """Names one substitution (or, from four characters, one inner insertion) apart, or differing
    only in separators and letter case."""
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
    return pairs


def _rare_forms(quoted: Counter, full: str, lexicon: set[str]) -> set[tuple[str, str]]:
    """A quoted name the document writes at most twice against an established name (a reviewed
    name, or one quoted three times or more) that it misses by one character inserted or dropped
    anywhere (网上一办/网上办), or by one dropped and another added (一事情/一件事: 件 dropped)."""
    established = sorted({n for n, count in quoted.items() if count >= 3} | lexicon)
    by_length: dict[int, list[str]] = {}
    for name in established:
        by_length.setdefault(len(name), []).append(name)
    pairs = set()
    for rare in (n for n in quoted if len(n) >= 3 and full.count(n) <= 2 and n not in lexicon):
        for size in (len(rare) - 1, len(rare), len(rare) + 1):
            for name in by_length.get(size, []):
                if name != rare and _rare_variant(rare, name):
                    pairs.add(tuple(sorted((rare, name))))
    return pairs


def _rare_variant(a: str, b: str) -> bool:
    if a in b or b in a or min(len(a), len(b)) < 3:
        return False  # a longer term (首问负责/首问负责制), not another spelling
    if len(a) != len(b):
        short, long = sorted((a, b), key=len)
        return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
    if sorted(a) == sorted(b):
        return False  # the same characters reordered (帮代办/代帮办): two usages, not a slip
    # One character dropped and another added elsewhere: deleting one from each leaves the same.
    return any(
        a[:i] + a[i + 1 :] == b[:j] + b[j + 1 :] for i in range(len(a)) for j in range(len(b)) if i != j
    )


def _latin_cases(full: str) -> set[tuple[str, str]]:
    """The same Latin word in two cases (QQ / qq; single letters are not words)."""
    words: dict[str, set[str]] = {}
    for word in (w for w in LATIN_WORD.findall(full) if len(w) > 1):
        words.setdefault(word.casefold(), set()).add(word)
    return {tuple(sorted(p)) for forms in words.values() for p in itertools.combinations(sorted(forms), 2)}


PLACE_AFTER = re.compile(r"[\u4e00-\u9fff]{2,5}?(?:街道|社区|镇|乡|村)")


def places_in_text(full: str, lexicon: set[str]) -> set[str]:
    """Townships and villages the running text names right after a reviewed place (筠连县腾达镇春风村:
    腾达镇, then 春风村; 宝兴县硗碛藏族乡), compared like quoted names."""
    anchors = sorted((n for n in lexicon if n.endswith(PLACE_SUFFIXES)), key=len, reverse=True)
    found: set[str] = set()
    for anchor in anchors:
        for match in re.finditer(re.escape(anchor), full):
            place = PLACE_AFTER.match(full, match.end())
            if place:
                found.add(place.group())
    return found - lexicon


def _in_running_text(full: str, lexicon: set[str]) -> set[tuple[str, str]]:
    """Reviewed names against every string of the text one character off them (one substituted,
    or, in names of five characters and more, one dropped or added inside), except strings inside
    an occurrence of a reviewed name (流井区 in 自流井区)."""
    reach = [0] * (len(full) + 1)
    for name in lexicon:
        for match in re.finditer(re.escape(name), full):
            reach[match.start()] = max(reach[match.start()], match.end())
    for i in range(1, len(reach)):
        reach[i] = max(reach[i], reach[i - 1])
    pairs = set()

    def add(name: str, start: int, end: int) -> None:
        window = full[start:end]
        if window not in lexicon and reach[start] < end:
            pairs.add(tuple(sorted((name, window))))

    for name in sorted(n for n in lexicon if len(n) >= 3):
        suffix = next((s for s in PLACE_SUFFIXES if name.endswith(s) and len(name) > len(s) + 1), "")
        for i in range(len(name) - len(suffix)):
            for start in _windows(full, name[:i], name[i + 1 :]):
                changed = full[start + i]
                if HAN_CHAR.match(changed) and not (changed in NUMERALS and name[i] in NUMERALS):
                    add(name, start, start + len(name))
        if len(name) < 5:
            continue
        for i in range(1, len(name) - 1):
            # One added inside: name[:i] + any + name[i:]; one dropped: name without name[i].
            for start in _windows(full, name[:i], name[i:]):
                if HAN_CHAR.match(full[start + i]):
                    add(name, start, start + len(name) + 1)
            dropped = name[:i] + name[i + 1 :]
            for match in re.finditer(re.escape(dropped), full):
                add(name, match.start(), match.end())
    return pairs


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
