"""Running a search: every chunk must match; else a close correction of what found nothing;
else any words holding enough of the query's weight (marked partial); else nothing, with close
corrections as suggestions.

The match trees and rank terms are ``cases.search.trees``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Q, QuerySet, Value

from cases.search.backends import backend_for
from cases.search.backends.base import is_broad
from cases.search.correct import LONGEST, SHORTEST, corrector_for, is_close, is_sure
from cases.search.literal import held_as_typed
from cases.search.outcome import FULL_MATCH_BONUS, SearchOutcome
from cases.search.own import own_bonus
from cases.search.pinyin import LETTERS
from cases.search.query import QueryPlan, build_plan, normalize_query, pinyin_index, to_simplified
from cases.search.segmenter import get_segmenter
from cases.search.snippets import surface_weights
from cases.search.thesaurus import get_thesaurus
from cases.search.trees import (
    TAIL,
    TELLING,
    Counts,
    all_tree,
    count_tokens,
    coverage,
    estimates,
    node_share,
    rank_terms,
    typed_as_is,
)

MAX_SUGGESTIONS = 5
# Fewer full matches than this are followed by partial ones, ranked below them.
FEW_FULL_MATCHES = 10
# Cases found only through related terms, when some hold the reader's words or synonyms: dropped
# (True) or listed after them as partial matches (False). Chosen on the tuning half: see
# docs/judging.md ("Loose matches").
DROP_LOOSE = False


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


def _nothing(queryset: QuerySet) -> QuerySet:
    return queryset.none().annotate(search_rank=Value(0.0))


def _order(queryset: QuerySet) -> QuerySet:
    return queryset.order_by("-search_rank", "pk")


def _all_words(queryset, plan: QueryPlan, backend, counts: Counts):
    tree = all_tree(plan, counts)
    if tree is None:
        return None
    at_most, likely, _ = estimates(plan, counts)
    terms = rank_terms(plan, counts, broad=is_broad(at_most))
    bonus = own_bonus(queryset, backend, plan, counts)
    return backend.search(queryset, tree, terms, at_most, likely, bonus=bonus)


def _any_words(queryset, plan: QueryPlan, backend, counts: Counts, full=None, strict=None):
    """Cases holding enough of the query (see coverage), ranked below ``full`` (the all-words
    tree) when that is given: a few full matches are then followed by the partial ones. Only the
    cases matching ``strict`` (the telling all-words tree, see _split_loose) rank as full matches."""
    groups = coverage(plan, counts, after_full=full is not None)
    groups = [(units, threshold) for units, threshold in groups if sum(w for _, w in units) >= threshold]
    if not groups:
        return None
    nodes = tuple(dict.fromkeys(node for units, _ in groups for node, _ in units))
    if len(plan.chunks) == 1 and len(plan.chunks[0].words) < 2:
        return None  # one word: all-words already tried it
    # Words taken as independent: how many cases hold any of them.
    likely = counts.n * min(1.0, sum(node_share(node, counts) for node in nodes))
    bonus = []
    if full is not None and is_broad(likely):
        return None  # many partial matches to rank below a few full ones: not worth the time
    if full is not None:
        nodes = (full, *nodes)
        groups = [([(full, 1.0)], 1.0), *groups]
        bonus = own_bonus(
            queryset, backend, plan, counts, [(strict, FULL_MATCH_BONUS)] if strict is not None else []
        )
    tree = nodes[0] if len(nodes) == 1 else ("or", nodes)
    terms = rank_terms(plan, counts, broad=is_broad(likely))
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


@dataclass(frozen=True)
class _Correction:
    text: str  # the corrected query
    whole: bool  # every correction was of a whole chunk (see _correction)
    sure: bool  # every correction may be searched unasked (correct.is_sure)
    close: bool  # every correction is close enough to offer (correct.is_close)


def _correction(queryset, plan: QueryPlan, backend) -> _Correction | None:
    """The query with each chunk that matches nothing on its own replaced by a close correction,
    and whether every correction was of a whole chunk (then it may be offered even when it finds
    nothing in full; a corrected piece is only used when the corrected query finds cases), sure
    and close."""
    segmenter = get_segmenter()
    corrector = corrector_for(queryset.db, _vocabulary(backend), segmenter.dictionary)
    texts, changed, whole, sure, close = [], False, True, True, True
    for chunk in plan.chunks:
        text = chunk.text
        alone = build_plan(text)
        alone_counts = count_tokens(backend, alone)
        matched = _all_words(queryset, alone, backend, alone_counts) if alone.chunks else None
        typed = typed_as_is(alone, alone_counts) if alone.chunks else None
        missing = matched is None or typed is None or not backend.has_match(matched)
        if missing and not held_as_typed(queryset, backend, text):
            fixed = corrector.correct_whole(text)
            if not fixed:
                unknown = [w.token for w in chunk.words if not alone_counts_has(backend, w.token)]
                fixed, whole = corrector.correct_pieces(text, unknown), False
            if fixed and fixed != text:
                sure = sure and is_sure(text, fixed, segmenter.cut(text), segmenter.dictionary)
                close = close and is_close(text, fixed)
                text, changed = fixed, True
        texts.append(text)
    if not changed or not close:
        return None
    return _Correction(" ".join(texts), whole, sure, close)


def _split_loose(outcome: SearchOutcome, queryset, plan: QueryPlan, backend, counts: Counts) -> None:
    """Cases found only through a word's related terms (志愿服务 -> 帮办代办) or only through a
    very common stand-in (网上办事 -> 政务服务, found in most cases: trees.TELLING) are partial
    matches: the cases holding the reader's words, their synonyms or a telling stand-in come first
    (FULL_MATCH_BONUS) and the outcome says how many they are. The one check of every path: a
    broad query (its first pages come from the top lists, which a bonus would defeat) keeps only
    the telling matches when there are any, since the loose ones would rank below hundreds of
    them anyway."""
    loose, strict = all_tree(plan, counts), all_tree(plan, counts, expand=TELLING)
    if loose is None or loose == strict:
        return
    at_most, likely, _ = estimates(plan, counts)
    terms = rank_terms(plan, counts, broad=is_broad(at_most))
    if strict is None:
        _telling_partial_only(outcome, queryset, plan, backend, counts, loose)
        return
    if is_broad(at_most):
        bonus = own_bonus(queryset, backend, plan, counts)
        telling = backend.search(queryset, strict, terms, at_most, likely, bonus=bonus)
        if backend.has_match(telling):
            outcome.queryset = _order(telling)
        else:
            _telling_partial_only(outcome, queryset, plan, backend, counts, loose)
        return
    total, full = _split_counts(queryset, backend, loose, strict)
    if full >= total:
        return
    if not full:
        _telling_partial_only(outcome, queryset, plan, backend, counts, loose)
        return
    bonus = own_bonus(queryset, backend, plan, counts, [(strict, FULL_MATCH_BONUS)])
    # After the telling matches, only cases found through a word that tells something:
    # not those held through a word most of the library holds (trees.TAIL).
    loose = _tail(plan, counts, strict)
    total, full = _split_counts(queryset, backend, loose, strict)
    if full >= total:
        outcome.queryset = _order(backend.search(queryset, strict, terms, at_most, likely, bonus=bonus))
        return
    if DROP_LOOSE:
        outcome.queryset = _order(backend.search(queryset, strict, terms, at_most, likely, bonus=bonus))
        return
    outcome.queryset = _order(backend.search(queryset, loose, terms, at_most, likely, bonus=bonus))
    outcome.partial, outcome.full_matches = True, full


def _telling_partial_only(
    outcome: SearchOutcome, queryset, plan: QueryPlan, backend, counts: Counts, loose
) -> None:
    """No case holds the query through telling words: every case is a partial match, and only
    those found through words that tell something are listed (志愿服务政务服务加 listed 35 cases,
    9 of them only through 政务, a synonym most cases hold); none when no reading has such words."""
    tail = all_tree(plan, counts, expand=TAIL)
    if tail is None:
        outcome.queryset = _nothing(queryset)
    elif tail != loose:
        at_most, likely, _ = estimates(plan, counts)
        terms = rank_terms(plan, counts, broad=is_broad(at_most))
        outcome.queryset = _order(
            backend.search(
                queryset, tail, terms, at_most, likely, bonus=own_bonus(queryset, backend, plan, counts)
            )
        )
    outcome.partial, outcome.full_matches = True, 0


def _tail(plan: QueryPlan, counts: Counts, strict):
    """The telling all-words tree widened by every alternative no more common than trees.TAIL
    allows: the full matches and the partial tail worth listing after them."""
    tail = all_tree(plan, counts, expand=TAIL)
    if tail is None or tail == strict:
        return strict
    return ("or", (strict, tail))


def _split_counts(queryset, backend, loose, strict) -> tuple[int, int]:
    """(cases matching ``loose``, those of them matching ``strict``), in one query."""
    found = backend.match(queryset, loose)
    if strict is None:
        return found.count(), 0
    if strict == loose:
        total = found.count()
        return total, total
    held = backend.match(queryset.model._base_manager.all(), strict).values("pk")
    counted = found.aggregate(total=Count("pk"), full=Count("pk", filter=Q(pk__in=held)))
    return counted["total"], counted["full"]


def apply_search(queryset: QuerySet, raw_query: str | None) -> SearchOutcome:
    """See the package. The one place that records how the query was read (``readings``)."""
    outcome = _search(queryset, raw_query)
    if outcome.query:
        plan = build_plan(outcome.corrected or outcome.query)
        readings = [(typed, read_as) for typed, read_as in plan.readings if typed != read_as]
        if readings:
            # A word the index holds finds its cases by itself (便民服务 is not a slip of
            # 便民服务室): only the words it lacks were read as another. (The counts of the
            # query searched hold every word of its plan.)
            counts = outcome.counts
            if counts is None or not all(t in counts.df for t, _ in readings if not LETTERS.fullmatch(t)):
                counts = count_tokens(_backend(queryset), plan)
            readings = [(t, r) for t, r in readings if LETTERS.fullmatch(t) or not counts.has(t)]
            backend = _backend(queryset)
            readings = [
                (t, r) for t, r in readings if LETTERS.fullmatch(t) or not held_as_typed(queryset, backend, t)
            ]
        # Whole chunks first, so the query as searched (read_query) puts the longest reading in.
        outcome.readings = sorted(readings, key=lambda item: -len(item[0]))
        # Never suggest what was searched (容缺受里 凉山 read as 容缺受理 凉山).
        searched = {outcome.query, outcome.read_query}
        outcome.suggestions = [s for s in outcome.suggestions if s not in searched]
    return outcome


def _searched(outcome: SearchOutcome, plan: QueryPlan, counts: Counts) -> None:
    """Record the plan searched: what its passages mark, and how telling each mark is."""
    outcome.surfaces, outcome.counts = plan.surfaces, counts
    outcome.weights = surface_weights(plan, counts.df, counts.n)


def _search(queryset: QuerySet, raw_query: str | None) -> SearchOutcome:
    query, truncated = normalize_query(raw_query)
    if not query:
        return SearchOutcome(queryset=queryset, truncated=truncated)
    plan = build_plan(query)
    nothing = _nothing(queryset)
    if not plan.chunks:
        # Nothing searchable (only punctuation or function words): an honest empty result.
        return SearchOutcome(queryset=nothing, query=query, truncated=truncated)
    backend = _backend(queryset)
    counts = count_tokens(backend, plan)
    outcome = SearchOutcome(queryset=nothing, query=query, truncated=truncated)
    _searched(outcome, plan, counts)
    matched = _all_words(queryset, plan, backend, counts)
    if matched is not None and typed_as_is(plan, counts) is None:
        # Found only through a concept near the typed words (帮班代办 ~ 帮办代办): a close
        # correction of the words themselves comes first, when it is sure; else it is offered.
        correction = _correction(queryset, plan, backend)
        if correction and correction.whole:
            fixed_plan = build_plan(correction.text)
            fixed_counts = count_tokens(backend, fixed_plan)
            fixed = _all_words(queryset, fixed_plan, backend, fixed_counts)
            # Not sure (复员 is a word, found through its concept 退役军人): no suggestion of
            # another word beside the answers to this one.
            if correction.sure and fixed is not None and fixed.exists():
                outcome.queryset, outcome.corrected = _order(fixed), correction.text
                _searched(outcome, fixed_plan, fixed_counts)
                _split_loose(outcome, queryset, fixed_plan, backend, fixed_counts)
                return outcome
    if matched is not None and matched.exists():
        outcome.queryset = _order(matched)
        several = len(plan.chunks[0].words) > 1 or len(plan.chunks) > 1
        # (A broad query has many full matches, and its partial ones would not be ranked anyway.)
        if several and not is_broad(estimates(plan, counts)[0]):
            loose, strict = all_tree(plan, counts), all_tree(plan, counts, expand=TELLING)
            total, full = _split_counts(queryset, backend, loose, strict)
            if total < FEW_FULL_MATCHES:
                # A few full matches: the cases holding enough of the query follow them (the
                # rank puts every telling full match first: FULL_MATCH_BONUS), and the outcome
                # says so.
                shown = _tail(plan, counts, strict) if full and strict is not None else loose
                filled = _any_words(queryset, plan, backend, counts, full=shown, strict=strict)
                if filled is not None:
                    outcome.queryset = _order(filled)
                    if full < total or filled.count() > full:
                        outcome.partial, outcome.full_matches = True, full
                    return outcome
        _split_loose(outcome, queryset, plan, backend, counts)
        return outcome
    correction = _correction(queryset, plan, backend)
    fixed_plan = build_plan(correction.text) if correction else None
    fixed_counts = count_tokens(backend, fixed_plan) if fixed_plan else None
    if fixed_plan is not None:
        fixed = _all_words(queryset, fixed_plan, backend, fixed_counts)
        if fixed is not None and fixed.exists():
            if correction.sure:
                # The query as typed finds nothing: show what the correction finds, and say so.
                outcome.queryset, outcome.corrected = _order(fixed), correction.text
                _searched(outcome, fixed_plan, fixed_counts)
                _split_loose(outcome, queryset, fixed_plan, backend, fixed_counts)
                return outcome
            outcome.suggestions = [correction.text]
        elif correction.whole:
            outcome.suggestions = [correction.text]
    # The any-word check goes through has_match: many OR-ed words make LIMIT 1 plans walk the table.
    partial = _any_words(queryset, plan, backend, counts)
    if partial is not None and backend.has_match(partial):
        outcome.queryset, outcome.partial, outcome.full_matches = _order(partial), True, 0
        return outcome
    if fixed_plan is not None and correction.sure:
        partial = _any_words(queryset, fixed_plan, backend, fixed_counts)
        if partial is not None and backend.has_match(partial):
            outcome.queryset, outcome.partial, outcome.corrected = _order(partial), True, correction.text
            outcome.suggestions, outcome.full_matches = [], 0
            _searched(outcome, fixed_plan, fixed_counts)
    return outcome
