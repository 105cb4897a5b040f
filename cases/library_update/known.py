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
        data = {
            "format": FORMAT,
            "fields": {
                ref: {name: sorted(d) for name, d in sorted(names.items())}
                for ref, names in sorted(self.fields.items())
            },
            "paragraphs": {ref: sorted(d) for ref, d in sorted(self.paragraphs.items())},
            "errata": sorted(self.errata),
        }
        return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"

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
