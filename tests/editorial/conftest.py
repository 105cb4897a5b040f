"""Staff in each editorial role, signed in on clients that enforce CSRF as a browser meets it."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from cases.editorial import EDITOR_GROUP, PUBLISHER_GROUP

ROLES = ("anonymous", "editor", "publisher", "superuser")


def make_user(role: str):
    """A user in ``role``; signed in with force_login, so no password (hashing one costs a second)."""
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser(f"root-{User.objects.count()}", password=None)
    user = User.objects.create_user(f"{role}-{User.objects.count()}", password=None, is_staff=True)
    user.groups.add(Group.objects.get(name={"editor": EDITOR_GROUP, "publisher": PUBLISHER_GROUP}[role]))
    return user


def browser_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def users(library):
    return {role: make_user(role) for role in ROLES}


@pytest.fixture
def browsers(users):
    return {role: browser_for(user) for role, user in users.items()}


@pytest.fixture
def reader():
    """An anonymous reader of the public site and the API."""
    return Client()
