"""What the restore pages and the section forms say: before the button, in Chinese, what cannot come
back and why; what will change, as it will be saved; which 顺序 is taken, and where."""

import re

import pytest
from django.db.models import Count
from django.test import Client
from reversion.models import Version

from awards.models import Prefecture, Unit
from cases.models import Case, Theme

from .browser import forms_of, post_form
from .conftest import browser_for, make_user
from .steps import change_record, delete_record, deleted_version, inline_prefix, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(library):
    return browser_for(make_user("superuser"))


def has_confirm_button(page) -> bool:
    return any(
        f.attrs.get("method", "").lower() == "post" and f.attrs.get("id") != "logout-form"
        for f in forms_of(page.content.decode())
        if not f.attrs.get("action", "").endswith("/logout/")
    )


def shown_messages(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


def test_a_case_whose_unit_is_gone_says_so_before_the_button(root):
    model = Case.objects.published().first()
    unit = Unit.objects.create(
        name="测试将被删除的单位", prefecture=Prefecture.objects.first(), level="prefecture"
    )
    case = Case.objects.create(
        notice=model.notice,
        tier=model.tier,
        number=91,
        title="测试单位已删除的案例",
        unit=unit,
        slug="test-unit-gone",
    )
    pk = case.pk
    assert delete_record(root, case).status_code == 302
    assert delete_record(root, unit).status_code == 302
    version = deleted_version(Case, pk)

    page = root.get(url("cases_case_recover", version.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "测试将被删除的单位" in text and "请先" in text and "恢复已删除的获奖单位" in text
    assert not has_confirm_button(page)
    # A POST made anyway (no button: crafted) is the same message, not an error page.
    crafted = Client()
    crafted.force_login(make_user("superuser"))
    response = crafted.post(url("cases_case_recover", version.pk))
    assert "测试将被删除的单位" in shown_messages(crafted, response)
    assert not Case.objects.filter(pk=pk).exists()


def test_a_recovered_theme_reports_the_case_links_it_lost(root):
    theme = Theme.objects.annotate(n=Count("cases")).filter(n__gte=2, n__lte=10).order_by("pk").first()
    titles = list(theme.cases.values_list("title", flat=True))
    pk = theme.pk
    assert delete_record(root, theme).status_code == 302
    version = deleted_version(Theme, pk)

    page = root.get(url("cases_theme_recover", version.pk))
    text = page.content.decode()
    assert has_confirm_button(page)
    assert f"删除前有 {len(titles)} 个案例选用了它" in text
    assert all(title in text for title in titles)

    done = shown_messages(root, post_form(root, page))
    assert f"删除前有 {len(titles)} 个案例选用了它" in done and "重新选择" in done
    assert Theme.objects.filter(pk=pk).exists()


def test_a_section_order_already_used_in_the_case_is_named(root):
    case = Case.objects.annotate(n=Count("sections")).filter(n__gte=2).first()
    first, second = case.sections.order_by("order")[:2]

    response = change_record(root, second, {"order": first.order})
    text = response.content.decode()
    assert response.status_code == 200
    assert f"顺序 {first.order} 已被使用" in text and str(first) in text
    assert "包含" not in text

    page = root.get(url("cases_case_change", case.pk))
    prefix = inline_prefix(page, second.pk)
    response = post_form(root, page, form_id="case_form", changes={f"{prefix}-order": first.order})
    assert response.status_code == 200
    assert f"顺序 {first.order} 在本案例中被多个章节同时使用" in response.content.decode()


def test_the_unit_revert_page_shows_what_will_change_not_the_version_number(root):
    unit = Case.objects.published().first().unit
    initial = Version.objects.get_for_object(unit).order_by("pk").first()
    before = unit.township
    assert change_record(root, unit, {"township": "测试改过的乡镇"}).status_code == 302

    page = root.get(url("awards_unit_revision", unit.pk, initial.pk))
    text = page.content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th>', text)
    assert "版本号" not in rows
    assert rows == ["乡镇（街道）"]
    assert "测试改过的乡镇" in text
    post_form(root, page)
    unit.refresh_from_db()
    assert unit.township == before


def test_an_editors_held_revert_says_so_with_a_working_link_not_markup_as_text(library):
    from reversion.models import Version

    from .conftest import browser_for, make_user
    from .steps import change_case, revert

    case = Case.objects.get(slug="2021-best-02")
    publisher, editor = browser_for(make_user("publisher")), browser_for(make_user("editor"))
    change_case(publisher, case, {"title": case.title + "（改）"})
    oldest = Version.objects.get_for_object(case).order_by("pk").first()
    response = revert(editor, case, oldest)
    page = editor.get(response["Location"])
    html = page.content.decode()
    assert "待审核的修改 #" in html
    assert "&lt;a href" not in html and '">待审核的修改 #' in html
