"""Every string staff see is Chinese, the admin's JavaScript catalogue included (issue 18 item 8)."""

import pytest

pytestmark = pytest.mark.django_db


def test_theme_selector_strings_are_translated_in_the_javascript_catalogue(editor_client):
    # The catalogue is JavaScript with \\uXXXX escapes; read it as the browser would.
    catalogue = editor_client.get("/admin/jsi18n/").content.decode("unicode_escape")
    for chinese in (
        "全部选择（%s）",
        "全部移除（%s）",
        "选中左侧的%s",
        "选择选中的%s",
        "移除选中的%s",
        "全选",
    ):
        assert chinese in catalogue
