"""Running a search: match all chunks, fall back to any word, suggest near terms."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connections
from django.db.models import QuerySet, Value

from cases.search.backends import backend_for
from cases.search.query import build_plan, normalize_query, to_simplified
from cases.search.segmenter import get_segmenter

MAX_SUGGESTIONS = 5


@dataclass
class SearchOutcome:
    queryset: QuerySet
    query: str = ""
    truncated: bool = False
    partial: bool = False
    suggestions: list[str] = field(default_factory=list)


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
