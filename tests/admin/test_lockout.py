"""django-axes: repeated failed logins lock the account from that address; superusers see the lock."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_repeated_failures_lock_the_account_and_address(editor):
    client = Client(REMOTE_ADDR="10.0.0.8")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "editor", "wrong")
        assert response.status_code == 200  # the normal form with its error
    response = attempt(client, "editor", "wrong")
    assert response.status_code == 429
    assert "锁定" in response.text
    # Now even the right password is refused from this address ...
    response = attempt(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # ... while the same user from another address, and others from this one, still get in.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert attempt(other, "editor", PASSWORD).status_code == 302
    assert AccessAttempt.objects.filter(username="editor", ip_address="10.0.0.8").exists()


def test_superuser_sees_the_lock_in_admin(editor, superuser_client):
    client = Client(REMOTE_ADDR="10.0.0.8")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editor", "wrong")
    response = superuser_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "editor" in response.text and "10.0.0.8" in response.text


def test_a_good_login_works_and_force_login_is_unaffected(editor, client):
    assert attempt(client, "editor", PASSWORD).status_code == 302
    other = Client()
    other.force_login(editor)
    assert other.get(reverse("admin:index")).status_code == 200
    assert Client().login(username="editor", password=PASSWORD)
