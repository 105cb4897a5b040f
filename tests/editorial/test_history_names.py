"""The history speaks of content, by name: no form internals in change messages, deleted records by
their last known name, and a conflict names the save that actually came in between."""

import re

import pytest
import reversion
from django.contrib.admin.models import LogEntry

from cases.models import Case, Theme
from portal.admin.diff import _display

from .browser import post_form
from .conftest import browser_for, make_user
from .steps import change_case, change_record, url

pytestmark = pytest.mark.django_db


def test_a_change_message_names_the_changed_fields_not_the_lock_field(library):
    user = make_user("publisher")
    case = Case.objects.get(slug="2021-best-02")
    change_case(browser_for(user), case, {"title": case.title + "（改）"})
    entry = LogEntry.objects.filter(object_id=str(case.pk)).latest("pk")
    message = entry.get_change_message()
    assert "标题" in message and "loaded_version" not in message and "version" not in message


def test_a_deleted_theme_is_named_by_its_last_known_name(library):
    with reversion.create_revision():
        theme = Theme.objects.create(name="已删掉的主题", slug="gone-theme")
    pk = theme.pk
    theme.delete()
    shown = _display(Case, Case._meta.get_field("themes"), [pk])
    assert "已删掉的主题" in shown and f"#{pk}" in shown


def test_a_section_page_conflict_names_the_save_that_came_in_between(library):
    case = Case.objects.get(slug="2021-best-03")
    first, second = case.sections.order_by("order")[:2]
    early, late, opener = make_user("superuser"), make_user("publisher"), make_user("superuser")
    change_case(browser_for(early), case, {"title": case.title + "（早）"})
    me = browser_for(opener)
    page = me.get(url("cases_casesection_change", first.pk))
    change_record(browser_for(late), second, {"heading": "后来改的"})
    response = post_form(me, page, changes={"heading": "我的修改"}, form_id="casesection_form")
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
    assert late.get_username() in errors and early.get_username() not in errors


def test_an_editor_sees_no_order_inputs_on_the_theme_list_a_publisher_does(library):
    editor, publisher = browser_for(make_user("editor")), browser_for(make_user("publisher"))
    assert 'name="form-0-order"' not in editor.get(url("cases_theme_changelist")).content.decode()
    html = publisher.get(url("cases_theme_changelist")).content.decode()
    (tag,) = re.findall(r'<input[^>]*name="form-0-order"[^>]*>', html)
    assert "的显示顺序" in tag and "aria-label=" in tag
