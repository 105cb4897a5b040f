"""Which reviewed decision covers a finding: a correction (cases.reference) or checked and kept
(cases.reference_checked)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from awards.reference import PREFECTURES, UNIT_ALIASES, UNIT_PLACES
from cases import reference_checked as checked
from cases.fidelity.detectors import Finding
from cases.reference import BRANDS, SPELLING_VARIANTS, TEXT_FIXES

VILLAGE = re.compile(r".+?(?:社区|村)")


def reviewed_lexicon() -> set[str]:
    """The names of the reference data: units (and their aliases, and their short forms without the
    prefecture: 射洪市行政审批局), counties, townships, villages, prefectures, and the brands the
    text names (cases.reference.BRANDS). Two of them are never a finding: they were checked to be
    distinct."""
    names = set(UNIT_PLACES) | {p for place in UNIT_PLACES.values() for p in place[1:3] if p}
    prefectures = {n for prefecture in PREFECTURES for n in prefecture[1:3]}
    names |= prefectures
    for aliases in UNIT_ALIASES.values():
        names |= set(aliases)
    for unit, (_code, county, township, level) in UNIT_PLACES.items():
        for prefecture in prefectures:
            short = unit.removeprefix(prefecture)
            if short != unit and county and short.startswith(county) and len(short) > len(county) + 2:
                names.add(short)
        if level == "village" and township in unit and (village := VILLAGE.match(unit.split(township, 1)[1])):
            names.add(village.group())
    return names | set(BRANDS)


def _as_used(text: str) -> str:
    for variant, official, _ in SPELLING_VARIANTS:
        text = text.replace(variant, official)
    return text


def explanation(finding: Finding) -> str | None:
    """The reviewed decision that covers ``finding``, or None.

    "kept: …" for what cases.reference_checked keeps; "corrected: …" for what cases.reference
    corrects (the text shown no longer has it; an erratum records it).
    """
    kept = {
        "latin": checked.KEPT_LATIN,
        "character": checked.KEPT_CHARACTERS,
        "enumeration": checked.KEPT_ENUMERATIONS,
        "cut_sentence": checked.KEPT_OPEN_PARAGRAPHS,
        "name_variant": checked.DISTINCT_NAMES,
    }[finding.detector]
    if finding.key in kept:
        return "kept: " + kept[finding.key]
    fixes = [(v, o) for v, o, _ in SPELLING_VARIANTS] + [(f[0], f[1]) for f in TEXT_FIXES]
    if finding.detector == "name_variant":
        a, b = finding.key.split("｜")
        for variant, official in fixes:
            if variant.replace(a, b) == official or variant.replace(b, a) == official:
                return f"corrected: {variant} → {official}"
            if a.replace(variant, official) == b or b.replace(variant, official) == a:
                return f"corrected: {variant} → {official}"
        if _as_used(a) == _as_used(b):
            return f"corrected: {a}、{b} → {_as_used(a)}"
    if finding.detector in ("latin", "character"):
        # The correction must be the one at this place: its original stands around the finding.
        at = finding.excerpt.find(finding.key)
        for variant, official in fixes:
            if finding.key not in variant or finding.key in official:
                continue
            offset = variant.find(finding.key)
            before = min(at, offset, 2)
            after = min(len(finding.excerpt) - at, len(variant) - offset) - len(finding.key)
            after = min(after, 2)
            context = finding.excerpt[at - before : at + len(finding.key) + after]
            if context in variant:
                return f"corrected: {variant} → {official}"
    return None


def unexplained(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if explanation(f) is None]
