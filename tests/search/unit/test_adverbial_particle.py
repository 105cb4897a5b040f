"""The particle 地 after an adjective or adverb (更方便地办医保) marks how, not land: it is dropped
like a stop word, not joined to the next single character into a bogus word (地办)."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cases.search.query import build_plan
from cases.search.segmenter import _describing_words, get_segmenter


def words(query):
    return [w.token for chunk in build_plan(query).chunks for w in chunk.words]


def test_the_particle_is_not_joined_into_a_word():
    assert words("怎样让农民更方便地办医保") == ["农民", "医保"]


@pytest.mark.parametrize(
    ("query", "held"), [("承包地流转", "承包地"), ("耕地保护", "耕地"), ("宅基地", "宅基地")]
)
def test_land_stays_a_word(query, held):
    assert held in words(query)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_after_any_describing_word_the_particle_is_dropped(data):
    describing = sorted(w for w in _describing_words() if "地" not in w and len(w) == 2)
    adjective = data.draw(st.sampled_from(describing), label="adjective")
    verb = data.draw(st.sampled_from("办查交领"), label="verb")
    query = f"{adjective}地{verb}医保"
    # Only when jieba reads the adjective and the particle apart (not 方便地 as one word).
    assume(get_segmenter().cut(query)[:2] == [adjective, "地"])
    assert not any("地" in w for w in words(query)), words(query)
