"""The admin's autocomplete (select2 asks it for JSON) with control characters in the term, NUL among
them (PostgreSQL refuses NUL in text: a 500 before the request guard): never a 500, never the public
HTML 400 page; an ordinary no-match answer, or the JSON error for NUL, which the request guard refuses
on every address before any query runs."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FIELDS = [
    {"app_label": "cases", "model_name": "case", "field_name": "unit"},
    {"app_label": "awards", "model_name": "unit", "field_name": "prefecture"},
]

CONTROL_TERMS = st.text(
    alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]) | st.sampled_from("便民a1 "),
    min_size=1,
    max_size=12,
)


def autocomplete(client, term, field):
    return client.get(reverse("admin:autocomplete"), {"term": term, **field})


def assert_json_answer(response, term):
    assert response.status_code in (200, 400), (term, response.status_code)
    assert response["Content-Type"].split(";")[0] == "application/json", (term, response["Content-Type"])
    body = response.json()
    if response.status_code == 200:
        assert set(body) == {"results", "pagination"}
    else:
        assert body["code"] == "bad_request" and body["detail"]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f["model_name"])
@pytest.mark.parametrize("term", ["\x00", "a\x00b", "\x00\x01\x1f", "便民\x00"])
def test_a_nul_in_the_term_is_the_json_400_not_the_public_page(superuser_client, field, term):
    response = autocomplete(superuser_client, term, field)
    assert response.status_code == 400
    assert_json_answer(response, term)
    assert b"<html" not in response.content.lower()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(term=CONTROL_TERMS)
@example(term="\x01\x0b\x7f")
@example(term="\u200b\ufeff")
def test_control_characters_in_the_term_answer_json(superuser_client, term):
    for field in FIELDS:
        response = autocomplete(superuser_client, term, field)
        assert_json_answer(response, term)
        if "\x00" not in term:
            assert response.status_code == 200, term


def test_an_ordinary_term_still_finds(superuser_client):
    response = autocomplete(superuser_client, "", FIELDS[0])
    assert response.status_code == 200 and response.json()["results"]
