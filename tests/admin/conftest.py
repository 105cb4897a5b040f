"""Users in the two editorial roles, a superuser, and a helper that posts an admin form back."""

import pytest
from django import forms
from django.contrib.auth.models import Group, User

from cases.editorial import EDITOR_GROUP, PUBLISHER_GROUP

PASSWORD = "Ein-langes-Passwort-2024"


def _staff(username, group=None, **extra):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(library):
    return _staff("editor", EDITOR_GROUP)


@pytest.fixture
def publisher(library):
    return _staff("publisher", PUBLISHER_GROUP)


@pytest.fixture
def superuser(library):
    return User.objects.create_superuser("root", password=PASSWORD)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def form_data(response) -> dict:
    """The POST data an unchanged submit of an admin change form would send (with its inlines)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(form.fields[name], forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                data[key] = [str(v) for v in value or []]
            elif value is None:
                data[key] = ""
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data
