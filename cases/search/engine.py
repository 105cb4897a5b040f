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
from cases.search.backends.base import BROAD_MATCHES, idf, is_broad
from cases.search.correct import LONGEST, SHORTEST, corrector_for
from cases.search.query import QueryPlan, Word, build_plan, normalize_query, pinyin_index, to_simplified
from cases.search.segmenter import get_segmenter
from cases.search.thesaurus import SYNONYM, get_thesaurus

SYNONYM_FACTOR = 0.6
RELATED_FACTOR = 0.25
PART_FACTOR = 0.8
RANKED_EXPANSIONS = 6  # per word
# The any-word fallback (see _coverage): a case must hold this share of a chunk's idf weight, and
# words at least as telling as one found in COMMON_SHARE of the cases.
COVERAGE = 0.4
COMMON_SHARE = 0.7
MAX_SUGGESTIONS = 5
# Fewer full matches than this are followed by partial ones, ranked below them.
FEW_FULL_MATCHES = 10
FULL_MATCH_BONUS = 1000.0
OWN_WORDS_BONUS = 100.0
OWN_INCLUDES = SYNONYM  # what counts as the reader's own words: also the synonyms (False: not)


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
    # Set for a broad query (see _narrowed): expansions that only widen it further are left out.
    narrow: bool = False

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
    counts = _Counts(n=n, df={t: share * n for t, share in shares.items()})
    # A query that would be broad with its expansions keeps only the synonyms of its rare words
    # (in a large library; the 44 cases never come near BROAD_MATCHES).
    counts.narrow = is_broad(_estimates(plan, counts)[0])
    return counts


def _word_alternatives(word: Word, counts: _Counts, expand: bool = True) -> list:
    """What may stand for the word in a case, among what the index holds (``expand``: the
    thesaurus's words too)."""
    alternatives: list = []
    if counts.has(word.token):
        alternatives.append(word.token)
    elif word.parts and all(counts.has(p) for p in word.parts):
        alternatives.append(("and", word.parts))
    if counts.narrow and counts.df.get(word.token, 0) > BROAD_MATCHES:
        return alternatives  # the word alone is broad: its expansions add cost, not answers
    for tokens, kind in word.expansions:
        if not expand or (expand == SYNONYM and kind != SYNONYM) or (counts.narrow and kind != SYNONYM):
            continue
        if all(counts.has(t) for t in tokens):
            alternatives.append(tokens[0] if len(tokens) == 1 else ("and", tokens))
    return alternatives


def _word_node(word: Word, counts: _Counts, expand: bool = True):
    alternatives = _word_alternatives(word, counts, expand)
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else ("or", tuple(alternatives))


def _chunk_node(chunk, counts: _Counts, expand: bool = True):
    alternatives = []
    for reading in chunk.readings:
        nodes = [_word_node(w, counts, expand) for w in reading]
        if nodes and all(n is not None for n in nodes):
            alternatives.append(nodes[0] if len(nodes) == 1 else ("and", tuple(nodes)))
    for grams in chunk.grams:
        if all(counts.has(g) for g in grams):
            alternatives.append(grams[0] if len(grams) == 1 else ("and", grams))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else ("or", tuple(dict.fromkeys(alternatives)))


def _rank_terms(plan: QueryPlan, counts: _Counts, broad: bool = False) -> list[tuple[str, float]]:
    """(token, weight) pairs of the rank. A broad query (see backends.base.is_broad) ranks by the
    reader's own words alone: its first pages come from the per-word top lists, which several
    expansions per word would defeat (便民服务 over 20,000 cases: 450 ms instead of 20)."""
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
            # An expansion never weighs more than the reader's own word would: a rare synonym
            # must not outrank the cases that use the reader's (common) word in their title.
            ceiling = counts.idf(word.token) if counts.has(word.token) else math.inf
            # Only the expansions held by most cases rank (each costs one ts_rank_cd per
            # matching case); all of them still match.
            known = [(t, k) for t, k in word.expansions if all(counts.has(x) for x in t)]
            known.sort(key=lambda item: -min(counts.share(x) for x in item[0]))
            for tokens, kind in known[: 0 if broad else RANKED_EXPANSIONS]:
                factor = SYNONYM_FACTOR if kind == SYNONYM else RELATED_FACTOR
                for token in tokens:
                    add(token, factor * min(counts.idf(token), ceiling) / len(tokens))
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


def _coverage(plan: QueryPlan, counts: _Counts) -> list[tuple[list, float]]:
    """The any-word fallback, per chunk: its units (a word and what stands for it, weighted by
    the word's idf; a word the index lacks weighs most) and the weight a case must hold in it.

    A case qualifies when, for some chunk, it holds COVERAGE of the chunk's weight and at least
    as much as one word found in COMMON_SHARE of the cases. So one very common word (服务, 审批,
    人员) never qualifies alone (宅基地审批 must not return every case with 审批), a phrase that
    is mostly unknown words finds nothing (火锅底料配方), and of 彭山 柑橘 each chunk alone is an
    answer. Single characters are left out: 彭三 must not list every case with 三."""
    telling = idf(COMMON_SHARE * counts.n, counts.n)
    groups = []
    for chunk in plan.chunks:
        units, total = [], 0.0
        words = [w for w in chunk.words if w.ranked and len(w.token) > 1]
        for word in words:
            node = _word_node(word, counts)
            weight = (
                counts.idf(word.token) if node is None or counts.has(word.token) else _node_idf(node, counts)
            )
            if word.expansions:
                # A concept of the field is the reader's topic: it weighs like an unknown word.
                weight = max(weight, idf(0, counts.n))
            total += weight
            if node is not None:
                units.append((node, weight))
        if not words:
            node = _chunk_node(chunk, counts)
            weight = _node_idf(node, counts) if node is not None else idf(0, counts.n)
            total += weight
            if node is not None:
                units.append((node, weight))
        if units:
            groups.append((units, max(COVERAGE * total, telling)))
    return groups


def _node_share(node, counts: _Counts) -> float:
    """At most what share of the cases hold a word's stand-ins (an "and" counts its rarest)."""
    if isinstance(node, str):
        return counts.share(node)
    shares = [_node_share(child, counts) for child in node[1]]
    return min(shares) if node[0] == "and" else min(1.0, sum(shares))


def _node_idf(node, counts: _Counts) -> float:
    """How telling a word's stand-ins are together."""
    return idf(_node_share(node, counts) * counts.n, counts.n)


def _all_tree(plan: QueryPlan, counts: _Counts, expand: bool = True):
    nodes = [_chunk_node(chunk, counts, expand) for chunk in plan.chunks]
    if not nodes or any(n is None for n in nodes):
        return None
    return nodes[0] if len(nodes) == 1 else ("and", tuple(nodes))


def _typed_as_is(plan: QueryPlan, counts: _Counts):
    """The all-words tree of the query's first reading of each chunk, without the thesaurus:
    None when the words as typed cannot all be found."""
    nodes = []
    for chunk in plan.chunks:
        words = [_word_node(w, counts, expand=False) for w in chunk.readings[0]] if chunk.readings else []
        grams = [g for g in chunk.grams if all(counts.has(t) for t in g)]
        if (not words or None in words) and not grams:
            return None
        nodes.append(words or grams)
    return nodes


def _all_words(queryset, plan: QueryPlan, backend, counts: _Counts):
    tree = _all_tree(plan, counts)
    if tree is None:
        return None
    at_most, likely, _ = _estimates(plan, counts)
    terms = _rank_terms(plan, counts, broad=is_broad(at_most))
    return backend.search(queryset, tree, terms, at_most, likely, bonus=_own(plan, counts))


def _own(plan: QueryPlan, counts: _Counts, bonus: list | None = None) -> list:
    """The reader's own words before the thesaurus's: cases holding all of them rank above the
    cases found through expansions alone. Not for broad queries, whose first pages come from the
    top lists (which rank by the sum alone; there the own words weigh most already)."""
    bonus = list(bonus or [])
    own = _all_tree(plan, counts, expand=OWN_INCLUDES)
    expanded = any(w.expansions for chunk in plan.chunks for w in chunk.words)
    if own is not None and expanded and not is_broad(_estimates(plan, counts)[0]):
        bonus.append((own, OWN_WORDS_BONUS))
    return bonus


def _any_words(queryset, plan: QueryPlan, backend, counts: _Counts, full=None):
    """Cases holding enough of the query (see _coverage), ranked below ``full`` (the all-words
    tree) when that is given: a few full matches are then followed by the partial ones."""
    groups = _coverage(plan, counts)
    groups = [(units, threshold) for units, threshold in groups if sum(w for _, w in units) >= threshold]
    if not groups:
        return None
    nodes = tuple(dict.fromkeys(node for units, _ in groups for node, _ in units))
    if len(plan.chunks) == 1 and len(plan.chunks[0].words) < 2:
        return None  # one word: all-words already tried it
    # Words taken as independent: how many cases hold any of them.
    likely = counts.n * min(1.0, sum(_node_share(node, counts) for node in nodes))
    bonus = []
    if full is not None and is_broad(likely):
        return None  # many partial matches to rank below a few full ones: not worth the time
    if full is not None:
        nodes = (full, *nodes)
        groups = [([(full, 1.0)], 1.0), *groups]
        bonus = _own(plan, counts, [(full, FULL_MATCH_BONUS)])
    tree = nodes[0] if len(nodes) == 1 else ("or", nodes)
    terms = _rank_terms(plan, counts, broad=is_broad(likely))
    return backend.search(queryset, tree, terms, likely, likely, coverage=groups, bonus=bonus)


def _vocabulary(backend):
    def load() -> dict[str, int]:
        lexicon = get_segmenter().lexicon
        known = lexicon.named_words() | get_thesaurus().words()
        words = backend.vocabulary(SHORTEST, LONGEST)
        freq = get_segmenter().dictionary
        # Two-character tokens are often mere character pairs of the text: only real words.
        return {w: n for w, n in words.items() if len(w) > 2 or w in known or freq(w)}

    return load


def alone_counts_has(backend, token: str) -> bool:
    n, shares = backend.document_frequencies([token])
    return shares[token] > 0


def _correction(queryset, plan: QueryPlan, backend) -> tuple[str, bool] | None:
    """The query with each chunk that matches nothing on its own replaced by a close correction,
    and whether every correction was of a whole chunk (then it may be offered even when it finds
    nothing in full; a corrected piece is only used when the corrected query finds cases)."""
    corrector = corrector_for(queryset.db, _vocabulary(backend), get_segmenter().dictionary)
    texts, changed, whole = [], False, True
    for chunk in plan.chunks:
        text = chunk.text
        alone = build_plan(text)
        alone_counts = _counts(backend, alone)
        matched = _all_words(queryset, alone, backend, alone_counts) if alone.chunks else None
        typed = _typed_as_is(alone, alone_counts) if alone.chunks else None
        if matched is None or typed is None or not backend.has_match(matched):
            fixed = corrector.correct_whole(text)
            if not fixed:
                unknown = [w.token for w in chunk.words if not alone_counts_has(backend, w.token)]
                fixed, whole = corrector.correct_pieces(text, unknown), False
            if fixed and fixed != text:
                text, changed = fixed, True
        texts.append(text)
    return (" ".join(texts), whole) if changed else None


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
    if matched is not None and _typed_as_is(plan, counts) is None:
        # Found only through a concept near the typed words (帮班代办 ~ 帮办代办): a close
        # correction of the words themselves comes first.
        correction = _correction(queryset, plan, backend)
        if correction and correction[1]:
            fixed_plan = build_plan(correction[0])
            fixed = _all_words(queryset, fixed_plan, backend, _counts(backend, fixed_plan))
            if fixed is not None and fixed.exists():
                outcome.queryset, outcome.corrected = _order(fixed), correction[0]
                outcome.surfaces = fixed_plan.surfaces
                return outcome
    if matched is not None and matched.exists():
        outcome.queryset = _order(matched)
        several = len(plan.chunks[0].words) > 1 or len(plan.chunks) > 1
        # (A broad query has many full matches, and its partial ones would not be ranked anyway.)
        few = several and not is_broad(_estimates(plan, counts)[0])
        if few and len(matched.order_by().values_list("pk", flat=True)[:FEW_FULL_MATCHES]) < FEW_FULL_MATCHES:
            # A few full matches: the cases holding enough of the query follow them.
            filled = _any_words(queryset, plan, backend, counts, full=_all_tree(plan, counts))
            if filled is not None:
                outcome.queryset = _order(filled)
        return outcome
    correction = _correction(queryset, plan, backend)
    fixed_plan = build_plan(correction[0]) if correction else None
    fixed_counts = _counts(backend, fixed_plan) if fixed_plan else None
    if fixed_plan is not None:
        fixed = _all_words(queryset, fixed_plan, backend, fixed_counts)
        if fixed is not None and fixed.exists():
            # The query as typed finds nothing: show what the correction finds, and say so.
            outcome.queryset, outcome.corrected = _order(fixed), correction[0]
            outcome.surfaces = fixed_plan.surfaces
            return outcome
        if correction[1]:
            outcome.suggestions = [correction[0]]
    # The any-word check goes through has_match: many OR-ed words make LIMIT 1 plans walk the table.
    partial = _any_words(queryset, plan, backend, counts)
    if partial is not None and backend.has_match(partial):
        outcome.queryset, outcome.partial = _order(partial), True
        return outcome
    if fixed_plan is not None:
        partial = _any_words(queryset, fixed_plan, backend, fixed_counts)
        if partial is not None and backend.has_match(partial):
            outcome.queryset, outcome.partial, outcome.corrected = _order(partial), True, correction[0]
            outcome.surfaces, outcome.suggestions = fixed_plan.surfaces, []
    return outcome
