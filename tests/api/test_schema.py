"""The OpenAPI 3 schema validates, describes what the API does, and its docs UI is self-hosted."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from openapi_spec_validator import validate

from tests.api.conftest import ISSUE_CASE_FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api, library):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_generation_has_no_warnings_or_errors(tmp_path):
    # drf-spectacular's own validation against the OpenAPI 3 meta-schema; warnings fail too.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)  # an independent validator (openapi-spec-validator)


def test_schema_is_also_served_as_yaml(api, library):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")


def test_schema_lists_every_endpoint_read_only(schema):
    paths = schema["paths"]
    for name, key in [
        ("cases", "id"),
        ("prefectures", "code"),
        ("units", "id"),
        ("tiers", "id"),
        ("organizing-awards", "id"),
        ("notices", "slug"),
        ("themes", "slug"),
    ]:
        assert set(paths[f"/api/v1/{name}/"]) == {"get"}
        assert set(paths[f"/api/v1/{name}/{{{key}}}/"]) == {"get"}


def test_case_list_parameters_are_documented(schema):
    operation = schema["paths"]["/api/v1/cases/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names >= {
        "q",
        "tier",
        "prefecture",
        "level",
        "theme",
        "unit",
        "notice",
        "ordering",
        "page",
        "page_size",
    }
    tier = next(p for p in operation["parameters"] if p["name"] == "tier")
    assert tier["schema"]["type"] == "array" and tier["explode"] is True
    page_size = next(p for p in operation["parameters"] if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 100
    assert {"200", "400", "404", "429"} <= set(operation["responses"])


def test_case_schemas_have_the_issue_fields(schema):
    components = schema["components"]["schemas"]
    case = components["Case"]["properties"]
    assert set(case) >= ISSUE_CASE_FIELDS
    detail = components["CaseDetail"]["properties"]
    assert {"sections", "related"} <= set(detail)


def test_docs_ui_is_served_from_our_own_static_files(api, library):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    for source in sources:
        assert source.startswith(("/", "#")), source  # nothing from another host
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    # No inline script or style (a strict Content-Security-Policy is coming).
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    # Swagger UI's bundle and preset, its start-up script, our labels (docs.js); the site's own two
    # (site.js, suggest.js): the docs are inside the site's page.
    assert len(scripts) == 6
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "<style" not in html and "style=" not in html
    script = api.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()  # no call-out to validator.swagger.io
    assert "https://" not in script.content.decode()


@pytest.mark.parametrize(("suffix", "name"), [("", "schema.yaml"), ("?format=json", "schema.json")])
def test_the_schema_is_sent_with_a_plain_ascii_file_name(api, library, suffix, name):
    disposition = api.get("/api/v1/schema/" + suffix)["Content-Disposition"]
    assert disposition == f'inline; filename="{name}"'
    assert disposition.isascii() and "=?" not in disposition
