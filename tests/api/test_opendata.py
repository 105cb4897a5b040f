"""Open data: the whole library as CSV and JSON, and the data dictionary that describes both."""

import csv
import io
import json
import re

import pytest

from awards.models import OrganizingAward, Prefecture, Unit
from cases.models import Case, Theme
from cases.opendata import CASE_CSV_FIELDS, JSON_FIELDS

pytestmark = pytest.mark.django_db


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "byte-order mark for spreadsheet programs"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_download(api, library):
    response = api.get("/api/v1/data/library.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sichuan-case-library.csv"'
    rows = read_csv(response)
    assert len(rows) == 44
    assert list(rows[0]) == [f.name for f in CASE_CSV_FIELDS]
    assert [int(r["id"]) for r in rows] == list(
        Case.objects.published().in_notice_order().values_list("pk", flat=True)
    )
    assert sum(r["tier_slug"] == "best" for r in rows) == 10
    assert sum(r["prefecture_code"] == "513400" for r in rows) == 3


def test_csv_row_matches_the_api(api, library):
    row = read_csv(api.get("/api/v1/data/library.csv"))[0]
    case = api.get(f"/api/v1/cases/{row['id']}/").json()
    assert row["title"] == case["title"]
    assert row["unit_name"] == case["unit"]["name"]
    assert row["prefecture_code"] == case["prefecture"]["code"]
    assert row["themes"].split("|") == [t["slug"] for t in case["themes"]]
    assert row["api_url"] == case["url"]
    assert row["web_url"] == case["web_url"]
    for section in case["sections"]:
        for paragraph in section["paragraphs"]:
            assert paragraph in row["text"]


def test_json_download(api, library):
    response = api.get("/api/v1/data/library.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["data_dictionary"] == "http://testserver/api/v1/data/"
    assert len(data["cases"]) == 44
    assert len(data["prefectures"]) == Prefecture.objects.count() == 21
    assert len(data["units"]) == Unit.objects.count()
    assert len(data["themes"]) == Theme.objects.count()
    assert len(data["organizing_awards"]) == OrganizingAward.objects.count() == 12
    assert [t["slug"] for t in data["tiers"]] == ["best", "excellent", "organizing"]
    for name, fields in JSON_FIELDS.items():
        for record in data[name]:
            assert list(record) == [f.name for f in fields], name


def test_json_keys_link_up(api, library):
    data = json.loads(api.get("/api/v1/data/library.json").content)
    units = {u["id"] for u in data["units"]}
    prefectures = {p["code"] for p in data["prefectures"]}
    themes = {t["slug"] for t in data["themes"]}
    notices = {n["number"] for n in data["notices"]}
    for case in data["cases"]:
        assert case["unit"] in units
        assert case["prefecture"] in prefectures
        assert set(case["themes"]) <= themes
        assert case["notice"] in notices
        assert case["sections"] and all(set(s) == {"heading", "paragraphs"} for s in case["sections"])
    for award in data["organizing_awards"]:
        assert award["unit"] in units


def test_downloads_leave_out_drafts(api, library):
    draft = Case.objects.get(slug="2021-best-01")
    draft.status = Case.Status.DRAFT
    draft.save()
    assert len(read_csv(api.get("/api/v1/data/library.csv"))) == 43
    data = json.loads(api.get("/api/v1/data/library.json").content)
    assert draft.pk not in [c["id"] for c in data["cases"]]


def test_data_dictionary_describes_every_field(client, library):
    response = client.get("/api/v1/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "数据字典" in html
    assert 'href="/api/v1/data/library.csv"' in html
    assert 'href="/api/v1/data/library.json"' in html

    def row(field) -> str:
        # A field name may wrap after an underscore (<wbr>), never inside a word.
        name = field.name.replace("_", "_<wbr>")
        return f"<code>{name}</code></th><td>{field.type}</td><td>{field.description}</td>"

    for field in CASE_CSV_FIELDS:
        assert row(field) in html
    for name, fields in JSON_FIELDS.items():
        assert f'id="json-{name}"' in html
        for field in fields:
            assert row(field) in html
    # Scripts only from files (a strict CSP allows no inline script), no style attributes.
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_data_dictionary_is_read_only(client, library):
    assert client.post("/api/v1/data/").status_code == 405
