"""What the released fixtures have held: every value of every field (as a digest), every paragraph of
every section and every erratum.

A database value found here was loaded from a fixture and not changed by an editor since (or changed
back), so an update may replace it; a value not found here is an editor's, and is kept. The list lives
beside the fixture (``fixtures/library_history.json``); ``build_library_fixture`` adds the fixture it
writes, and its ``--check`` holds the list to contain the committed fixture. It was started from every
version of ``fixtures/library.json`` in the repository's history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cases.library_update.records import Item, digest, fixture_items

FORMAT = 1


@dataclass
class Known:
    fields: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # ref -> field -> digests
    paragraphs: dict[str, set[str]] = field(default_factory=dict)  # section ref -> paragraph digests
    errata: set[str] = field(default_factory=set)  # erratum keys (digests of their content)

    def has(self, ref: str, name: str, value) -> bool:
        return digest(value) in self.fields.get(ref, {}).get(name, set())

    def has_paragraph(self, ref: str, text: str) -> bool:
        return digest(text) in self.paragraphs.get(ref, set())

    def add_items(self, items: dict[str, Item]) -> None:
        for ref, item in items.items():
            if item.model == "cases.erratum":
                self.errata.add(item.key)
                continue
            for name, value in item.values.items():
                self.fields.setdefault(ref, {}).setdefault(name, set()).add(digest(value))
            if item.model == "cases.casesection":
                for text in item.values.get("paragraphs") or []:
                    self.paragraphs.setdefault(ref, set()).add(digest(text))

    def add_known(self, other: Known) -> None:
        self.errata |= other.errata
        for ref, names in other.fields.items():
            for name, digests in names.items():
                self.fields.setdefault(ref, {}).setdefault(name, set()).update(digests)
        for ref, digests in other.paragraphs.items():
            self.paragraphs.setdefault(ref, set()).update(digests)

    def add_records(self, records: list[dict]) -> None:
        self.add_items(fixture_items(records))

    def covers(self, records: list[dict]) -> bool:
        other = Known()
        other.add_records(records)
        return (
            other.errata <= self.errata
            and all(
                digests <= self.fields.get(ref, {}).get(name, set())
                for ref, names in other.fields.items()
                for name, digests in names.items()
            )
            and all(d <= self.paragraphs.get(ref, set()) for ref, d in other.paragraphs.items())
        )

    def render(self) -> str:
        """JSON with one line per record, so that a new fixture changes few lines of the list."""

        def line(value) -> str:
            return json.dumps(value, ensure_ascii=False, sort_keys=True)

        fields = [
            f"{line(ref)}: {line({name: sorted(d) for name, d in names.items()})}"
            for ref, names in sorted(self.fields.items())
        ]
        paragraphs = [f"{line(ref)}: {line(sorted(d))}" for ref, d in sorted(self.paragraphs.items())]
        joint = ",\n"
        return (
            f'{{"format": {FORMAT},\n"errata": {line(sorted(self.errata))},\n'
            f'"fields": {{\n{joint.join(fields)}\n}},\n'
            f'"paragraphs": {{\n{joint.join(paragraphs)}\n}}}}\n'
        )

    @classmethod
    def parse(cls, text: str) -> Known:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"不认识的格式：{data.get('format')!r}")
        return cls(
            fields={ref: {n: set(d) for n, d in names.items()} for ref, names in data["fields"].items()},
            paragraphs={ref: set(d) for ref, d in data["paragraphs"].items()},
            errata=set(data["errata"]),
        )


def known_path(fixture: Path) -> Path:
    return Path(fixture).with_name("library_history.json")


def read_known(fixture: Path) -> Known:
    """The list beside ``fixture`` (empty when there is none)."""
    path = known_path(fixture)
    return Known.parse(path.read_text(encoding="utf-8")) if path.exists() else Known()


def known_at_load(live: dict[str, Item]) -> Known:
    """The values the database's records had when load_library loaded them: the first versions it
    recorded, in the revisions it marked (``cases.models.LoadRevision``); no later version, which may
    hold an editor's change. For a database loaded from a fixture that was never committed, whose
    values the list does not hold. ``live``: the database's records (Items)."""
    from django.apps import apps
    from reversion.errors import RevertError
    from reversion.models import Version

    from cases.library_update.records import natural_key, plain, relation

    items = {(item.model, item.pk): item for item in live.values()}
    keys: dict[str, dict[int, str]] = {}
    for item in live.values():
        keys.setdefault(item.model, {})[item.pk] = item.key
    known = Known()
    # Only the revisions load_library marked while loading: never one an update recorded "before" it,
    # an editor's, or createinitialrevisions' (they hold the values of their day, editors' included).
    versions = Version.objects.filter(revision__load_mark__isnull=False).select_related("content_type")
    for version in versions.iterator():
        label = f"{version.content_type.app_label}.{version.content_type.model}"
        item = items.get((label, int(version.object_id))) if version.object_id.isdigit() else None
        if item is None:
            continue
        try:
            data = version.field_dict
        except RevertError:  # a version of an older schema: not a reliable "before"
            continue
        model = apps.get_model(label)
        values = {}
        for name in item.values:
            field_ = model._meta.get_field(name)
            target = relation(label, name)
            if target is None:
                values[name] = plain(data.get(name))
            elif field_.many_to_many:
                values[name] = sorted(keys.get(target, {}).get(pk, f"#{pk}") for pk in data.get(name) or [])
            else:
                pk = data.get(field_.attname)
                values[name] = None if pk is None else keys.get(target, {}).get(pk, f"#{pk}")
        loaded = Item(label, natural_key(label, values), values, item.pk)
        known.add_items({loaded.ref: loaded})
    return known
