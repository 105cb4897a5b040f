"""Issue 15, "One need, many words, different answers": with the domain thesaurus
(cases/search/thesaurus.toml) the words readers use for one need find the same cases, in both
backends, and the reader's own words rank first."""

import pytest

from cases.models import Case
from cases.search import apply_search
from cases.search.text import CJK_RUN
from cases.search.thesaurus import get_thesaurus
from cases.search.trees import TAIL_SHARE
from tests.search.test_understanding import holding

NEEDS = {
    "postal": ["快递服务", "寄递服务", "邮寄服务", "物流配送"],
    "credit loans": ["信贷", "贷款", "信用贷款"],
}


def found(query, n=None):
    return list(apply_search(Case.objects.published(), query).queryset.values_list("slug", flat=True)[:n])


@pytest.mark.parametrize("need", list(NEEDS))
def test_the_words_of_one_need_find_the_same_cases(library, need):
    answers = [set(found(word)) for word in NEEDS[need]]
    union = set().union(*answers)
    assert len(union) >= 4
    for word, answer in zip(NEEDS[need], answers, strict=True):
        # Each word finds nearly all the cases any of them finds (9/3/4/3 with little overlap before).
        assert len(answer) >= 0.8 * len(union), (word, len(answer), len(union))


def test_credit_words_reach_their_neighbours(library):
    # 征信 is in no case: as a word related to 信贷 and 信用 it finds their cases.
    assert found("征信")
    assert set(found("征信")) & set(found("信贷"))


def test_the_readers_words_and_their_synonyms_rank_before_related_words(library):
    thesaurus = get_thesaurus()
    for query in ("寄递服务", "邮寄", "贷款", "宅基地"):
        concept = thesaurus.concept_of(query)
        same_need = set().union(*(holding([w]) for w in concept.own_words if len(w) > 1))
        ranked = found(query)
        assert len(ranked) > len(same_need & set(ranked)) > 0, query  # related words found more
        assert set(ranked[: len(same_need & set(ranked))]) == same_need & set(ranked), query


def test_the_readers_own_word_outweighs_a_synonym(library):
    # 邮寄 and 快递 are one need; a case holding the typed word ranks above one holding only the other.
    for typed, other in (("邮寄", "快递"), ("快递", "邮寄")):
        ranked = found(typed)
        own, synonym_only = holding([typed]), holding([other]) - holding([typed])
        assert min(ranked.index(s) for s in own) < min(ranked.index(s) for s in synonym_only), typed


def test_a_synonym_matches_like_the_term_in_both_backends(library):
    thesaurus = get_thesaurus()
    checked = 0
    for concept in thesaurus.concepts:
        # Words of one script only (政务服务+ is read as a phrase rewrite, 12345热线 as two words).
        present = [w for w in concept.own_words if len(w) > 1 and CJK_RUN.fullmatch(w) and holding([w])]
        if len(present) < 2:
            continue
        term_cases = set(found(present[0]))
        common = TAIL_SHARE * Case.objects.published().count()
        for synonym in present[1:3]:
            if len(holding([present[0]])) < common:
                assert holding([present[0]]) <= set(found(synonym)), (concept.id, synonym)
        # A synonym most of the library holds (标准化 for 标准化建设) finds no partial tail after
        # the term's telling matches (issue 15, fourth round: trees.TAIL).
        if len(holding([present[1]])) < common:
            assert holding([present[1]]) <= term_cases, concept.id
        checked += 1
    assert checked >= 20
