"""Control characters in stored text: cleaned on every save; every XML, JSON and CSV output stays valid
whatever the database already holds (written here with QuerySet.update(), which no signal sees)."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import reversion
from django.db import connection
from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from awards.models import Unit
from cases.models import Case, CaseSection
from portal.text import clean_text, escape_formula, spreadsheet_cell, unescape_formula, xlsx_safe

SLUG = "2021-best-01"


def nasty() -> str:
    """What a Word or PDF paste can carry; NUL too where the database can hold it (not PostgreSQL)."""
    text = "导语\x0b第二行\x0c\x01\x08\x1b\x7f\x85\x9f\ufeff\ufffe\uffff\u2028末尾"
    return text if connection.vendor == "postgresql" else text + "\x00"


XML_1_0_FORBIDDEN = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + ["\ufffe", "\uffff"]


def test_a_word_paste_is_cleaned_when_saved(library):
    case = Case.objects.get(slug=SLUG)
    case.summary = "第一段\x0b第二段\r\n第三段\x01"
    case.title = "标题\x0b换行\t制表\x00"
    case.save()
    case.refresh_from_db()
    assert case.summary == "第一段\n第二段\n第三段"
    assert case.title == "标题 换行 制表"


def test_json_fields_and_other_models_are_cleaned_too(library):
    section = CaseSection.objects.filter(case__slug=SLUG).first()
    section.paragraphs = ["段落\x0b续", "\x00\x1f"]
    section.save()
    section.refresh_from_db()
    assert section.paragraphs == ["段落\n续", ""]
    unit = Unit.objects.first()
    unit.aliases = ["别名\x0c"]
    unit.save()
    unit.refresh_from_db()
    assert unit.aliases == ["别名\n"]


def test_a_revert_to_a_version_with_control_characters_is_cleaned(library):
    case = Case.objects.get(slug=SLUG)
    with reversion.create_revision():
        case.save()
    version = reversion.models.Version.objects.get_for_object(case).first()
    data = json.loads(version.serialized_data)
    data[0]["fields"]["summary"] = "旧版本\x0b导语"
    version.serialized_data = json.dumps(data)
    version.save()
    version.revert()  # a raw save, as loaddata does
    case.refresh_from_db()
    assert case.summary == "旧版本\n导语"


@pytest.fixture
def dirty(library):
    """Control characters and formula starts written past every model rule."""
    Case.objects.filter(slug=SLUG).update(title='=HYPERLINK("http://x")' + nasty(), summary=nasty())
    Case.objects.filter(slug="2021-best-02").update(summary="+1" + nasty(), title="@SUM(A1)")
    Case.objects.filter(slug="2021-best-03").update(summary="-2", title="\t制表开头")
    Unit.objects.filter(cases__slug=SLUG).update(name="单位" + nasty())


def test_the_atom_feed_stays_valid_xml(client, dirty):
    response = client.get("/feeds/cases.atom")
    assert response.status_code == 200
    body = response.content.decode()
    assert not any(ch in body for ch in XML_1_0_FORBIDDEN)
    root = ET.fromstring(response.content)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t and t.startswith("=HYPERLINK") for t in titles)


def test_the_sitemap_stays_valid_xml(client, dirty):
    ET.fromstring(client.get("/sitemap.xml").content)


@pytest.mark.parametrize(
    "url", ["/api/v1/cases/", f"/api/v1/cases/?q={SLUG}", "/api/v1/units/", "/api/v1/data/library.json"]
)
def test_json_outputs_stay_valid(client, dirty, url):
    response = client.get(url)
    assert response.status_code == 200
    json.loads(response.content)


def test_the_library_csv_escapes_formulas_and_drops_control_characters(client, dirty):
    response = client.get("/api/v1/data/library.csv")
    text = response.content.decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[SLUG]["title"].startswith("'=HYPERLINK(")
    assert rows["2021-best-02"]["summary"].startswith("'+1") and rows["2021-best-02"]["title"] == "'@SUM(A1)"
    assert rows["2021-best-03"]["summary"] == "'-2" and rows["2021-best-03"]["title"] == "'\t制表开头"
    assert rows[SLUG]["unit_name"].startswith("单位导语")
    assert not any(ch in text for ch in XML_1_0_FORBIDDEN if ch not in "\t")
    assert rows["2021-best-04"]["number"] == "4"  # numbers are not text: left as they are


@pytest.mark.parametrize("page", ["/cases/", f"/cases/{SLUG}/", "/", "/statistics/"])
def test_pages_still_render(client, dirty, page):
    assert client.get(page).status_code == 200


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
@example("\x0b\x00\ud800\ufffe")
def test_clean_text_leaves_nothing_xml_forbids(value):
    for multiline in (True, False):
        cleaned = clean_text(value, multiline=multiline)
        assert not any(ch in cleaned for ch in XML_1_0_FORBIDDEN)
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in cleaned)
        assert clean_text(cleaned, multiline=multiline) == cleaned
        if not multiline:
            assert "\n" not in cleaned and "\t" not in cleaned


@given(st.text().filter(lambda value: not value.startswith("'")))
def test_formula_escaping_round_trips(value):
    assert unescape_formula(escape_formula(value)) == value
    assert not str(spreadsheet_cell(value)).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_admin_form_refuses_once_with_a_message_then_saves_what_it_showed(client, library):
    from django.contrib.auth.models import User
    from django.urls import reverse

    from tests.admin.conftest import form_data

    client.force_login(User.objects.create_superuser("text-root", password="x-Long-Pass-2024"))
    case = Case.objects.get(slug="2021-best-02")
    url = reverse("admin:cases_case_change", args=(case.pk,))
    data = form_data(client.get(url))
    data.update(summary="第一段\x0b第二段\r\n第三段\x01", title="标题\x0c")
    refused = client.post(url, data)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert "含有 2 个不可见的控制字符" in " ".join(form.errors["summary"])
    assert "含有 1 个不可见的控制字符" in " ".join(form.errors["title"])
    assert form["summary"].value() == "第一段\n第二段\n第三段"  # shown cleaned
    case.refresh_from_db()
    assert "\x0b" not in case.summary and "第二段" not in case.summary  # nothing saved yet
    saved = client.post(url, form_data(refused))
    assert saved.status_code == 302
    case.refresh_from_db()
    assert case.summary == "第一段\n第二段\n第三段" and case.title == "标题"


def test_new_lines_typed_in_a_text_area_are_not_control_characters(client, library):
    from django.contrib.auth.models import User
    from django.urls import reverse

    from tests.admin.conftest import form_data

    client.force_login(User.objects.create_superuser("text-root", password="x-Long-Pass-2024"))
    case = Case.objects.get(slug="2021-best-02")
    url = reverse("admin:cases_case_change", args=(case.pk,))
    data = form_data(client.get(url))
    data.update(summary="第一段\r\n第二段\t缩进")
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.summary == "第一段\n第二段\t缩进"


# Control (Cc), format (Cf) and private-use (Co) characters, as Word, PDF and web pastes carry them.
INVISIBLE_CATEGORIES = st.text(
    alphabet=st.one_of(st.characters(categories=["Cc", "Cf", "Co", "Cs"]), st.sampled_from("导语 ab=+-@")),
    max_size=40,
)


@hsettings(max_examples=200, deadline=None, derandomize=True)
@given(value=INVISIBLE_CATEGORIES)
@example(value="便\u200b民\u00ad服\u202e务\u2060\ufeff\u2066\U000e0041")
def test_clean_text_leaves_no_control_or_format_character(value):
    import unicodedata

    for multiline in (True, False):
        cleaned = clean_text(value, multiline=multiline)
        kept = "\n\t" if multiline else ""
        assert not [ch for ch in cleaned if unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in kept]
        assert clean_text(cleaned, multiline=multiline) == cleaned  # once is enough
        # Private-use characters are visible in the fonts that define them (rare characters): kept.
        assert [ch for ch in cleaned if unicodedata.category(ch) == "Co"] == [
            ch for ch in value if unicodedata.category(ch) == "Co"
        ]


@hsettings(max_examples=200, deadline=None, derandomize=True)
@given(value=st.one_of(INVISIBLE_CATEGORIES, st.integers(), st.none()))
@example(value="标题\x0b\x01\x1f=1+1")
def test_every_xlsx_safe_value_is_accepted_by_openpyxl(value):
    import openpyxl

    cell = openpyxl.Workbook().active.cell(row=1, column=1)
    cell.value = xlsx_safe(value)  # IllegalCharacterError for anything it refuses
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        assert cell.value.startswith("'")


def test_the_admin_excel_export_of_stored_control_characters_opens(client, library):
    from django.contrib.auth import get_user_model

    from tests.admin.test_import_export import export, rows_of

    Case.objects.filter(slug=SLUG).update(title="标题\x01\x0b末尾\u200b", summary="导语\x1f\x08")
    client.force_login(get_user_model().objects.create_superuser("xlsx-admin", "x@example.com", "pw-xlsx-1"))
    rows = rows_of(export(client, "admin:cases_case_export"))
    assert "标题\n末尾" in {row[3] for row in rows}
