"""The admin finds units and prefectures by every recorded form of their names: aliases, official names,
variant spellings (issue 13 verifier item 4); so does the public search."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards.models import Prefecture
from cases.models import Case

BEICHUAN = "绵阳市北川县擂鼓镇"
YANJIA = "德阳市罗江区鄯家镇便民服务中心"


def unit_list(client, term):
    response = client.get(reverse("admin:awards_unit_changelist"), {"q": term})
    assert response.status_code == 200
    return response.context["cl"].result_list


@pytest.mark.parametrize(
    ("term", "unit"),
    [
        ("北川羌族自治县", BEICHUAN),  # official name of the county (county field, alias)
        ("北川羌族自治县擂鼓镇", BEICHUAN),  # alias only
        ("擂鼓镇便民服务中心", BEICHUAN),  # alias only
        ("鄯家镇", YANJIA),  # the notice's form, in the name
        ("鄢家镇", YANJIA),  # the real name: township and alias
        ("雅安市政务服务大数据局", "雅安市政务服务和大数据局"),  # the text's variant: alias
        ("福祿社区", "乐山市沙湾区福禄镇福禄社区"),  # traditional form recorded as alias
        ("甘孜藏族自治州", "甘孜藏族自治州行政审批局"),  # prefecture's official name
    ],
)
def test_the_unit_list_finds_a_unit_by_any_recorded_form(superuser_client, term, unit):
    names = [u.name for u in unit_list(superuser_client, term)]
    assert any(unit in name for name in names), names


def test_an_alias_search_keeps_the_list_filters(superuser_client, library):
    other = Prefecture.objects.exclude(units__name=BEICHUAN).first()
    response = superuser_client.get(
        reverse("admin:awards_unit_changelist"), {"q": "北川羌族自治县", "prefecture__id__exact": other.pk}
    )
    assert list(response.context["cl"].result_list) == []


def test_the_unit_autocomplete_finds_an_official_name(superuser_client):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "case", "field_name": "unit", "term": "北川羌族自治县"},
    )
    assert [r["text"] for r in response.json()["results"]] == [BEICHUAN]


@pytest.mark.parametrize(
    ("term", "code"), [("甘孜藏族自治州", "513300"), ("甘孜州", "513300"), ("凉山彝族自治州", "513400")]
)
def test_the_prefecture_list_finds_both_names(superuser_client, term, code):
    response = superuser_client.get(reverse("admin:awards_prefecture_changelist"), {"q": term})
    assert [p.code for p in response.context["cl"].result_list] == [code]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(term=st.text(max_size=30))
def test_odd_search_terms_never_break_the_unit_list(superuser_client, term):
    response = superuser_client.get(reverse("admin:awards_unit_changelist"), {"q": term.replace("\x00", "")})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("one", "other", "unit"),
    [
        ("北川羌族自治县", "北川县", BEICHUAN),
        ("甘孜藏族自治州", "甘孜州", "甘孜藏族自治州行政审批局"),
        ("鄢家镇", "鄯家镇", YANJIA),
        ("硗碛", "硃碛", "雅安市宝兴县行政审批局"),
        ("三办双代一回访", "三办两代一回访", "宜宾市筠连县腾达镇春风村"),
        ("顺丰快递", "顺风快递", "宜宾市筠连县腾达镇春风村"),
    ],
)
def test_the_public_search_finds_both_forms(library, one, other, unit):
    for term in (one, other):
        found = Case.objects.published().search(term).values_list("unit__name", flat=True)
        assert any(unit in name for name in found), (term, list(found)[:5])
