"""Library records in one comparable form, from a fixture or from the database.

A record is an ``Item``: its model label, a natural key that does not depend on primary keys
("cases.case｜2022-best-01", "cases.casesection｜2022-best-01｜2") and its values, with relations as
the natural key of the record they point to and the themes as sorted slugs. The same record read
from the fixture and from the database compares equal when nothing differs. An erratum has no
natural key: its key is a digest of its whole content.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps

# In the order a record's relations are known before the record itself.
MODELS = (
    "awards.notice",
    "awards.awardtier",
    "awards.prefecture",
    "awards.unit",
    "awards.organizingaward",
    "cases.theme",
    "cases.case",
    "cases.casesection",
    "cases.erratum",
)
KEY_FIELDS = {
    "awards.notice": ("number",),
    "awards.awardtier": ("notice", "slug"),
    "awards.prefecture": ("code",),
    "awards.unit": ("name",),
    "awards.organizingaward": ("notice", "order"),
    "cases.theme": ("slug",),
    "cases.case": ("slug",),
    "cases.casesection": ("case", "order"),
    "cases.erratum": (),
}
# Not data the notice gives: publishing is a decision of its own; times and versions are the database's.
SKIPPED = {"status", "created", "updated", "version"}
SEP = "｜"


def digest(value) -> str:
    """A short, stable fingerprint of a value (what the list of known fixture values keeps)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Item:
    model: str
    key: str
    values: dict
    pk: int | None = None

    @property
    def ref(self) -> str:
        return f"{self.model}{SEP}{self.key}"


def plain(value):
    """A database value as the fixture writes it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def model_of(label: str):
    return apps.get_model(label)


def relation(label: str, name: str) -> str | None:
    """The label of the model ``name`` points to, or None for an ordinary field."""
    field = model_of(label)._meta.get_field(name)
    return field.related_model._meta.label_lower if field.is_relation else None


def natural_key(label: str, values: dict) -> str:
    if label == "cases.erratum":
        return digest(values)
    return SEP.join(str(values[name]) for name in KEY_FIELDS[label])


def fixture_fields(records: list[dict]) -> dict[str, list[str]]:
    """The fields each model's records carry in ``records`` (what the update compares)."""
    fields: dict[str, list[str]] = {}
    for record in records:
        names = fields.setdefault(record["model"], [])
        names += [n for n in record.get("fields", {}) if n not in names and n not in SKIPPED]
    return fields


def fixture_items(records: list[dict]) -> dict[str, Item]:
    """The fixture's records of the library's models as Items, by ``Item.ref``."""
    by_model: dict[str, list[dict]] = {}
    for record in records:
        by_model.setdefault(record.get("model"), []).append(record)
    keys: dict[str, dict[int, str]] = {}  # model -> fixture pk -> natural key
    items: dict[str, Item] = {}
    for label in MODELS:
        keys[label] = {}
        for record in by_model.get(label, []):
            values = {}
            for name, value in record.get("fields", {}).items():
                if name in SKIPPED:
                    continue
                target = relation(label, name)
                if target is None:
                    values[name] = value
                elif isinstance(value, list):
                    values[name] = sorted(keys[target].get(v, f"#{v}") for v in value)
                else:
                    values[name] = None if value is None else keys[target].get(value, f"#{value}")
            item = Item(label, natural_key(label, values), values, record.get("pk"))
            keys[label][record.get("pk")] = item.key
            items[item.ref] = item
    return items


def database_items(fields: dict[str, list[str]]) -> dict[str, Item]:
    """The database's records of the library's models as Items (the fields ``fields`` names)."""
    keys: dict[str, dict[int, str]] = {}
    items: dict[str, Item] = {}
    for label in MODELS:
        model = model_of(label)
        names = fields.get(label, [])
        m2m = [n for n in names if model._meta.get_field(n).many_to_many]
        keys[label] = {}
        for obj in model.objects.prefetch_related(*m2m).order_by("pk"):
            values = {}
            for name in names:
                field = model._meta.get_field(name)
                target = relation(label, name)
                if target is None:
                    values[name] = plain(getattr(obj, name))
                elif field.many_to_many:
                    values[name] = sorted(
                        keys[target].get(o.pk, f"#{o.pk}") for o in getattr(obj, name).all()
                    )
                else:
                    pk = getattr(obj, field.attname)
                    values[name] = None if pk is None else keys[target].get(pk, f"#{pk}")
            item = Item(label, natural_key(label, values), values, obj.pk)
            keys[label][obj.pk] = item.key
            items[item.ref] = item
    return items
