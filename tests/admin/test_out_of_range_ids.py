"""An id no table can hold (99999999999999999999999, -1, "1e5", "abc") typed into any related-record
field of an admin form is a Chinese form error when the form is shown again, never a 500."""

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import Case, CaseSection, Erratum

from .conftest import form_data

pytestmark = pytest.mark.django_db

BAD_IDS = st.one_of(
    st.integers(min_value=2**31).map(str),
    st.integers(max_value=0).map(str),
    st.text(min_size=1, max_size=30).filter(lambda t: not t.strip().isdigit()),
)


def related_fields(response):
    form = response.context["adminform"].form
    return [name for name, field in form.fields.items() if isinstance(field, forms.ModelChoiceField)]


def pages():
    """The add page of every registered model, and the change pages of a case, section, erratum."""
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    for model in (Case, CaseSection, Erratum):
        obj = model.objects.first()
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,)))
    return urls


def shown_forms(client):
    """(url, the form's data, its related fields) for every page showing an admin form."""
    found = []
    for url in pages():
        page = client.get(url)
        if page.status_code != 200 or "adminform" not in (page.context or {}):
            continue
        found.append((url, form_data(page), related_fields(page)))
    return found


def check(client, value, shown=None):
    # ``shown``: the forms as shown before, reused for every value tried (nothing is ever saved, so
    # showing them again gives the same forms; only the posts depend on the value).
    for url, data, names in shown if shown is not None else shown_forms(client):
        for name in names:
            response = client.post(url, {**data, name: value})
            assert response.status_code == 200, (url, name, value)
            errors = response.context["adminform"].form.errors
            assert name in errors, (url, name, value)
            text = str(errors[name])
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text


@pytest.fixture
def shown(superuser_client):
    """Shown once per test: Hypothesis runs every example within one function-scoped fixture."""
    return shown_forms(superuser_client)


def test_the_verifiers_id_in_every_related_field_is_a_form_error(superuser_client):
    check(superuser_client, "99999999999999999999999")


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=BAD_IDS)
@example(value="9223372036854775808")
@example(value="-99999999999999999999")
def test_any_bad_id_in_every_related_field_is_a_form_error(superuser_client, shown, value):
    assert shown  # the pages are there to post to
    check(superuser_client, value, shown)
