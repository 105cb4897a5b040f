"""A case's content as one JSON document: read it, build it from a form, a version or a row, compare
two of them, and write one to the database.

Shape (also ``CaseChange.payload``)::

    {"fields": {name: value for name in CASE_FIELDS},      # relations as ids
     "themes": [theme id, ...],                            # sorted
     "sections": [{"id": int | None, "order": int, "heading": str, "paragraphs": [str, ...]}],
     "errata": [{"id": int | None, "notice": id, "unit": id | None, "kind": str, ...}]}

A section or erratum with ``"id": None`` is new; one of the case's that is missing is deleted.
The status is not part of it: publishing is a decision of its own (services.case_publish).
django-reversion cannot keep unsaved new sections, which is why held changes are documents.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from reversion.errors import RevertError

from cases.models import Case, CaseSection, Erratum, Theme
from cases.search import batched
from portal.admin import field_changes
from portal.admin.restore import deleted_label, related_exists

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
PARTS = {"sections": (CaseSection, SECTION_FIELDS), "errata": (Erratum, ERRATUM_FIELDS)}
MAX_ORDER = 30000  # orders above are the temporary places used while sections are reordered


class PayloadError(Exception):
    """The document cannot be written; the message says why, in Chinese."""


def _get(obj, name):
    return getattr(obj, obj._meta.get_field(name).attname)


def part_item(obj) -> dict:
    _, names = PARTS["sections" if isinstance(obj, CaseSection) else "errata"]
    item = {"id": obj.pk, **{name: _get(obj, name) for name in names}}
    if "paragraphs" in item:
        item["paragraphs"] = list(item["paragraphs"] or [])
    return item


def normalized(payload: dict) -> dict:
    """The same content in one canonical order, so equal contents compare equal."""
    return {
        "fields": dict(payload.get("fields", {})),
        "themes": sorted(int(pk) for pk in payload.get("themes", [])),
        "sections": sorted(payload.get("sections", []), key=lambda s: (s["order"], s.get("id") or 0)),
        "errata": sorted(payload.get("errata", []), key=lambda e: (e.get("id") is None, e.get("id") or 0)),
    }


def case_snapshot(case: Case) -> dict:
    """The stored content of a case (what the public sees when it is published)."""
    return normalized(
        {
            "fields": {name: _get(case, name) for name in CASE_FIELDS},
            "themes": list(case.themes.values_list("pk", flat=True)),
            "sections": [part_item(s) for s in case.sections.all()],
            "errata": [part_item(e) for e in case.errata.all()],
        }
    )


def with_part(payload: dict, part, *, delete: bool = False) -> dict:
    """``payload`` with one section or erratum added, replaced (same id) or removed."""
    result = copy.deepcopy(payload)
    key = "sections" if isinstance(part, CaseSection) else "errata"
    items = [i for i in result[key] if part.pk is None or i.get("id") != part.pk]
    if not delete:
        items.append(part_item(part))
    result[key] = items
    return normalized(result)


def with_fields(payload: dict, case: Case, names, themes=None) -> dict:
    result = copy.deepcopy(payload)
    result["fields"].update({name: _get(case, name) for name in names})
    if themes is not None:
        result["themes"] = [t.pk for t in themes]
    return normalized(result)


def payload_from_version(version) -> dict:
    """The content a case version stored: the case and the sections and errata saved with it."""
    try:
        data = version.field_dict
        parts = {"sections": [], "errata": []}
        for other in version.revision.version_set.exclude(pk=version.pk).select_related("content_type"):
            key = {"casesection": "sections", "erratum": "errata"}.get(other.content_type.model)
            if key is None or other.content_type.app_label != "cases":
                continue
            other_data = other.field_dict
            if str(other_data.get("case_id")) != str(version.object_id):
                continue
            model, names = PARTS[key]
            item = {"id": int(other.object_id)}
            for name in names:
                item[name] = other_data.get(model._meta.get_field(name).attname)
            parts[key].append(item)
    except RevertError as exc:
        raise PayloadError("这个版本的数据与当前的数据结构不一致，无法恢复。") from exc
    fields = {name: data.get(Case._meta.get_field(name).attname) for name in CASE_FIELDS}
    return normalized({"fields": fields, "themes": data.get("themes", []), **parts})


def payload_changes(old: dict | None, new: dict) -> list[dict]:
    """What differs between two documents, for the history pages: groups of FieldChange, each
    ``{"label": "案例" | "章节" | "勘误", "repr": str, "kind": "修改" | "新增" | "删除", "changes": [...]}``.
    """
    groups = []
    case_old = None if old is None else {**old["fields"], "themes": old["themes"]}
    changes = field_changes(Case, case_old, {**new["fields"], "themes": new["themes"]})
    changed = [c for c in changes if c.changed]
    if changed:
        groups.append(
            {"label": "案例", "repr": new["fields"].get("title", ""), "kind": "修改", "changes": changed}
        )
    for key, label in (("sections", "章节"), ("errata", "勘误")):
        model, _ = PARTS[key]
        before = {i["id"]: i for i in (old or {}).get(key, []) if i.get("id") is not None}
        after_ids = set()
        for item in new.get(key, []):
            previous = before.get(item.get("id"))
            after_ids.add(item.get("id"))
            item_changes = [c for c in field_changes(model, previous, _without_id(item)) if c.changed]
            if item_changes:
                kind = "修改" if previous is not None else "新增"
                groups.append(
                    {"label": label, "repr": _item_repr(item), "kind": kind, "changes": item_changes}
                )
        for pk, item in before.items():
            if pk not in after_ids:
                gone = field_changes(model, _without_id(item), dict.fromkeys(_without_id(item)))
                groups.append({"label": label, "repr": _item_repr(item), "kind": "删除", "changes": gone})
    return groups


def _without_id(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "id"}


def _item_repr(item: dict) -> str:
    if "order" in item:
        return f"{item['order']}. {item.get('heading') or '导语'}"
    return f"{item.get('location', '')}：{item.get('original', '')} → {item.get('corrected', '')}"


# Writing a document.


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _assign(obj, names, values: dict, notes: list[str], *, required_missing: str | None) -> None:
    """Set the values on obj; a relation to a record that no longer exists is left out (noted),
    or refused with ``required_missing`` when obj has no value of its own to keep."""
    for name in names:
        if name not in values:
            continue
        field = obj._meta.get_field(name)
        value = values[name]
        if field.is_relation and value is not None and not related_exists(field, value):
            if required_missing is not None and not field.null and getattr(obj, field.attname) is None:
                raise PayloadError(f"{required_missing}：它的{field.verbose_name}（#{value}）已被删除。")
            notes.append(
                f"{field.verbose_name}{deleted_label(field.related_model, value)}已被删除，保留当前值。"
            )
            continue
        setattr(obj, field.attname, value)


def _check_orders(sections: list[dict]) -> None:
    orders = [s.get("order") for s in sections]
    if any(not isinstance(o, int) or o < 0 or o > MAX_ORDER for o in orders):
        raise PayloadError(f"章节的“顺序”应为 0 到 {MAX_ORDER} 的整数。")
    if len(set(orders)) != len(orders):
        raise PayloadError("有两个章节的“顺序”相同，请改为不同的数字。")


@transaction.atomic
@batched()
def payload_apply(case: Case, payload: dict, *, creating: bool = False) -> list[str]:
    """Write ``payload`` as the case's content (fields, themes, sections, errata) with ordinary
    saves, so the search index and the page cache follow. ``creating``: ``case`` is an unsaved
    case with its old id (recover). Returns notes on what was left out because it no longer
    exists; raises PayloadError (nothing written) when the result would be invalid.
    """
    notes: list[str] = []
    _assign(
        case, CASE_FIELDS, payload["fields"], notes, required_missing="无法恢复这个案例" if creating else None
    )
    _check_orders(payload["sections"])
    try:
        case.full_clean()
    except ValidationError as exc:
        raise PayloadError(f"无法保存：{_errors(exc)}") from exc
    case.save(force_insert=creating)

    wanted = [int(pk) for pk in payload["themes"]]
    existing = set(Theme.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    notes += [f"主题{deleted_label(Theme, pk)}已被删除，已略去。" for pk in wanted if pk not in existing]
    case.themes.set([pk for pk in wanted if pk in existing])

    _write_parts(case, "sections", payload["sections"], notes)
    _write_parts(case, "errata", payload["errata"], notes)
    return notes


def _write_parts(case: Case, key: str, items: list[dict], notes: list[str]) -> None:
    model, names = PARTS[key]
    live = {obj.pk: obj for obj in getattr(case, key).all()}
    kept = {item["id"] for item in items if item.get("id") in live}
    for pk, obj in live.items():
        if pk not in kept:
            obj.delete()
    if key == "sections":
        # Out of the way first: the order is unique per case, and a reorder swaps numbers.
        for index, pk in enumerate(sorted(kept)):
            model.objects.filter(pk=pk).update(order=MAX_ORDER + 1 + index)
    for item in items:
        obj = live.get(item.get("id"))
        if obj is None:
            reuse = item.get("id") is not None and not model.objects.filter(pk=item["id"]).exists()
            obj = model(pk=item["id"] if reuse else None, case=case)
        if (
            key == "errata"
            and obj.pk not in live
            and not related_exists(model._meta.get_field("notice"), item.get("notice"))
        ):
            # (A stored erratum's notice cannot be gone: deleting a notice deletes its errata.)
            notes.append(f"勘误“{_item_repr(item)}”的通报已被删除，这条勘误已略去。")
            continue
        _assign(obj, names, item, notes, required_missing=None)
        try:
            obj.full_clean(validate_unique=False)
        except ValidationError as exc:
            raise PayloadError(
                f"{model._meta.verbose_name}“{_item_repr(item)}”无法保存：{_errors(exc)}"
            ) from exc
        obj.save(force_insert=obj.pk is not None and obj.pk not in live)


def pruned(payload: dict, live: dict | None) -> tuple[dict, list[str]]:
    """``payload`` without what no longer exists: deleted themes are left out, a deleted unit,
    notice or tier keeps the live value, errata of a deleted notice are dropped. Returns the new
    document and a Chinese note for each thing left out (for the user, before anything is saved)."""
    result, notes = copy.deepcopy(payload), []
    for name in ("notice", "tier", "unit"):
        field = Case._meta.get_field(name)
        value = result["fields"].get(name)
        if value is not None and not related_exists(field, value):
            kept = (live or {}).get("fields", {}).get(name)
            label = deleted_label(field.related_model, value)
            notes.append(f"{field.verbose_name}{label}已被删除，{'保留当前值' if kept else '无法恢复'}。")
            result["fields"][name] = kept
    existing = set(Theme.objects.filter(pk__in=result["themes"]).values_list("pk", flat=True))
    notes += [
        f"主题{deleted_label(Theme, pk)}已被删除，已略去。" for pk in result["themes"] if pk not in existing
    ]
    result["themes"] = [pk for pk in result["themes"] if pk in existing]
    errata = []
    for item in result["errata"]:
        if not related_exists(Erratum._meta.get_field("notice"), item.get("notice")):
            notes.append(f"勘误“{_item_repr(item)}”的通报已被删除，这条勘误已略去。")
            continue
        if item.get("unit") is not None and not related_exists(Erratum._meta.get_field("unit"), item["unit"]):
            unit = deleted_label(Erratum._meta.get_field("unit").related_model, item["unit"])
            notes.append(f"勘误“{_item_repr(item)}”的单位{unit}已被删除，已略去单位。")
            item["unit"] = None
        errata.append(item)
    result["errata"] = errata
    return normalized(result), notes
