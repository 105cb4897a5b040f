"""纠错: the form stores what it should and nothing else, refuses bad input in Chinese, limits each address
(counted in the database, so it holds with the cache down), and keeps the site's pages cacheable."""

import re
import unicodedata
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.feedback import FeedbackRefused, feedback_create, report_text
from cases.feedback.services import ADDRESS_LIMITS, visible_length
from cases.models import Case, Feedback
from portal.cache import library_version

pytestmark = pytest.mark.django_db

CASE_URL = "/cases/2021-best-08/"
FORM_URL = "/cases/2021-best-08/feedback/"
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def post(client, data, *, address="203.0.113.7", url=FORM_URL):
    return client.post(url, data, REMOTE_ADDR=address)


def test_every_case_page_carries_the_short_feedback_form(client, library):
    for case in Case.objects.published():
        body = client.get(case.get_absolute_url()).content.decode()
        action = f'method="post" action="{case.get_absolute_url()}feedback/"'
        assert action in body, case.slug
        for name in ('name="message"', 'name="contact"', 'name="memo"'):
            assert name in body, (case.slug, name)


def test_a_report_is_stored_as_new_for_the_case_and_the_reader_is_thanked(client, library):
    response = post(client, {"message": "第二段“办事不出功能区”少了引号。", "contact": "13800000000"})
    assert response.status_code == 303
    assert response["Location"] == "/feedback/sent/?back=%2Fcases%2F2021-best-08%2F"
    feedback = Feedback.objects.get()
    assert feedback.case.slug == "2021-best-08" and feedback.page == CASE_URL
    assert feedback.message == "第二段“办事不出功能区”少了引号。" and feedback.contact == "13800000000"
    assert feedback.status == Feedback.Status.NEW and feedback.reply == ""
    assert "203.0.113.7" not in feedback.client_key  # only a keyed digest of the address
    thanks = client.get(response["Location"])
    assert (
        "已收到您的纠错" in thanks.content.decode()
        and 'href="/cases/2021-best-08/"' in thanks.content.decode()
    )


def test_a_report_from_any_page_keeps_that_page_and_refuses_foreign_addresses(client, library):
    post(client, {"message": "统计页的地图看不清", "page": "/statistics/"}, url="/feedback/")
    assert Feedback.objects.get().page == "/statistics/" and Feedback.objects.get().case is None
    post(
        client, {"message": "外站地址", "page": "https://evil.example/x"}, url="/feedback/", address="1.1.1.1"
    )
    assert Feedback.objects.get(message="外站地址").page == ""
    body = client.get("/feedback/?page=//evil.example/").content.decode()
    assert "所在页面" not in body and 'name="page"' not in body


def test_nothing_submitted_is_ever_shown_on_a_public_page(client, library):
    secret = "纠错内容不应公开XYZ"
    post(client, {"message": secret, "contact": "reader@example.com"})
    assert Feedback.objects.filter(message=secret).exists()
    for url in (CASE_URL, FORM_URL, "/", "/cases/", f"/cases/?q={secret}", "/feedback/sent/", "/sitemap.xml"):
        body = client.get(url).content.decode()
        assert secret not in body.replace(f"搜索“{secret}”", "").split('value="')[0], url
        assert "reader@example.com" not in body, url
    assert "feedback" not in client.get("/api/v1/").content.decode()


def test_the_robot_trap_stores_nothing_and_tells_the_robot_nothing(client, library):
    response = post(client, {"message": "buy cheap things", "memo": "http://spam.example/"})
    assert response.status_code == 303 and "/feedback/sent/" in response["Location"]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("url", [FORM_URL, "/feedback/", "/preferences/"])
@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, True),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, True),
        ({"HTTP_ORIGIN": "https://evil.example"}, True),
        ({"HTTP_ORIGIN": "null"}, True),
        ({"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}, False),
        ({"HTTP_SEC_FETCH_SITE": "none"}, False),
        ({"HTTP_ORIGIN": "http://testserver"}, False),
        ({}, False),  # no browser: CSRF is not about it (the honeypot and the limits are)
    ],
)
def test_posts_from_another_site_are_refused_in_chinese_without_a_token(library, url, headers, refused):
    """The forms post without a CSRF token (the pages carrying them are cached); the browser's
    Sec-Fetch-Site or Origin header tells a post from another site instead (portal/origin.py)."""
    client = Client(enforce_csrf_checks=True)
    if url == "/preferences/":
        response = client.post(url, {"size": "large", "next": "/"}, **headers)
        assert (response.status_code == 403) is refused
        assert ("pref_text_size" in response.cookies) is not refused
        return
    response = client.post(
        url, {"message": "跨站提交的纠错", "page": "/"}, REMOTE_ADDR="192.0.2.44", **headers
    )
    if refused:
        assert response.status_code == 403 and "只接收在本站页面上填写的表单" in response.content.decode()
        assert not Feedback.objects.exists()
    else:
        assert response.status_code == 303 and Feedback.objects.count() == 1
    assert "csrftoken" not in response.cookies


def test_every_page_with_the_form_stays_cacheable(client, library, settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    case_page = client.get(CASE_URL)
    body = case_page.content.decode()
    assert "csrfmiddlewaretoken" not in body and not case_page.cookies
    assert client.get(CASE_URL)["X-Page-Cache"] == "hit"
    form_page = Client().get(FORM_URL)
    assert "csrftoken" not in form_page.cookies and "csrfmiddlewaretoken" not in form_page.content.decode()
    assert Client().get(FORM_URL)["X-Page-Cache"] == "hit"
    client.get("/feedback/sent/?back=%2Fcases%2F2021-best-08%2F")
    assert client.get("/feedback/sent/?back=%2Fcases%2F2021-best-08%2F")["X-Page-Cache"] == "hit"


def test_a_report_does_not_empty_the_page_cache(client, library):
    version = library_version()
    feedback_create(message="一条纠错", client_address="198.51.100.1")
    assert library_version() == version


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message": ""}, "请写下您发现的问题"),
        ({"message": "   \n\t  "}, "请写下您发现的问题"),
        ({"message": "\x00\x01\x1b\x7f\u202e"}, "请写下您发现的问题"),
        ({"message": "错" * 1001}, "最多 1000 个字，您写了 1001 个字"),
        ({"message": "正常的描述", "contact": "x" * 101}, "联系方式最多 100 个字"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(client, library, data, message):
    response = post(client, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'aria-invalid="true"' in body and 'role="alert"' in body
    assert not Feedback.objects.exists()


def test_one_address_may_send_only_a_few_reports_counted_in_the_database(client, library, settings):
    # The cache is unreachable (a closed port): the limit does not depend on it.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    window, limit = ADDRESS_LIMITS[0]
    for n in range(limit):
        assert post(client, {"message": f"第 {n} 条纠错"}).status_code == 303
    refused = post(client, {"message": "再来一条"})
    assert refused.status_code == 429 and "您提交得太频繁了" in refused.content.decode()
    assert Feedback.objects.count() == limit
    # Another address is not held back, and the first may send again once the window has passed.
    assert post(client, {"message": "另一位读者"}, address="198.51.100.9").status_code == 303
    Feedback.objects.update(created=timezone.now() - window - timedelta(seconds=1))
    assert post(client, {"message": "过了十分钟"}).status_code == 303


def test_the_daily_limit_holds_across_windows(library):
    day_window, day_limit = ADDRESS_LIMITS[1]
    for n in range(day_limit):
        feedback_create(message=f"第 {n} 条", client_address="192.0.2.5")
        Feedback.objects.update(created=timezone.now() - timedelta(hours=1))
    with pytest.raises(FeedbackRefused, match="一天内最多"):
        feedback_create(message="多了一条", client_address="192.0.2.5")


@HYPOTHESIS
@given(message=st.text(max_size=1200), contact=st.text(max_size=120))
@example(message="\x00", contact="")
@example(message="a\u202edcba", contact="\u2066x\u2069")
@example(message="第一行\r\n\r\n\r\n\r\n第二行\x0b", contact="电话\n13800000000")
@example(message="错" * 1000 + "\x00", contact="")
def test_whatever_is_typed_only_clean_text_within_the_limits_is_stored(library, message, contact):
    Feedback.objects.all().delete()
    try:
        stored = feedback_create(message=message, contact=contact, client_address="192.0.2.1")
    except FeedbackRefused as refused:
        assert refused.message and refused.field in ("message", "contact")
        assert not Feedback.objects.exists()
        cleaned = report_text(message, multiline=True)
        assert (
            visible_length(cleaned) < 2
            or len(cleaned) > Feedback.MESSAGE_MAX
            or len(report_text(contact, multiline=False)) > Feedback.CONTACT_MAX
        )
        return
    stored.refresh_from_db()
    assert stored.message == report_text(message, multiline=True)
    assert visible_length(stored.message) >= 2 and len(stored.message) <= Feedback.MESSAGE_MAX
    assert len(stored.contact) <= Feedback.CONTACT_MAX
    for text in (stored.message, stored.contact):
        assert not any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text)
        assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
        assert text == text.strip()
    assert "\n" not in stored.contact and "\n\n\n" not in stored.message


ADDRESSES = st.one_of(
    st.ip_addresses().map(str),
    st.ip_addresses(v=4).map(lambda ip: f"::ffff:{ip}"),
    st.text(max_size=40),
)


@HYPOTHESIS
@given(
    message=st.text(max_size=1100),
    contact=st.text(max_size=110),
    memo=st.sampled_from(["", "x"]),
    page=st.text(max_size=300),
    address=ADDRESSES,
    url=st.sampled_from([FORM_URL, "/feedback/"]),
)
@example(message="\x00\x00", contact="", memo="", page="", address="192.0.2.77", url=FORM_URL)
@example(message="\u200b\u200b\u3000", contact="", memo="", page="/", address="2001:db8::1", url="/feedback/")
def test_the_form_never_fails_with_a_500_whatever_is_posted(
    library, message, contact, memo, page, address, url
):
    Feedback.objects.all().delete()
    response = Client().post(
        url, {"message": message, "contact": contact, "memo": memo, "page": page}, REMOTE_ADDR=address
    )
    assert response.status_code in (303, 400)
    if memo:
        assert not Feedback.objects.exists()
    elif response.status_code == 400:
        assert "未能提交" in response.content.decode() and not Feedback.objects.exists()
        assert (
            visible_length(report_text(message, multiline=True)) < 2
            or len(report_text(message, multiline=True)) > 1000
            or len(report_text(contact, multiline=False)) > 100
        )
    else:
        stored = Feedback.objects.get()
        assert stored.message == report_text(message, multiline=True)
        assert stored.page in ("", page, CASE_URL)
        assert address not in (stored.client_key, stored.network_key)


def test_staff_roles_read_reports_and_mark_them_handled_in_the_admin(client, library):
    feedback_create(message="标题有错别字", client_address="192.0.2.9")
    editor = User.objects.create_user("editor", password="pw-Editor-2024", is_staff=True)
    editor.groups.add(Group.objects.get(name="案例编辑"))
    client.force_login(editor)
    listing = client.get("/admin/cases/feedback/")
    assert listing.status_code == 200 and "标题有错别字" in listing.content.decode()
    feedback = Feedback.objects.get()
    change = client.get(f"/admin/cases/feedback/{feedback.pk}/change/")
    assert change.status_code == 200 and "处理说明" in change.content.decode()
    response = client.post(
        f"/admin/cases/feedback/{feedback.pk}/change/", {"status": "handled", "reply": "已改正标题。"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.HANDLED and feedback.reply == "已改正标题。"
    assert feedback.message == "标题有错别字"  # what the reader sent cannot be edited
    assert client.get("/admin/cases/feedback/add/").status_code == 403


def test_marking_reports_handled_in_bulk_is_recorded_in_the_history(client, library, admin_user):
    from reversion.models import Version

    for n in range(2):
        feedback_create(message=f"第 {n} 处错误", client_address=f"192.0.2.{n}")
    client.force_login(admin_user)
    response = client.post(
        "/admin/cases/feedback/",
        {"action": "mark_handled", "_selected_action": list(Feedback.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 302
    assert set(Feedback.objects.values_list("status", flat=True)) == {Feedback.Status.HANDLED}
    for feedback in Feedback.objects.all():
        assert Version.objects.get_for_object(feedback).count() == 1


def test_staff_may_take_down_a_report_received_by_telephone(client, library, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/cases/feedback/add/",
        {
            "status": "new",
            "reply": "",
            "case": "",
            "page": "",
            "message": "电话反映：\x07第三段有误",
            "contact": "",
        },
    )
    # Like every editorial form: refused once with the control character named, shown cleaned.
    assert response.status_code == 200 and "控制字符" in response.content.decode()
    response = client.post(
        "/admin/cases/feedback/add/",
        {
            "status": "new",
            "reply": "",
            "case": "",
            "page": "",
            "message": "电话反映：第三段有误",
            "contact": "",
        },
    )
    assert response.status_code == 302
    assert Feedback.objects.get().message == "电话反映：第三段有误"


@pytest.mark.parametrize(
    "message",
    [
        "\u200b\u200b\u200b",
        "\u3000 \u3000",
        "\u200d\ufeff  \u2060\u00ad",
        "\u3164\u3164",
        "\u0301\u0301",
        "\u202e\u202c",
    ],
)
def test_a_message_of_only_invisible_characters_is_refused(client, library, message):
    response = post(client, {"message": message})
    assert response.status_code == 400 and "请写下您发现的问题" in response.content.decode()
    assert not Feedback.objects.exists()


def test_ipv6_addresses_count_by_their_64_and_mapped_ipv4_as_ipv4(client, library):
    window, limit = ADDRESS_LIMITS[0]
    for n in range(limit):
        assert post(client, {"message": f"第 {n} 条"}, address=f"2001:db8:1:2::{n + 1:x}").status_code == 303
    refused = post(client, {"message": "换个地址再来"}, address="2001:db8:1:2:ffff:ffff:ffff:fffe")
    assert refused.status_code == 429 and "您提交得太频繁了" in refused.content.decode()
    assert post(client, {"message": "另一户人家"}, address="2001:db8:1:3::1").status_code == 303
    for n in range(limit):
        assert post(client, {"message": f"IPv4 第 {n} 条"}, address="192.0.2.8").status_code == 303
    assert post(client, {"message": "映射地址"}, address="::ffff:192.0.2.8").status_code == 429


def test_one_network_cannot_use_up_the_site_wide_allowance(client, library, monkeypatch):
    from cases.feedback import services

    monkeypatch.setattr(services, "NETWORK_LIMIT", (timedelta(hours=1), 4))
    monkeypatch.setattr(services, "SITE_LIMIT", (timedelta(hours=1), 8))
    statuses = [
        post(client, {"message": f"刷屏 {n}"}, address=f"2001:db8:7:{n:x}::1").status_code for n in range(10)
    ]
    assert statuses == [303] * 4 + [429] * 6
    assert "您所在的网络" in post(client, {"message": "再刷"}, address="2001:db8:7:ff::1").content.decode()
    # Readers elsewhere still get through: the flood used only its network's share.
    for n in range(4):
        assert post(client, {"message": f"读者 {n}"}, address=f"198.51.{n}.10").status_code == 303
    # Only a flood from very many networks reaches the site-wide cap, which says so in Chinese.
    refused = post(client, {"message": "又一位读者"}, address="203.0.113.200")
    assert refused.status_code == 429 and "全站收到的纠错特别多" in refused.content.decode()
    assert Feedback.objects.count() == 8


def test_a_post_of_megabytes_is_told_in_chinese_that_it_is_too_long(client, library):
    response = post(client, {"message": "错" * 1_100_000})  # about 3 MB as UTF-8
    assert response.status_code == 413
    body = response.content.decode()
    assert "内容过长" in body and 'role="alert"' in body and 'aria-invalid="true"' in body
    assert not Feedback.objects.exists()


def test_errors_are_focused_and_tied_to_their_fields(client, library):
    body = post(client, {"message": "", "contact": "x" * 101}).content.decode()
    assert re.search(r'role="alert"[^>]*tabindex="-1"[^>]*autofocus', body)
    assert 'id="id_message-error"' in body and 'aria-describedby="id_message-error id_message-help"' in body
