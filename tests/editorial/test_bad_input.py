"""Bad input to the editorial pages (revert, recover, held changes) never gives a 500: a 404, a
redirect with a Chinese message, or the page again."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.editorial import case_change_submit, case_snapshot
from cases.models import Case, CaseChange

from .conftest import browser_for, make_user

pytestmark = pytest.mark.django_db

printable = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))  # what a URL path can carry
ids = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    st.text(alphabet=printable, min_size=1, max_size=20),
)
slug_safe = ids.filter(lambda s: "/" not in s and "?" not in s and "#" not in s and s.strip() == s and s)


@pytest.fixture
def held(library):
    case = Case.objects.get(slug="2021-best-01")
    payload = case_snapshot(case)
    payload["fields"]["title"] = "待审核的标题"
    return case_change_submit(user=make_user("editor"), case=case, payload=payload, source="form")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(object_id=slug_safe, number=st.integers(min_value=0, max_value=2**31))
@example(object_id="abc", number=1)
@example(object_id="1", number=999999)
def test_unknown_ids_on_the_editorial_pages_are_404_or_a_message(held, object_id, number):
    client = browser_for(make_user("publisher"))
    for name, args in (
        ("cases_case_change_detail", (object_id, number)),
        ("cases_case_revision", (object_id, number)),
        ("cases_case_version_diff", (object_id, number)),
        ("cases_case_history", (object_id,)),
    ):
        response = client.get(reverse(f"admin:{name}", args=args))
        assert response.status_code in (200, 302, 404), (name, args, response.status_code)
    assert client.get(reverse("admin:cases_case_recover", args=(number,))).status_code in (302, 404)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decision=st.text(max_size=30), note=st.text(max_size=300))
@example(decision="return", note="")
@example(decision="publish\x00", note="x")
def test_any_decision_posted_on_a_held_change_is_answered_with_a_message(held, decision, note):
    client = Client()  # no CSRF check: the form's token is not what is being tested here
    client.force_login(make_user("publisher"))
    url = reverse("admin:cases_case_change_detail", args=(held.case_id, held.pk))
    response = client.post(url, {"decision": decision, "note": note})
    assert response.status_code == 302
    held.refresh_from_db()
    if decision not in ("publish", "return"):
        assert held.state == CaseChange.State.PENDING
