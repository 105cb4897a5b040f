"""The list's facet counts: right for any selection, and counted in two queries whatever is selected.

The tier, prefecture and level facets are fields of the case's row: their counts come from one
GROUP BY over (tier, prefecture, level) (cases.selectors.facet_counts), the theme facet's from another.
Four GROUP BY queries (one per facet, each with COUNT(DISTINCT)) were 290 ms of a computed list page at
20,000 cases on PostgreSQL.
"""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.filters import CaseFilter
from cases.selectors import case_list_queryset, facet_counts
from tests.site.test_case_list import expected_facets, get_list

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

TIERS = ["best", "excellent"]
PREFECTURES = ["510100", "510400", "511800", "513300", "513400"]
LEVELS = ["prefecture", "county", "township", "village"]
THEMES = ["finance", "government-plus", "devolution", "assisted-service", "one-thing-once"]

SELECTIONS = st.fixed_dictionaries(
    {
        "tier": st.lists(st.sampled_from(TIERS), unique=True, max_size=2),
        "prefecture": st.lists(st.sampled_from(PREFECTURES), unique=True, max_size=3),
        "level": st.lists(st.sampled_from(LEVELS), unique=True, max_size=2),
        "theme": st.lists(st.sampled_from(THEMES), unique=True, max_size=2),
    }
)


@HYPOTHESIS
@given(selected=SELECTIONS)
@example(selected={"tier": ["best"], "prefecture": ["510100", "510400"], "level": ["county"], "theme": []})
@example(selected={"tier": [], "prefecture": [], "level": ["county", "village"], "theme": ["finance"]})
def test_every_facet_counts_the_cases_its_option_adds_to_the_other_filters(client, facts, selected):
    response = get_list(client, selected)
    assert response.status_code == 200
    wanted = expected_facets(facts, selected)
    for facet in response.context["facets"]:
        for option in facet.options:
            assert option.count == wanted[facet.name][option.value], (facet.name, option.value, selected)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "tier=best",
        "tier=best&prefecture=510100&level=county",
        "theme=finance&theme=devolution&tier=excellent",
    ],
)
def test_the_facets_are_counted_in_two_queries_whatever_is_selected(library, query):
    choices = CaseFilter.load_choices()
    filterset = CaseFilter(QueryDict(query), queryset=case_list_queryset(), choices=choices)
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as counted:
        facet_counts(filterset, case_list_queryset())
    assert len(counted) == 2
