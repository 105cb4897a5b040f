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

This first version is a plain substring scan; the jieba-based index replaces it (issue 4).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Value
from django.utils.html import escape

MAX_QUERY_LENGTH = 100


@dataclass
class SearchOutcome:
    queryset: QuerySet
    query: str = ""
    truncated: bool = False
    partial: bool = False
    suggestions: list[str] = field(default_factory=list)


def normalize_query(raw: str | None) -> tuple[str, bool]:
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH], truncated


def _terms(query: str) -> list[str]:
    return [t for t in query.split(" ") if t]


def _match(term: str) -> Q:
    return (
        Q(title__icontains=term)
        | Q(title_in_compendium__icontains=term)
        | Q(unit__name__icontains=term)
        | Q(sections__paragraphs__icontains=term)
    )


def apply_search(queryset: QuerySet, raw_query: str | None) -> SearchOutcome:
    query, truncated = normalize_query(raw_query)
    if not query:
        return SearchOutcome(queryset=queryset, truncated=truncated)
    terms = _terms(query)
    all_terms = Q()
    for term in terms:
        all_terms &= Q(pk__in=queryset.model.objects.filter(_match(term)).values("pk"))
    matched = queryset.filter(all_terms).annotate(search_rank=Value(1.0))
    partial = False
    if not matched.exists() and len(terms) > 1:
        any_term = Q()
        for term in terms:
            any_term |= Q(pk__in=queryset.model.objects.filter(_match(term)).values("pk"))
        matched = queryset.filter(any_term).annotate(search_rank=Value(0.5))
        partial = True
    return SearchOutcome(queryset=matched, query=query, truncated=truncated, partial=partial)


def highlight(case, raw_query: str | None, limit: int = 3) -> list[str]:
    query, _ = normalize_query(raw_query)
    terms = _terms(query)
    if not terms:
        return []
    passages = []
    for section in case.sections.all():
        for paragraph in section.paragraphs:
            position = next((paragraph.find(t) for t in terms if t in paragraph), -1)
            if position < 0:
                continue
            start = max(0, position - 40)
            passage = escape(paragraph[start : position + 80])
            for term in terms:
                passage = passage.replace(escape(term), f"<mark>{escape(term)}</mark>")
            passages.append(("……" if start else "") + passage + "……")
            if len(passages) >= limit:
                return passages
    return passages
