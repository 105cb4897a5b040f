"""No silent reading (issue 15, third round): whenever the search reads a query word as another
word (a thesaurus word one character away, pinyin), the outcome names the reading, the API's
``search`` object reports it and the list page says 已按“Y”搜索. On SQLite and PostgreSQL alike."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from cases.models import Case
from cases.search import apply_search, is_partial_match
from cases.search.segmenter import get_segmenter
from cases.search.text import CJK_RUN, bigrams
from cases.search.thesaurus import get_thesaurus
from tests.search.test_understanding import holding

SLIPS = {
    "一网通半": "一网通办",
    "快第服务": "快递服务",
    "快递服物": "快递服务",
    "帮办待办": "帮办代办",
    "退役军人事物": "退役军人事务",
}


def search(query):
    return apply_search(Case.objects.published(), query)


@pytest.mark.parametrize(("typed", "meant"), SLIPS.items())
def test_a_slip_read_as_a_thesaurus_word_is_named_by_the_outcome_the_api_and_the_page(
    library, client, typed, meant
):
    outcome = search(typed)
    assert outcome.queryset.exists()
    assert outcome.corrected == meant or (typed, meant) in outcome.readings
    body = APIClient().get(f"/api/v1/cases/?q={quote(typed)}").json()["search"]
    assert body["corrected"] == meant
    assert body["readings"] == [{"typed": typed, "read_as": meant}] or body["readings"] == []
    html = client.get(f"/cases/?q={quote(typed)}").content.decode()
    assert f"“{meant}”" in html


def test_a_pinyin_query_says_how_it_was_read(library):
    outcome = search("pengshan")
    assert ("pengshan", "彭山") in outcome.readings
    body = APIClient().get("/api/v1/cases/?q=pengshan").json()["search"]
    assert body["corrected"] == "彭山"
    assert {"typed": "pengshan", "read_as": "彭山"} in body["readings"]


def test_a_word_the_index_holds_is_not_read_as_another(library):
    # 便民服务 is one character from 便民服务室, but it finds its own cases.
    outcome = search("便民服务")
    assert outcome.readings == [] and outcome.corrected is None


def test_the_schema_names_the_readings(library):
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    text = str(schema)
    assert "readings" in text and "read_as" in text


def _terms():
    words = sorted(w for w in get_thesaurus().words() if len(w) >= 3 and CJK_RUN.fullmatch(w))
    return words


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_one_character_slip_is_found_by_its_own_words_or_names_its_reading(library, data):
    term = data.draw(st.sampled_from(_terms()))
    at = data.draw(st.integers(0, len(term) - 1))
    slip = term[:at] + data.draw(st.sampled_from("半第物待事办")) + term[at + 1 :]
    if slip == term:
        return
    outcome = search(slip)
    found = set(outcome.queryset.values_list("slug", flat=True))
    if not found:
        return
    # Found by its exact words (with their concepts): what its words find searched apart, or
    # the cases holding all its character pairs.
    words = get_segmenter().query_words(slip)
    grams = bigrams(slip)
    own = set(holding(grams)) if grams else set()
    if words:
        own |= set(search(" ".join(words)).queryset.values_list("slug", flat=True))
    named = bool(outcome.corrected or outcome.readings or outcome.suggestions or outcome.partial)
    assert found <= own or named, (slip, outcome.readings)


# Common-word flooding: cases found only through a word's related terms are partial matches.

# (双语服务 has no tail since its related term 办事指南, in 13 cases, merely relates: trees.LONE_TAIL.)
FLOODED = {"志愿服务": None, "网格员": "网格", "新生儿出生登记": None, "新生儿落户": None, "老年人服务": None}


@pytest.mark.parametrize(("query", "held"), FLOODED.items())
def test_cases_found_only_through_related_terms_are_partial_and_come_after_the_full_ones(
    library, client, query, held
):
    outcome = search(query)
    rows = list(outcome.queryset)
    flags = [is_partial_match(outcome, row.search_rank) for row in rows]
    assert outcome.partial and 0 < outcome.full_matches < len(rows)
    assert flags == sorted(flags) and flags.count(False) == outcome.full_matches
    if held:
        assert {row.slug for row, flag in zip(rows, flags, strict=True) if not flag} <= holding([held])
    body = APIClient().get(f"/api/v1/cases/?q={quote(query)}&page_size=50").json()["search"]
    assert body["partial"] is True and body["full_matches"] == outcome.full_matches


def test_a_query_whose_cases_all_hold_its_words_is_not_partial(library):
    outcome = search("凉山")
    assert not outcome.partial
