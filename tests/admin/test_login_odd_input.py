"""Whatever the sign-in form is sent, the answer is the form again (or the lockout page), never a 500.

django-axes writes every failed sign-in to bounded columns (the username to a 255-character column) and
looks the username up on every attempt; PostgreSQL refuses a value too long for its column and any NUL,
where SQLite stores anything. So this runs on both, and counts on PostgreSQL.
"""

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal.auth import AXES_USERNAME_MAX_LENGTH

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ODD = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Co", "Zs"], codec="utf-8"), max_size=10),
    st.text(alphabet="a编辑\u200b\x00 ", min_size=140, max_size=3000),
    st.sampled_from(["", " ", "\x00", "a" * 151, "a" * 256, "编" * 300, "editor\u200b"]),
)


def sign_in(username, password="wrong", **extra):
    client = Client(REMOTE_ADDR="10.9.0.1", raise_request_exception=False)
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/", **extra})


def test_a_username_longer_than_the_attempt_column_is_refused_in_chinese(library):
    response = sign_in("a" * (AXES_USERNAME_MAX_LENGTH + 45))
    assert response.status_code == 200
    assert "不超过 150 字符" in response.content.decode()  # Django's "at most 150 characters"


def test_axes_records_the_username_cleaned_and_cut_to_its_column(library, editor):
    # Within an account's 150 characters the form lets it through: axes records the failure.
    sign_in("editor\u200b\x0b")
    assert AccessAttempt.objects.filter(username="editor").exists()


@settings(
    max_examples=40 if connection.vendor == "postgresql" else 15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(username=ODD, password=ODD, next_url=ODD)
@example(username="a" * 300, password="x", next_url="/admin/")
@example(username="a" * 256, password="x\x00", next_url="\x00")
@example(username="编" * 200, password="x", next_url="/admin/")
def test_any_posted_sign_in_is_answered_without_a_server_error(library, username, password, next_url):
    response = sign_in(username, password, next=next_url)
    assert response.status_code in (200, 429), response.status_code
    recorded = AccessAttempt.objects.values_list("username", flat=True)
    assert all(
        len(name or "") <= AXES_USERNAME_MAX_LENGTH and "\x00" not in (name or "") for name in recorded
    )
