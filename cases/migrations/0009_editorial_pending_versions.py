"""Held changes filed the old way become CaseChange records, so no editor's waiting work is lost.

Before 0008 an editor's change to a published case was stored as a history version whose comment
began with 待审核的修改, and it waited only while it was the case's newest version. Each such waiting
version becomes a pending CaseChange with the content it stored (the case's fields and themes, the
sections and errata saved with it). The versions themselves stay in the history, untouched.
Reads the stored JSON directly (django-reversion's "json" format), so no current model code runs.
"""

import json
import re

from django.db import migrations

PENDING_MARK = "待审核的修改"
CASE_FIELDS = (
    "notice",
    "tier",
    "number",
    "title",
    "title_in_compendium",
    "title_aliases",
    "unit",
    "page",
    "slug",
    "summary",
)
SECTION_FIELDS = ("order", "heading", "paragraphs")
ERRATUM_FIELDS = ("notice", "unit", "kind", "location", "original", "corrected", "reason")


def _record(version):
    if version.format != "json":
        return None
    try:
        return json.loads(version.serialized_data)[0]
    except (ValueError, IndexError, KeyError):
        return None


def _snapshot(apps, case):
    CaseSection = apps.get_model("cases", "CaseSection")
    Erratum = apps.get_model("cases", "Erratum")
    fields = {}
    for name in CASE_FIELDS:
        field = case._meta.get_field(name)
        fields[name] = getattr(case, field.attname)
    sections = [
        {"id": s.pk, "order": s.order, "heading": s.heading, "paragraphs": list(s.paragraphs or [])}
        for s in CaseSection.objects.filter(case_id=case.pk).order_by("order", "pk")
    ]
    errata = [
        {"id": e.pk, **{n: getattr(e, e._meta.get_field(n).attname) for n in ERRATUM_FIELDS}}
        for e in Erratum.objects.filter(case_id=case.pk).order_by("pk")
    ]
    themes = sorted(case.themes.values_list("pk", flat=True))
    return {"fields": fields, "themes": themes, "sections": sections, "errata": errata}


def convert(apps, schema_editor):
    Version = apps.get_model("reversion", "Version")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Case = apps.get_model("cases", "Case")
    CaseChange = apps.get_model("cases", "CaseChange")
    case_type = ContentType.objects.filter(app_label="cases", model="case").first()
    if case_type is None:
        return
    for case in Case.objects.all():
        newest = (
            Version.objects.filter(content_type=case_type, object_id=str(case.pk))
            .select_related("revision")
            .order_by("-pk")
            .first()
        )
        if newest is None or not newest.revision.comment.startswith(PENDING_MARK):
            continue
        record = _record(newest)
        if record is None:
            continue
        stored = record.get("fields", {})
        payload = _snapshot(apps, case)
        base = json.loads(json.dumps(payload))
        for name in CASE_FIELDS:
            if name in stored:
                payload["fields"][name] = stored[name]
        if "themes" in stored:
            payload["themes"] = sorted(stored["themes"])
        parts = {"cases.casesection": [], "cases.erratum": []}
        for other in newest.revision.version_set.exclude(pk=newest.pk):
            other_record = _record(other)
            if other_record is None or other_record.get("model") not in parts:
                continue
            if str(other_record["fields"].get("case")) != str(case.pk):
                continue
            names = SECTION_FIELDS if other_record["model"] == "cases.casesection" else ERRATUM_FIELDS
            item = {"id": int(other_record["pk"]), **{n: other_record["fields"].get(n) for n in names}}
            parts[other_record["model"]].append(item)
        if parts["cases.casesection"]:
            payload["sections"] = sorted(parts["cases.casesection"], key=lambda s: (s["order"], s["id"]))
        if parts["cases.erratum"]:
            payload["errata"] = sorted(parts["cases.erratum"], key=lambda e: e["id"])
        if payload == base:
            continue
        based_on = re.search(r"基于第 (\d+) 版", newest.revision.comment)
        CaseChange.objects.create(
            case_id=case.pk,
            state="pending",
            source="form",
            summary="从旧的“待审核的修改”历史记录转换",
            payload=payload,
            base=base,
            based_on_version=int(based_on.group(1)) if based_on else case.version,
            submitted_by_id=newest.revision.user_id,
            submitted_at=newest.revision.date_created,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_editorial_case_change"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
