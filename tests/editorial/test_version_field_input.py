"""The hidden version field of every admin form that has one (the optimistic lock) takes any text a
crafted POST can carry: a value that is not the stored version is a Chinese form error and nothing
is saved — never a 500, never "第 None 版". Values drawn by Hypothesis; the ones an outside
verifier found (-1, 10**30, empty, not a number) are kept as explicit examples."""

import pytest
from django.contrib import admin
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from awards.models import Unit
from cases.models import Case, CaseChange, CaseSection, Erratum
from portal.admin.forms import parse_version

from .browser import post_form
from .conftest import browser_for, make_user
from .steps import url

pytestmark = pytest.mark.django_db

# Each model whose admin form carries a version, and a text field to change in the attempt.
EDITED = {Case: "summary", Unit: "township", CaseSection: "heading", Erratum: "reason"}

values = st.one_of(
    st.integers(min_value=-(10**31), max_value=10**31).map(str),
    st.text(max_size=30),
    st.sampled_from(["", "0", "１", "1.0", "1e3", " ", "None", str(2**31), str(2**63)]),
)


def version_forms() -> list[type]:
    return [m for m, a in admin.site._registry.items() if "loaded_version" in a.form.base_fields]


def test_every_form_with_a_version_is_covered():
    assert set(version_forms()) == set(EDITED)


@pytest.fixture
def staff(library):
    return browser_for(make_user("superuser"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=values)
@example(value="-1")
@example(value=str(10**30))
@example(value="")
@example(value="abc")
@example(value="2147483648")
def test_any_version_value_is_answered_with_a_form_error_or_a_save(staff, value):
    for model, field in EDITED.items():
        record = model._default_manager.order_by("pk").first()
        opts = model._meta
        page = staff.get(url(f"{opts.app_label}_{opts.model_name}_change", record.pk))
        assert page.status_code == 200
        before = getattr(model._default_manager.get(pk=record.pk), field)
        root = (
            Case.objects.get(pk=record.case_id)
            if model in (CaseSection, Erratum) and record.case_id
            else None
        )
        current = (root or model._default_manager.get(pk=record.pk)).version
        if model is Erratum and record.case_id is None:
            current = Unit.objects.get(pk=record.unit_id).version
        response = post_form(
            staff,
            page,
            form_id=f"{opts.model_name}_form",
            changes={"loaded_version": value, field: "构造的提交"},
        )
        assert response.status_code in (200, 302, 400), (model, value, response.status_code)
        after = getattr(model._default_manager.get(pk=record.pk), field)
        if response.status_code == 302:
            assert parse_version(value) == current, (model, value)
            assert after == "构造的提交"
            continue
        assert after == before, (model, value)
        if response.status_code == 200:
            text = response.content.decode()
            assert "未保存" in text, (model, value)
            assert "第 None 版" not in text
    # A refused save kept for comparison always names a real version.
    assert not CaseChange.objects.filter(based_on_version__lt=1).exists()
