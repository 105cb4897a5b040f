"""Search over cases. The one module every caller goes through (public list, API, admin).

Interface (stable; the implementation behind it may change):

    apply_search(queryset, query) -> SearchOutcome
        Narrows a Case queryset to the cases matching ``query`` and orders it by relevance
        (annotated ``search_rank``, higher is better). Empty or blank queries return the queryset
        unchanged. Never raises on user input.

    SearchOutcome fields: queryset, query (normalised, possibly cut), truncated (bool),
        partial (bool: the any-term fallback was used), suggestions (list[str]).

    highlight(case, query, limit=3) -> list[str]
        Up to ``limit`` HTML-escaped passages of the case's text with matches in <mark>.

    counting_hints(queryset) -> context manager
        Wrap counts over a search's matches in it (facet counts): the database may need hints
        to count a broad search's matches quickly.

How a query is read: it is normalised (width, case, control characters, traditional -> simplified,
the lexicon's phrase rewrites such as 政务+金融 -> 政务服务 金融), split into chunks at spaces and
punctuation (operator characters are plain text), and each chunk is segmented by
``cases.segmenter`` into content words reduced to their synonym group's canonical form. A chunk
matches a case when the case holds all its words, or, as a recall safety net, all the character
pairs of the chunk (so any literal string of two or more characters is found). All chunks must
match; when that finds nothing, any word may match and the outcome is marked ``partial``.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connections
from django.db.models import QuerySet, Value
from django.utils.html import escape

from cases.search_backends import QueryExpr, backend_for, counting_hints  # noqa: F401 (part of the interface)
from cases.segmenter import CJK_CLASS, bigrams, fold, get_segmenter

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
MAX_SUGGESTIONS = 5
_CHUNK_SPLIT = re.compile(f"[^{CJK_CLASS}0-9a-z]+")


@dataclass
class SearchOutcome:
    queryset: QuerySet
    query: str = ""
    truncated: bool = False
    partial: bool = False
    suggestions: list[str] = field(default_factory=list)


@dataclass
class QueryPlan:
    all_terms: tuple | None  # boolean tree for "every chunk matches"
    any_term: tuple | None  # boolean tree for "some word matches"
    words: list[str]  # canonical words, in query order: what the rank counts
    surfaces: list[str]  # strings to mark in passages
    chunks: list[str]  # the query's pieces between spaces and punctuation


def normalize_query(raw: str | None) -> tuple[str, bool]:
    """Width-fold, drop control characters, collapse white space, cut to MAX_QUERY_LENGTH."""
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else str(raw or ""))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH].strip(), truncated


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def _chunks(text: str) -> list[str]:
    return [c for c in _CHUNK_SPLIT.split(text) if c]


def _chunk_alternatives(chunk: str, segmenter) -> tuple[list, list[str], list[str]]:
    words = list(dict.fromkeys(segmenter.query_words(chunk)))
    grams = list(dict.fromkeys(bigrams(chunk)))
    alternatives = []
    if words:
        alternatives.append(("and", tuple(words)))
    if grams and grams != words:
        alternatives.append(("and", tuple(grams)))
    surfaces = [chunk]
    for word in segmenter.query_words(chunk, canonical=False) + words:
        surfaces += segmenter.lexicon.groups.get(word, [word])
    return alternatives, words, surfaces


@lru_cache(maxsize=2048)
def build_plan(query: str) -> QueryPlan:
    segmenter = get_segmenter()
    rewrite = segmenter.lexicon.rewrite
    simplified = _chunks(rewrite(fold(to_simplified(query))))
    # The query as typed is searched too: the converter turns some proper names into other
    # characters (硃碛 -> 朱碛), and a traditional form the source itself uses must still match.
    typed = _chunks(rewrite(fold(query)))
    if len(typed) != len(simplified):
        typed = simplified
    chunk_nodes, any_nodes, words, surfaces, chunks = [], [], [], [], []
    for chunk, typed_chunk in zip(simplified, typed, strict=True):
        alternatives, chunk_words, chunk_surfaces = _chunk_alternatives(chunk, segmenter)
        if typed_chunk != chunk:
            more, more_words, more_surfaces = _chunk_alternatives(typed_chunk, segmenter)
            alternatives += [a for a in more if a not in alternatives]
            # Only known variants rank: other words of the typed form would make a traditional
            # query rank differently from its simplified form.
            lexicon = segmenter.lexicon
            chunk_words += [w for w in more_words if w in lexicon.groups and w not in chunk_words]
            chunk_surfaces += more_surfaces
        if not alternatives:
            continue
        chunk_nodes.append(("or", tuple(alternatives)))
        # Any-word matching ignores single characters: 彭三 must not list every case with 三.
        any_nodes += [w for w in chunk_words if len(w) > 1]
        any_nodes += [a for a in alternatives if a[1] != tuple(chunk_words)]
        chunks.append(chunk)
        words += [w for w in chunk_words if w not in words]
        surfaces += chunk_surfaces
    if not chunk_nodes:
        return QueryPlan(None, None, [], [], [])
    if not words:
        # Only character pairs (e.g. a chunk of stop words and rare characters): rank by those.
        words = [leaf for node in chunk_nodes for leaf in QueryExpr.leaves(node)]
    return QueryPlan(
        all_terms=("and", tuple(chunk_nodes)),
        any_term=("or", tuple(dict.fromkeys(any_nodes))),
        words=list(dict.fromkeys(words)),
        surfaces=list(dict.fromkeys(s for s in surfaces if s)),
        chunks=chunks,
    )


def warm_up() -> None:
    """Load jieba, the lexicon and the character converter (called at process start)."""
    get_segmenter().initialize()
    to_simplified("繁體")
    _vocabulary()


def _backend(queryset: QuerySet):
    return backend_for(connections[queryset.db])


def _order(queryset: QuerySet) -> QuerySet:
    return queryset.order_by("-search_rank", "pk")


def suggest(words: list[str]) -> list[str]:
    """Nearest known terms (places, brands, policy words) for words that found nothing."""
    by_char = _vocabulary()
    found: list[str] = []
    for word in words:
        # Only terms sharing a character can come close; comparing with all would be slow.
        vocabulary = sorted({term for ch in set(word) for term in by_char.get(ch, ())})
        for candidate in difflib.get_close_matches(word, vocabulary, n=3, cutoff=0.5):
            if candidate != word and candidate not in found:
                found.append(candidate)
    return found[:MAX_SUGGESTIONS]


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, tuple[str, ...]]:
    """Known terms (places, brands, policy words) by each of their characters."""
    lexicon = get_segmenter().lexicon
    by_char: dict[str, list[str]] = {}
    for term in sorted(w for w in lexicon.words | set(lexicon.groups) if len(w) >= 2):
        for ch in set(term):
            by_char.setdefault(ch, []).append(term)
    return {ch: tuple(terms) for ch, terms in by_char.items()}


def apply_search(queryset: QuerySet, raw_query: str | None) -> SearchOutcome:
    query, truncated = normalize_query(raw_query)
    if not query:
        return SearchOutcome(queryset=queryset, truncated=truncated)
    plan = build_plan(query)
    backend = _backend(queryset)
    if plan.all_terms is None:
        # Nothing searchable (only punctuation or function words): an honest empty result.
        return SearchOutcome(
            queryset=queryset.none().annotate(search_rank=Value(0.0)), query=query, truncated=truncated
        )
    matched = backend.search(queryset, plan.all_terms, plan.words)
    if matched.exists():
        return SearchOutcome(queryset=_order(matched), query=query, truncated=truncated)
    several = len(plan.all_terms[1]) > 1 or len(plan.words) > 1
    partial = backend.search(queryset, plan.any_term, plan.words, mode="any") if plan.any_term[1] else None
    # The any-word check goes through has_match: many OR-ed words make LIMIT 1 plans walk the table.
    if several and partial is not None and backend.has_match(partial):
        return SearchOutcome(queryset=_order(partial), query=query, truncated=truncated, partial=True)
    return SearchOutcome(
        queryset=_order(matched),
        query=query,
        truncated=truncated,
        suggestions=suggest(plan.chunks + [w for w in plan.words if len(w) > 1]),
    )


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
