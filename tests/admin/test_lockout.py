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


def test_behind_a_proxy_the_lock_is_per_client_not_per_proxy(editor, settings):
    """Through nginx every request comes from its address; the client's is in X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1
    nginx = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, "editor", "wrong")
    assert attempt(attacker, "editor", PASSWORD).status_code == 429
    # The editor, through the same proxy from elsewhere, still signs in.
    colleague = Client(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert attempt(colleague, "editor", PASSWORD).status_code == 302
    # A forged entry in front of the proxy's own does not dodge the lock.
    forged = Client(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert attempt(forged, "editor", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="editor", ip_address="203.0.113.7").exists()
