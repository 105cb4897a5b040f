"""Running a search: every chunk must match; else a close correction of what found nothing;
else any words holding enough of the query's weight (marked partial); else nothing, with close
corrections as suggestions.

The rank is Σ weight × ts_rank_cd(token) (SQLite computes the same sum): a reader's own word
weighs its idf, a synonym from the thesaurus SYNONYM_FACTOR of its idf, a related term
RELATED_FACTOR, a compound's parts PART_FACTOR, so the reader's own words come first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import QuerySet, Value

from cases.search.backends import backend_for
from cases.search.backends.base import idf
from cases.search.correct import LONGEST, SHORTEST, corrector_for
from cases.search.query import QueryPlan, Word, build_plan, normalize_query, pinyin_index, to_simplified
from cases.search.segmenter import get_segmenter
from cases.search.thesaurus import SYNONYM, get_thesaurus

SYNONYM_FACTOR = 0.6
RELATED_FACTOR = 0.25
PART_FACTOR = 0.8
# The any-word fallback: a case must hold words as telling as one found in this share of cases.
COMMON_SHARE = 0.7
MAX_SUGGESTIONS = 5


@dataclass
class SearchOutcome:
    queryset: QuerySet
    query: str = ""
    truncated: bool = False
    partial: bool = False
    suggestions: list[str] = field(default_factory=list)
    corrected: str | None = None  # the query actually searched, when a typo was corrected
    surfaces: tuple[str, ...] = ()  # what to mark in passages


@dataclass
class _Counts:
    n: int
    df: dict[str, float]

    def has(self, token: str) -> bool:
        return self.df.get(token, 0) > 0

    def share(self, token: str) -> float:
        return self.df.get(token, 0) / self.n

    def idf(self, token: str) -> float:
        return idf(self.df.get(token, 0), self.n)


def warm_up() -> None:
    """Load jieba, the lexicon, the thesaurus, pinyin and the character converter (at process
    start), so the first reader does not wait for them."""
    get_segmenter().initialize()
    get_thesaurus()
    to_simplified("繁體")
    pinyin_index()
    build_plan("便民服务")


def _backend(queryset: QuerySet):
    return backend_for(connections[queryset.db])


def _order(queryset: QuerySet) -> QuerySet:
    return queryset.order_by("-search_rank", "pk")


def _counts(backend, plan: QueryPlan) -> _Counts:
    n, shares = backend.document_frequencies(sorted(plan.tokens()))
    return _Counts(n=n, df={t: share * n for t, share in shares.items()})


def _word_alternatives(word: Word, counts: _Counts) -> list:
    """What may stand for the word in a case, among what the index holds."""
    alternatives: list = []
    if counts.has(word.token):
        alternatives.append(word.token)
    elif word.parts and all(counts.has(p) for p in word.parts):
        alternatives.append(("and", word.parts))
    for tokens, _ in word.expansions:
        if all(counts.has(t) for t in tokens):
            alternatives.append(tokens[0] if len(tokens) == 1 else ("and", tokens))
    return alternatives


def _word_node(word: Word, counts: _Counts):
    alternatives = _word_alternatives(word, counts)
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else ("or", tuple(alternatives))


def _chunk_node(chunk, counts: _Counts):
    alternatives = []
    for reading in chunk.readings:
        nodes = [_word_node(w, counts) for w in reading]
        if nodes and all(n is not None for n in nodes):
            alternatives.append(nodes[0] if len(nodes) == 1 else ("and", tuple(nodes)))
    for grams in chunk.grams:
        if all(counts.has(g) for g in grams):
            alternatives.append(grams[0] if len(grams) == 1 else ("and", grams))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else ("or", tuple(dict.fromkeys(alternatives)))


def _rank_terms(plan: QueryPlan, counts: _Counts) -> list[tuple[str, float]]:
    weights: dict[str, float] = {}

    def add(token: str, weight: float) -> None:
        if counts.has(token):
            weights[token] = max(weights.get(token, 0.0), weight)

    for chunk in plan.chunks:
        words = [w for w in chunk.words if w.ranked]
        for word in words:
            add(word.token, counts.idf(word.token))
            if not counts.has(word.token):
                for part in word.parts:
                    add(part, PART_FACTOR * counts.idf(part))
            for tokens, kind in word.expansions:
                factor = SYNONYM_FACTOR if kind == SYNONYM else RELATED_FACTOR
                for token in tokens:
                    add(token, factor * counts.idf(token) / len(tokens))
        if not any(counts.has(w.token) for w in words):
            # Only character pairs (a chunk of stop words and rare characters): rank by those.
            for grams in chunk.grams:
                for gram in grams:
                    add(gram, counts.idf(gram))
    return list(weights.items())


def _estimates(plan: QueryPlan, counts: _Counts) -> tuple[float, float, float]:
    """(at most, likely all-words, likely any-word) matches, words taken as independent."""
    shares = []
    for chunk in plan.chunks:
        share = 0.0
        for reading in chunk.readings:
            word_shares = []
            for word in reading:
                alternatives = _word_alternatives(word, counts)
                leaves = [a if isinstance(a, str) else min(a[1], key=counts.share) for a in alternatives]
                word_shares.append(min(1.0, sum(counts.share(t) for t in leaves)))
            share = max(share, min(word_shares, default=0.0))
        for grams in chunk.grams:
            share = max(share, min((counts.share(g) for g in grams), default=0.0))
        shares.append(share)
    at_most = counts.n * min(shares, default=0.0)
    return at_most, counts.n * math.prod(shares), counts.n * min(1.0, sum(shares))


def _coverage_units(plan: QueryPlan, counts: _Counts) -> tuple[list, float]:
    """The any-word fallback's units (a word and what stands for it, weighted by its idf) and the
    weight a case must hold: at least as much as one word found in COMMON_SHARE of the cases, so
    a very common word (服务, 审批, 人员) never satisfies it alone (宅基地审批 must not return
    every case with 审批) while one telling word does (帮办代办 in 帮办代办 量子计算机). Single
    characters are left out: 彭三 must not list every case with 三."""
    units = []
    for chunk in plan.chunks:
        words = [w for w in chunk.words if w.ranked and len(w.token) > 1]
        for word in words:
            node = _word_node(word, counts)
            if node is not None:
                units.append(
                    (node, counts.idf(word.token) if counts.has(word.token) else _node_idf(node, counts))
                )
        if not words:
            node = _chunk_node(chunk, counts)
            if node is not None:
                units.append((node, _node_idf(node, counts)))
    return units, idf(COMMON_SHARE * counts.n, counts.n)


def _node_share(node, counts: _Counts) -> float:
    """At most what share of the cases hold a word's stand-ins (an "and" counts its rarest)."""
    if isinstance(node, str):
        return counts.share(node)
    shares = [_node_share(child, counts) for child in node[1]]
    return min(shares) if node[0] == "and" else min(1.0, sum(shares))


def _node_idf(node, counts: _Counts) -> float:
    """How telling a word's stand-ins are together."""
    return idf(_node_share(node, counts) * counts.n, counts.n)


def _all_words(queryset, plan: QueryPlan, backend, counts: _Counts):
    nodes = [_chunk_node(chunk, counts) for chunk in plan.chunks]
    if not nodes or any(n is None for n in nodes):
        return None
    tree = nodes[0] if len(nodes) == 1 else ("and", tuple(nodes))
    at_most, likely, _ = _estimates(plan, counts)
    return backend.search(queryset, tree, _rank_terms(plan, counts), at_most, likely)


def _any_words(queryset, plan: QueryPlan, backend, counts: _Counts):
    if len(plan.chunks) < 2 and len([w for c in plan.chunks for w in c.words if len(w.token) > 1]) < 2:
        return None
    units, threshold = _coverage_units(plan, counts)
    if not units or sum(w for _, w in units) < threshold:
        return None
    tree = ("or", tuple(node for node, _ in units))
    # Words taken as independent: how many cases hold any of them.
    likely = counts.n * min(1.0, sum(_node_share(node, counts) for node, _ in units))
    return backend.search(
        queryset, tree, _rank_terms(plan, counts), likely, likely, coverage=(units, threshold)
    )


def _vocabulary(backend):
    def load() -> dict[str, int]:
        lexicon = get_segmenter().lexicon
        known = lexicon.named_words() | get_thesaurus().words()
        words = backend.vocabulary(SHORTEST, LONGEST)
        freq = get_segmenter().dictionary
        # Two-character tokens are often mere character pairs of the text: only real words.
        return {w: n for w, n in words.items() if len(w) > 2 or w in known or freq(w)}

    return load


def _correction(queryset, plan: QueryPlan, backend) -> str | None:
    """The query with each chunk that matches nothing on its own replaced by a close correction."""
    corrector = corrector_for(queryset.db, _vocabulary(backend))
    texts, changed = [], False
    for chunk in plan.chunks:
        text = chunk.text
        alone = build_plan(text)
        matched = _all_words(queryset, alone, backend, _counts(backend, alone)) if alone.chunks else None
        if matched is None or not backend.has_match(matched):
            fixed = corrector.correct(text)
            if fixed and fixed != text:
                text, changed = fixed, True
        texts.append(text)
    return " ".join(texts) if changed else None


def apply_search(queryset: QuerySet, raw_query: str | None) -> SearchOutcome:
    query, truncated = normalize_query(raw_query)
    if not query:
        return SearchOutcome(queryset=queryset, truncated=truncated)
    plan = build_plan(query)
    nothing = queryset.none().annotate(search_rank=Value(0.0))
    if not plan.chunks:
        # Nothing searchable (only punctuation or function words): an honest empty result.
        return SearchOutcome(queryset=nothing, query=query, truncated=truncated)
    backend = _backend(queryset)
    counts = _counts(backend, plan)
    outcome = SearchOutcome(queryset=nothing, query=query, truncated=truncated, surfaces=plan.surfaces)
    matched = _all_words(queryset, plan, backend, counts)
    if matched is not None and matched.exists():
        outcome.queryset = _order(matched)
        return outcome
    correction = _correction(queryset, plan, backend)
    if correction:
        fixed_plan = build_plan(correction)
        fixed = _all_words(queryset, fixed_plan, backend, _counts(backend, fixed_plan))
        if fixed is not None and fixed.exists():
            # The query as typed finds nothing: show what the correction finds, and say so.
            outcome.queryset, outcome.corrected = _order(fixed), correction
            outcome.surfaces = fixed_plan.surfaces
            return outcome
        outcome.suggestions = [correction]
    # The any-word check goes through has_match: many OR-ed words make LIMIT 1 plans walk the table.
    partial = _any_words(queryset, plan, backend, counts)
    if partial is not None and backend.has_match(partial):
        outcome.queryset, outcome.partial = _order(partial), True
    return outcome
