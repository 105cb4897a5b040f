"""Issue 15, fourth round (outside verifier), as kinds, on SQLite and PostgreSQL (DATABASE_URL):

- a partial tail found only through a word most of the library holds (a related term, a synonym, a
  sub-word or character pairs of the query) is not listed (代办点 -> 便民服务中心, 授信 -> 金融);
- cases holding the words as typed rank above those found only through the thesaurus (少跑腿).

Checked over the thesaurus's own vocabulary (every word the library holds that has expansions),
not only the verifier's examples.
"""

from functools import lru_cache

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from cases.search import apply_search, is_partial_match
from cases.search.backends import backend_for
from cases.search.query import build_plan
from tests.search.thesaurus_table import load_concepts

MOST = 0.5  # "held by most of the library"
EXAMPLES = ["代办点", "一网通办", "网格员", "授信", "农村老人领养老金要去哪里办", "少跑腿"]


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """A fixed quarter of the thesaurus's words (all 1,400 take minutes on two backends)."""
    words = {w for c in load_concepts() for w in [c["term"], *c.get("synonyms", []), *c.get("related", [])]}
    return tuple(sorted(words))[::4]


def published():
    return Case.objects.published()


def shares(tokens) -> dict[str, float]:
    return backend_for(connection).document_frequencies(sorted(set(tokens)))[1]


def telling_alternatives(query: str) -> list:
    """Every way a case may hold a word of the query (the word, its parts, a thesaurus word, the
    chunk's character pairs) through tokens not all held by MOST of the library."""
    plan = build_plan(query)
    found = []
    for chunk in plan.chunks:
        options = [tuple(g) for g in chunk.grams]
        for word in chunk.words:
            options += [(word.token,), tuple(word.parts), *(tokens for tokens, _ in word.expansions)]
            if len(word.token) > 2 and not word.literal:
                # All but the last part (餐饮店 -> 餐饮; 低保户 -> 低保): see trees.held_parts.
                options.append(tuple(word.parts[:-1]))
        for tokens in options:
            tokens = tuple(t for t in tokens if t)
            if not tokens:
                continue
            share = shares(tokens)
            if all(share[t] > 0 for t in tokens) and min(share.values()) < MOST:
                found.append(tokens[0] if len(tokens) == 1 else ("and", tokens))
    return found


def assert_tail_is_telling(query: str) -> None:
    outcome = apply_search(published(), query)
    if not outcome.partial or outcome.corrected:
        return
    ranked = list(outcome.queryset.values_list("pk", "search_rank"))
    tail = {pk for pk, rank in ranked if is_partial_match(outcome, rank)}
    if not tail:
        return
    alternatives = telling_alternatives(query)
    held = set()
    if alternatives:
        tree = alternatives[0] if len(alternatives) == 1 else ("or", tuple(alternatives))
        held = set(backend_for(connection).match(published(), tree).values_list("pk", flat=True))
    assert tail <= held, (query, f"{len(tail - held)} of {len(ranked)} found only through common words")


@pytest.mark.parametrize("query", EXAMPLES)
def test_the_verifiers_broad_queries_list_no_tail_of_common_words(library, query):
    assert_tail_is_telling(query)


def test_no_partial_result_is_found_only_through_a_word_most_cases_hold(library):
    for query in vocabulary():
        assert_tail_is_telling(query)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_nor_for_two_words_of_the_vocabulary(library, data):
    words = data.draw(st.lists(st.sampled_from(vocabulary()), min_size=2, max_size=2, unique=True))
    assert_tail_is_telling("".join(words))


def inverted_pairs(query: str) -> tuple[int, int] | None:
    """(literal/expansion-only pairs of full matches ranked the wrong way, all such pairs) of a
    one-word query the library holds as typed; None when there is nothing to compare."""
    plan = build_plan(query)
    if len(plan.chunks) != 1 or len(plan.chunks[0].words) != 1:
        return None
    word = plan.chunks[0].words[0]
    if not word.expansions or shares([word.token])[word.token] == 0:
        return None
    outcome = apply_search(published(), query)
    if outcome.corrected or outcome.readings:
        return None
    literal = set(backend_for(connection).match(published(), word.token).values_list("pk", flat=True))
    full = [
        pk
        for pk, rank in outcome.queryset.values_list("pk", "search_rank")
        if not is_partial_match(outcome, rank)
    ]
    held = [i for i, pk in enumerate(full) if pk in literal]
    others = [i for i, pk in enumerate(full) if pk not in literal]
    if not held or not others:
        return None
    return sum(1 for a in held for b in others if a > b), len(held) * len(others)


def test_cases_holding_the_typed_word_rank_above_those_found_through_expansions(library):
    # Across the vocabulary: at most 1 query in 20 has a literal case below an expansion-only one,
    # and under 2% of all such pairs are inverted (before: most queries had one).
    figures = [f for f in map(inverted_pairs, vocabulary()) if f]
    assert len(figures) > 50
    queries_inverted = sum(1 for wrong, _ in figures if wrong)
    assert queries_inverted <= len(figures) / 20, (queries_inverted, len(figures))
    assert sum(w for w, _ in figures) <= 0.02 * sum(n for _, n in figures)
    # The verifier's example: the cases saying 少跑腿 come first.
    assert inverted_pairs("少跑腿") == (0, inverted_pairs("少跑腿")[1])


def test_a_compound_is_found_through_its_telling_first_part(library):
    # Found by Hypothesis (CI): 餐饮店 is held by no case, 餐饮 by a few; such a case is a telling
    # partial match, not one found through common words.
    assert_tail_is_telling("餐饮店24小时自助服务")


def test_no_telling_full_match_lists_only_telling_partial_ones(library):
    # Found by Hypothesis: no case held both words through telling words, and the partial list
    # took every case holding 政务 (a synonym of 政务服务加 most cases hold).
    assert_tail_is_telling("志愿服务政务服务加")
