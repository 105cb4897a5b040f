"""Passages of a case's text that match a query, with the matches marked.

    highlight(case, query_or_outcome, limit=3) -> [html, ...]

``query_or_outcome`` is the reader's query, or better the ``SearchOutcome`` of the search that
listed the case: then what is marked is what was searched (a corrected query, a pinyin or
concept word, marked in the passages of a case found through it). Passages are distinct (no
passage twice, none inside another, none sharing OVERLAP characters with another), at most ``limit``,
best first: the most telling word marked (its idf; a thesaurus word EXPANSION_FACTOR of it, so the
reader's own words come first), then the sum of the idf of the different query words marked (so a
passage holding a rare word of the query comes before one holding only 服务 or 便民, and several
common or related words never before the reader's rare one), then most matches, then earliest.
Each passage is the window around its paragraph's most telling match. A case that matched in its text always shows one: when no whole word is
found, the character pairs of the query are marked instead.

    surface_weights(plan, df, n) -> {folded surface: idf}

How telling each string ``highlight`` may mark is (the engine records it on the outcome from the
word counts it read anyway; a plain query string reads them here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import connections
from django.utils.html import escape

from cases.search.backends import backend_for
from cases.search.backends.base import idf
from cases.search.query import QueryPlan, build_plan, normalize_query
from cases.search.segmenter import get_segmenter
from cases.search.text import CJK_RUN, bigrams, fold, fold_in_place

OVERLAP = 20  # characters two passages may share at most
# A word of the reader's concept weighs this share of its idf: the reader's own words come first.
EXPANSION_FACTOR = 0.6
# A word held by this share of the library or more tells nothing of the query (trees.TAIL_SHARE).
COMMON_SHARE = 0.5


def surface_weights(plan: QueryPlan, df: dict[str, float], n: int) -> dict[str, float]:
    """The idf of every string the passages may mark (the plan's surfaces and the query's
    character pairs): a word its own, a word the lexicon files under it (or a typed form) the
    word's, a concept's word EXPANSION_FACTOR of its own, a whole chunk the sum of its words'.
    A surface none of these covers weighs as much as the query's most telling word."""
    groups = get_segmenter().lexicon.groups
    weights: dict[str, float] = {}

    def of(token: str) -> float:
        return idf(df.get(token, 0), n)

    def put(surface: str, weight: float) -> None:
        key = fold(surface)
        weights[key] = max(weights.get(key, 0.0), weight)

    for chunk in plan.chunks:
        for reading in chunk.readings:
            total = 0.0
            for word in reading:
                own = of(word.token)
                total += own
                for surface in (word.token, *groups.get(word.token, [])):
                    put(surface, own)
                for tokens, _ in word.expansions:
                    for token in tokens:
                        for surface in (token, *groups.get(token, [])):
                            put(surface, EXPANSION_FACTOR * min(of(token), own))
                for part in word.parts:
                    put(part, of(part))
            put(chunk.text, total)
            for term in chunk.pinyin:
                put(term, total)
        for grams in chunk.grams:
            for gram in grams:
                put(gram, of(gram))
    most = max(weights.values(), default=1.0)
    for surface in plan.surfaces:
        weights.setdefault(fold(surface), most)
    return weights


def _case_paragraphs(case) -> list[str]:
    paragraphs = [case.summary] if case.summary else []
    for section in case.sections.all():
        paragraphs += [p for p in section.paragraphs if p]
    # The same paragraph twice (a lead repeated in its section, a pasted duplicate) is one passage.
    seen, unique = set(), []
    for paragraph in paragraphs:
        key = re.sub(r"\s+", "", fold(paragraph))
        if key and key not in seen:
            seen.add(key)
            unique.append(paragraph)
    return unique


def _surfaces(query_or_outcome, using: str) -> tuple[list[str], str, dict[str, float], dict[str, float]]:
    """(folded surfaces, the query searched, their weights, {token: share of the library holding
    it} of the query's tokens)."""
    surfaces = getattr(query_or_outcome, "surfaces", None)
    if surfaces is not None:
        query = getattr(query_or_outcome, "corrected", None) or query_or_outcome.query
        counts = getattr(query_or_outcome, "counts", None)
        shares = {t: df / counts.n for t, df in counts.df.items()} if counts is not None and counts.n else {}
        weights = dict(getattr(query_or_outcome, "weights", None) or {})
        return [fold(s) for s in surfaces], query, weights, shares
    query, _ = normalize_query(query_or_outcome)
    if not query:
        return [], query, {}, {}
    plan = build_plan(query)
    n, shares = backend_for(connections[using]).document_frequencies(plan.tokens())
    weights = surface_weights(plan, {t: share * n for t, share in shares.items()}, n)
    return [fold(s) for s in plan.surfaces], query, weights, shares


@dataclass(frozen=True)
class _Mark:
    """A string of the query found in a paragraph (the part of ``re.Match`` the passages use)."""

    at: int
    text: str

    def start(self) -> int:
        return self.at

    def end(self) -> int:
        return self.at + len(self.text)

    def group(self, _: int = 0) -> str:
        return self.text


def _marks(text: str, strings, weights: dict[str, float]) -> list[_Mark]:
    """The strings found in ``text``, none overlapping another, in text order. Where found
    strings overlap, the most telling one is kept (then the longest, then the first): the
    reader's own word before a thesaurus word that runs into it (代替群众跑腿: 跑腿, not
    替群众跑), the typed phrase whole before a longer word ending inside it (免费邮寄服务:
    邮寄服务, not 免费邮寄 and 服务)."""
    found = []
    for string in {s for s in strings if s}:
        at = text.find(string)
        while at >= 0:
            found.append(_Mark(at, string))
            at = text.find(string, at + 1)
    found.sort(key=lambda m: (-mark_weight(m.text, weights), -len(m.text), m.at))
    taken = [False] * len(text)
    kept = []
    for mark in found:
        if not any(taken[mark.start() : mark.end()]):
            taken[mark.start() : mark.end()] = [True] * len(mark.text)
            kept.append(mark)
    return sorted(kept, key=lambda m: m.at)


def mark_weight(mark: str, weights: dict[str, float]) -> float:
    """A marked string's weight: its own, or that of the most telling surface inside it (村级代办员
    marked whole holds the reader's 代办员)."""
    key = fold(mark)
    inside = [w for surface, w in weights.items() if len(surface) > 1 and surface in key]
    return max([weights.get(key, 0.01), *inside])


def passage_weight(marks, weights: dict[str, float]) -> tuple[float, float]:
    """How telling a passage is: the weight of the most telling string it marks, then the summed
    weight of the different strings it marks (a string without a weight, such as a character pair
    of a word, counts a little: it was searched). The best word first, so several common or
    related words (不动产登记, 自然资源, 审批) never outweigh the reader's rare one (宅基地); a
    reader's own word weighs its idf, a thesaurus word EXPANSION_FACTOR of it."""
    found = [mark_weight(mark, weights) for mark in set(marks)]
    return round(max(found, default=0.0), 6), round(sum(found), 6)


def _scored(paragraphs: list[str], strings, width: int, weights: dict[str, float], shares) -> list[tuple]:
    """(-best, -weight, -marks, index, html, plain, telling) of each matching paragraph's passage
    (``telling``: it marks a string most of the library does not hold, see _is_common)."""
    scored = []
    for index, paragraph in enumerate(paragraphs):
        matches = _marks(fold_in_place(paragraph), strings, weights)
        if matches:
            # The window is placed at the paragraph's most telling match (the first of them).
            anchor = max(matches, key=lambda m: (mark_weight(m.group(0), weights), -m.start()))
            html, plain, shown = _passage(paragraph, matches, width, anchor)
            best, weight = passage_weight([m.group(0) for m in shown], weights)
            telling = any(not _is_common(m.group(0), shares) for m in shown)
            scored.append((-best, -weight, -len(shown), index, html, plain, telling))
    scored.sort(key=lambda item: item[:4])
    return scored


def _is_common(mark: str, shares: dict[str, float]) -> bool:
    """Whether a marked string is a word most of the library holds (服务 of 邮寄服务, 最后 of
    最后一米) and not one of the reader's own words (``shares`` leaves those out: see
    highlight): a passage marking only such words says nothing of the query, and is not shown
    when another passage is."""
    return shares.get(fold(mark), 0.0) >= COMMON_SHARE


def own_words(query: str) -> set[str]:
    """The reader's own words of a query, folded: the query and each chunk (unspaced) and the
    words they are read as."""
    plan = build_plan(query)
    words = {fold(re.sub(r"\s+", "", text)) for text in (query, *(c.text for c in plan.chunks))}
    return words | {fold(w.token) for c in plan.chunks for reading in c.readings for w in reading}


def highlight(case, query_or_outcome, limit: int = 3, width: int = 110) -> list[str]:
    if limit <= 0 or not query_or_outcome:
        return []
    surfaces, query, weights, shares = _surfaces(query_or_outcome, case._state.db or "default")
    if not query:
        return []
    own = own_words(query)
    shares = {token: share for token, share in shares.items() if token not in own}
    long_ones = [s for s in surfaces if len(s) >= 2 or not CJK_RUN.fullmatch(s)]
    # The typed phrase itself, marked whole where it stands (政务金融服务: 政务金融, not 政务 + 金融).
    long_ones += [w for w in own if len(w) > 1 and CJK_RUN.fullmatch(w) and w not in long_ones]
    paragraphs = _case_paragraphs(case)
    # The case's text, then its section headings (also searched: a case found through a word of
    # a heading alone still shows where it stands).
    headings = [s.heading for s in case.sections.all() if s.heading]
    scored = []
    for texts, strings in (
        (paragraphs, long_ones or surfaces),
        (paragraphs, bigrams(query)),
        (headings, long_ones or surfaces),
    ):
        scored = _scored(texts, strings, width, weights, shares)
        if scored:
            break
    if any(telling for *_, telling in scored):
        scored = [item for item in scored if item[-1]]
    passages: list[str] = []
    shown: list[str] = []
    for *_, text, plain, _telling in scored:
        if any(passages_overlap(plain, other) for other in shown):
            continue
        shown.append(plain)
        passages.append(text)
        if len(passages) >= limit:
            break
    return passages


def passages_overlap(a: str, b: str) -> bool:
    """Whether two passages share a sentence's worth of text (one inside the other, or a common
    run of OVERLAP characters: the same sentence in the summary and in a section)."""
    if a in b or b in a:
        return True
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size >= OVERLAP


def _passage(paragraph: str, matches, width: int, first=None) -> tuple[str, str, list]:
    """(HTML with the matches marked, the plain text shown, the matches shown) of the window
    around ``first`` (by default the first match)."""
    first = first or matches[0]
    start = max(0, first.start() - width // 4)
    end = min(len(paragraph), start + width)
    if end - start < width:
        start = max(0, end - width)
    parts = ["…" if start > 0 else ""]
    cursor = start
    shown = []
    for match in matches:
        if match.start() < cursor or match.end() > end:
            continue
        shown.append(match)
        parts.append(escape(paragraph[cursor : match.start()]))
        parts.append(f"<mark>{escape(paragraph[match.start() : match.end()])}</mark>")
        cursor = match.end()
    parts.append(escape(paragraph[cursor:end]))
    parts.append("…" if end < len(paragraph) else "")
    return "".join(parts), re.sub(r"\s+", "", paragraph[start:end]), shown
