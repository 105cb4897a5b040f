"""Passages of a case's text that match a query, with the matches marked."""

from __future__ import annotations

import re

from django.utils.html import escape

from cases.search.query import build_plan, normalize_query


def _case_paragraphs(case) -> list[str]:
    paragraphs = [case.summary] if case.summary else []
    for section in case.sections.all():
        for paragraph in section.paragraphs:
            if paragraph and paragraph != case.summary:
                paragraphs.append(paragraph)
    return paragraphs


def highlight(case, raw_query: str | None, limit: int = 3, width: int = 110) -> list[str]:
    query, _ = normalize_query(raw_query)
    if not query or limit <= 0:
        return []
    surfaces = build_plan(query).surfaces
    long_ones = [s for s in surfaces if len(s) >= 2]
    surfaces = long_ones or surfaces
    if not surfaces:
        return []
    pattern = re.compile(
        "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True)), re.IGNORECASE
    )
    scored = []
    for index, paragraph in enumerate(_case_paragraphs(case)):
        matches = list(pattern.finditer(paragraph))
        if matches:
            distinct = {m.group(0).casefold() for m in matches}
            scored.append((-len(distinct), -len(matches), index, paragraph, matches))
    scored.sort(key=lambda item: item[:3])
    chosen = sorted(scored[:limit], key=lambda item: item[2])
    return [_passage(paragraph, matches, width) for *_, paragraph, matches in chosen]


def _passage(paragraph: str, matches, width: int) -> str:
    first = matches[0]
    start = max(0, first.start() - width // 4)
    end = min(len(paragraph), start + width)
    if end - start < width:
        start = max(0, end - width)
    parts = ["…" if start > 0 else ""]
    cursor = start
    for match in matches:
        if match.start() < cursor or match.end() > end:
            continue
        parts.append(escape(paragraph[cursor : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        cursor = match.end()
    parts.append(escape(paragraph[cursor:end]))
    parts.append("…" if end < len(paragraph) else "")
    return "".join(parts)
