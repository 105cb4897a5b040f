"""Bad input never gives a 500: a normal page with a clear Chinese message, everything echoed escaped."""

import pytest

pytestmark = pytest.mark.django_db


def get(client, query: str):
    response = client.get("/cases/" + query)
    assert response.status_code == 200, query
    return response, response.content.decode()


def test_unknown_filter_value_is_ignored_with_a_message_and_the_rest_kept(client, library):
    response, body = get(client, "?tier=best&tier=gold&prefecture=999999&prefecture=510100")
    assert "没有奖项类别为“gold”的案例，已忽略这一筛选条件。" in body
    assert "没有市（州）为“999999”的案例" in body
    # The good values still filter: best cases of 成都市.
    assert {c.unit.prefecture.code for c in response.context["listing"].queryset} == {"510100"}
    assert {c.tier.slug for c in response.context["listing"].queryset} == {"best"}
    # Links built from the state do not carry the bad values on.
    assert "gold" not in response.context["page_query"]


def test_echoed_values_are_escaped(client, library):
    _, body = get(client, "?theme=%3Cscript%3Ealert(1)%3C/script%3E&q=%3Cb%3Ex%3C/b%3E")
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body


@pytest.mark.parametrize(
    ("page", "message", "shown"),
    [
        ("abc", "页码应为正整数", 1),
        ("0", "页码应为正整数", 1),
        ("-1", "页码应为正整数", 1),
        ("1.5", "页码应为正整数", 1),
        ("99", "页码超出范围（共 3 页）", 3),
        ("99999999999999999999", "页码超出范围（共 3 页）", 3),  # a whole number past what is read
    ],
)
def test_bad_page_numbers(client, library, page, message, shown):
    response, body = get(client, f"?page={page}")
    assert message in body
    assert response.context["page"].number == shown


def test_overlong_query_is_cut_with_a_message(client, library):
    _, body = get(client, "?q=" + "便民" * 300)
    assert "搜索词过长" in body


def test_binary_query_string(client, library):
    response, body = get(client, "?q=%01%FF%FE&tier=%01&level=%FF&page=%7F")
    assert "没有奖项类别为“”的案例" in body  # the control character is not echoed
    assert "页码应为正整数" in body
    assert "\x01" not in body and "\x7f" not in body


@pytest.mark.parametrize(
    "url", ["/cases/?q=%00", "/cases/?tier=%00&page=2", "/prefectures/%00/", "/?utm=%00"]
)
def test_a_null_character_anywhere_is_a_chinese_400(client, library, url):
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求无效" in body and "无法处理的字符" in body
    assert "\x00" not in body


def test_unknown_sort_and_unit(client, library):
    response, body = get(client, "?sort=price&unit=abc&unit=999999")
    assert "无法按“price”排序" in body
    assert "没有单位为“abc”的案例" in body
    assert response.context["paginator"].count == 44


def test_relevance_without_a_query_falls_back(client, library):
    response, _ = get(client, "?sort=relevance")
    assert response.context["sort"] == "notice"


def test_a_unit_filter_from_a_link_shows_a_chip(client, library):
    from awards.models import Unit

    unit = Unit.objects.get(name="雅安市政务服务和大数据局")
    response, body = get(client, f"?unit={unit.pk}")
    assert "单位：雅安市政务服务和大数据局" in body
    assert response.context["paginator"].count == unit.cases.count()


def test_empty_values_are_dropped_quietly(client, library):
    response, body = get(client, "?tier=&prefecture=&prefecture=510100&q=&sort=&page=")
    assert "notice-box" not in body
    assert response.context["paginator"].count == 3


@pytest.mark.parametrize(
    "url",
    [
        "/prefectures/51O100/",
        "/units/99999999999999999999/",
        "/cases/%E4%B8%AD/",
        "/notices/no-such-notice/",
        "/notices/chuanzhenggonghan-2022-35/no-such-tier/",
    ],
)
def test_bad_paths_are_404_not_500(client, library, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize("value", ["²", "①", "₂", "１", "٣", "²0", " 1 0"])
def test_unicode_digits_get_the_chinese_message_not_a_500(client, library, value):
    response, body = get(client, f"?page={value}")
    assert "页码应为正整数" in body and response.context["page"].number == 1
    response, body = get(client, f"?unit={value}")
    assert "没有单位为" in body
    assert response.context["paginator"].count == 44
