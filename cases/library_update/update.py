"""Apply a newer fixture to a database loaded from an older one, keeping every editor's change.

For each record of the fixture, matched to the database by its natural key (``records``), and each
field that differs: when the database still holds a value some released fixture shipped (``known``),
nobody has edited it, and the fixture's value replaces it; otherwise an editor has, and the editor's
value stays and is reported. The values of the first versions load_library recorded while loading
(its marked revisions, never a later one) count as a fixture's too (``known.known_at_load``). Paragraphs of a section are compared one by one when the section keeps
its number of paragraphs; lists of aliases and themes take the fixture's additions even when an
editor changed them. Errata are matched by kind and by the forms they relate; an erratum a fixture
made that the new fixture no longer has is deleted, unless an editor changed it.

Everything is written in one transaction and one django-reversion revision (“按新版通报数据更正”,
by the system), through the same content writer the editorial services use (``payload_apply``), so it
shows in every record's history and each case can be reverted to the version before. Records that had
no version yet (a database loaded before load_library recorded first versions) get one first; it
holds what they held, editors' changes included, so it never counts as loaded: running the update
again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import router, transaction
from reversion.models import Version

from cases.editorial.history import record_initial_versions
from cases.editorial.payload import PayloadError, case_snapshot, payload_apply
from cases.library_update.known import Known, known_at_load, known_path, read_known
from cases.library_update.records import (
    MODELS,
    SEP,
    Item,
    database_items,
    fixture_fields,
    fixture_items,
    model_of,
    relation,
)
from cases.search import batched

UPDATE_COMMENT = "按新版通报数据更正（load_library --update）"
# Not a loaded value: it holds what the records held just before, editors' changes included.
BEFORE_COMMENT = "更新前的版本（load_library --update 补记）"
LIST_FIELDS = {"aliases", "title_aliases", "themes"}
CASE_PARTS = ("cases.casesection", "cases.erratum")


class LibraryUpdateError(Exception):
    """The update cannot run; nothing was written."""


@dataclass
class UpdateReport:
    notice: str
    applied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.applied or self.created or self.deleted)


def _short(value, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def _label(item: Item) -> str:
    name = model_of(item.model)._meta.verbose_name
    return f"{name}“{item.key}”" if item.model != "cases.erratum" else name


def _field_label(item: Item, name: str) -> str:
    return f"{_label(item)}的{model_of(item.model)._meta.get_field(name).verbose_name}"


class _Plan:
    """What the update will write, worked out before anything is written."""

    def __init__(self, new: dict[str, Item], live: dict[str, Item], known: Known, report: UpdateReport):
        self.new, self.live, self.known, self.report = new, live, known, report
        self.records: list[tuple[Item, Item | None, dict]] = []  # (fixture item, live item, changes)
        self.cases: list[tuple[Item, Item | None, dict, dict[str, list]]] = []

    # Fields.

    def merge(self, item: Item, live: Item, name: str):
        """(changed, value) for one field."""
        current, wanted = live.values.get(name), item.values.get(name)
        if current == wanted:
            return False, current
        if self.known.has(item.ref, name, current):
            self.report.applied.append(f"{_field_label(item, name)}：{_short(current)} → {_short(wanted)}")
            return True, wanted
        if name in LIST_FIELDS and isinstance(current, list) and isinstance(wanted, list):
            added = [v for v in wanted if v not in current]
            if added:
                self.report.applied.append(f"{_field_label(item, name)}：补入 {_short(added)}")
                self.report.kept.append(f"{_field_label(item, name)}：编辑改过，保留编辑的各项，只补入新增的")
                return True, current + added
        self.report.kept.append(
            f"{_field_label(item, name)}：编辑改过，保留编辑的内容（新版数据为“{_short(wanted)}”）"
        )
        return False, current

    def merge_paragraphs(self, item: Item, live: Item):
        current, wanted = live.values.get("paragraphs") or [], item.values.get("paragraphs") or []
        if (
            current == wanted
            or self.known.has(item.ref, "paragraphs", current)
            or len(current) != len(wanted)
        ):
            return self.merge(item, live, "paragraphs")
        merged, changed = [], False
        for index, (mine, theirs) in enumerate(zip(current, wanted, strict=True), start=1):
            if mine != theirs and self.known.has_paragraph(item.ref, mine):
                self.report.applied.append(f"{_label(item)}第 {index} 段：{_short(mine)} → {_short(theirs)}")
                merged.append(theirs)
                changed = True
                continue
            if mine != theirs:
                self.report.kept.append(
                    f"{_label(item)}第 {index} 段：编辑改过，保留编辑的内容（新版数据为“{_short(theirs)}”）"
                )
            merged.append(mine)
        return changed, merged

    def changes(self, item: Item, live: Item, skip=()) -> dict:
        result = {}
        for name in item.values:
            if name in skip:
                continue
            merge = self.merge_paragraphs if name == "paragraphs" else None
            changed, value = merge(item, live) if merge else self.merge(item, live, name)
            if changed:
                result[name] = value
        return result

    # Records.

    def build(self) -> None:
        for item in self.new.values():
            if item.model in CASE_PARTS:
                continue
            live = self.live.get(item.ref)
            if item.model == "cases.case":
                if live is None:
                    self.report.created.append(_label(item))
                fields = dict(item.values) if live is None else self.changes(item, live, skip=("slug",))
                self.cases.append((item, live, fields, self._case_parts(item, live)))
                continue
            if live is None:
                self.report.created.append(_label(item))
                self.records.append((item, None, dict(item.values)))
            elif changes := self.changes(item, live):
                self.records.append((item, live, changes))

    def _parts_of(self, items: dict[str, Item], model: str, case_key: str) -> list[Item]:
        return [i for i in items.values() if i.model == model and i.values.get("case") == case_key]

    def _case_parts(self, case: Item, live_case: Item | None) -> dict[str, list]:
        """Sections and errata as (fixture item or None, live item or None, changes) triples."""
        sections, errata = [], []
        live_sections = {i.ref: i for i in self._parts_of(self.live, "cases.casesection", case.key)}
        for item in self._parts_of(self.new, "cases.casesection", case.key):
            live = live_sections.pop(item.ref, None)
            if live is None:
                self.report.created.append(_label(item))
                sections.append((item, None, dict(item.values)))
            else:
                sections.append((item, live, self.changes(item, live)))
        for live in live_sections.values():
            untouched = all(self.known.has(live.ref, n, v) for n, v in live.values.items())
            if untouched:
                self.report.deleted.append(_label(live))
                sections.append((None, live, {}))
            else:
                self.report.kept.append(f"{_label(live)}：新版数据已无此章节，但编辑改过，保留")
        live_errata = self._parts_of(self.live, "cases.erratum", case.key)
        paired = {i.key for i in live_errata} & {
            i.key for i in self._parts_of(self.new, "cases.erratum", case.key)
        }
        for item in self._parts_of(self.new, "cases.erratum", case.key):
            if item.key in paired:
                continue
            live = next((e for e in live_errata if e.key not in paired and _same_erratum(item, e)), None)
            what = f"勘误“{item.values['original'][:20]} → {item.values['corrected'][:20]}”"
            if live is None:
                self.report.created.append(what)
                errata.append((item, None, dict(item.values)))
                continue
            paired.add(live.key)
            if live.key in self.known.errata:
                self.report.applied.append(f"{what}：按新版数据修改")
                errata.append((item, live, dict(item.values)))
            else:
                self.report.kept.append(f"{what}：编辑改过这条勘误，保留编辑的内容")
        for live in live_errata:
            if live.key not in paired and live.key in self.known.errata:
                self.report.deleted.append(
                    f"勘误“{live.values['original'][:20]} → {live.values['corrected'][:20]}”"
                )
                errata.append((None, live, {}))
        return {"sections": sections, "errata": errata}


def _dirty(live: Item | None, fields: dict, parts: dict) -> bool:
    """Whether a case is created or has anything to write (fields, a section or erratum)."""
    return (
        live is None
        or bool(fields)
        or any(
            new is None or old is None or changes for new, old, changes in parts["sections"] + parts["errata"]
        )
    )


def _same_erratum(a: Item, b: Item) -> bool:
    """One erratum in two versions: same kind, and the same pair of forms or the same original."""
    x, y = a.values, b.values
    if x.get("kind") != y.get("kind"):
        return False
    pair = {x.get("original"), x.get("corrected")} == {y.get("original"), y.get("corrected")}
    return pair or x.get("original") == y.get("original")


# Writing.


class _Writer:
    def __init__(self, plan: _Plan):
        self.plan = plan
        self.pks = {ref: item.pk for ref, item in plan.live.items()}

    def resolve(self, model: str, name: str, value):
        target = relation(model, name)
        if target is None:
            return value
        if isinstance(value, list):
            return [self._pk(target, v) for v in value]
        return None if value is None else self._pk(target, value)

    def _pk(self, target: str, key: str) -> int:
        pk = self.pks.get(f"{target}{SEP}{key}")
        if pk is None:
            raise LibraryUpdateError(
                f"新版数据引用的{model_of(target)._meta.verbose_name}“{key}”在数据库中不存在。"
            )
        return pk

    def before(self) -> None:
        """A version of each record about to change that has none yet, so the change can be undone."""
        objects = []
        for item, live, changes in self.plan.records:
            if live is not None and changes:
                objects.append(model_of(item.model).objects.get(pk=live.pk))
        for item, live, fields, parts in self.plan.cases:
            if live is not None and _dirty(live, fields, parts):
                objects.append(model_of(item.model).objects.get(pk=live.pk))
        missing = [o for o in objects if not Version.objects.get_for_object(o).exists()]
        if missing:
            record_initial_versions(missing, comment=BEFORE_COMMENT)

    def write(self) -> None:
        for model in MODELS:
            for item, live, changes in self.plan.records:
                if item.model == model:
                    self._write_record(item, live, changes)
        for item, live, fields, parts in self.plan.cases:
            if _dirty(live, fields, parts):
                self._write_case(item, live, fields, parts)

    def _write_record(self, item: Item, live: Item | None, changes: dict) -> None:
        model = model_of(item.model)
        obj = model() if live is None else model.objects.get(pk=live.pk)
        for name, value in changes.items():
            field_ = model._meta.get_field(name)
            setattr(obj, field_.attname, self.resolve(item.model, name, value))
        obj.full_clean()
        obj.save()
        self.pks[item.ref] = obj.pk

    def _write_case(self, item: Item, live: Item | None, fields: dict, parts: dict) -> None:
        from cases.models import Case

        case = Case(status=Case.Status.PUBLISHED) if live is None else Case.objects.get(pk=live.pk)
        payload = (
            case_snapshot(case)
            if live is not None
            else {"fields": {}, "themes": [], "sections": [], "errata": []}
        )
        for name, value in fields.items():
            if name == "themes":
                payload["themes"] = self.resolve(item.model, name, value)
            else:
                payload["fields"][name] = self.resolve(item.model, name, value)
        for key, model in (("sections", "cases.casesection"), ("errata", "cases.erratum")):
            by_id = {p["id"]: p for p in payload[key]}
            for new, old, changes in parts[key]:
                if new is None:
                    by_id.pop(old.pk, None)
                    continue
                entry = by_id.get(old.pk) if old is not None else None
                if entry is None:
                    entry = {"id": None}
                    payload[key].append(entry)
                for name, value in changes.items():
                    if name != "case":
                        entry[name] = self.resolve(model, name, value)
            payload[key] = [p for p in payload[key] if p["id"] is None or p["id"] in by_id]
        payload_apply(case, payload, creating=live is None)
        self.pks[item.ref] = case.pk


def update_library(path: Path, *, dry_run: bool = False) -> UpdateReport:
    """Apply the fixture at ``path`` to the loaded library; see the module docstring."""
    from awards.models import Notice
    from cases.models import Case
    from portal.cache import schedule_invalidation

    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LibraryUpdateError(f"无法读取数据文件 {path}：{exc}") from exc
    if not isinstance(records, list) or not all(
        isinstance(r, dict) and isinstance(r.get("model"), str) and isinstance(r.get("fields"), dict)
        for r in records
    ):
        raise LibraryUpdateError(f"数据文件 {path} 的格式不对：应为记录列表，每条记录有 model 和 fields。")
    numbers = [str(r["fields"].get("number")) for r in records if r["model"] == "awards.notice"]
    if not numbers or not Notice.objects.filter(number__in=numbers).exists():
        raise LibraryUpdateError("数据库中还没有这份通报：请先运行 load_library 载入。")
    # The project's list, and one beside the fixture given (a fixture kept elsewhere).
    known = read_known(settings.LIBRARY_FIXTURE)
    if known_path(path).exists():
        known.add_known(read_known(path))
    try:
        known.add_records(records)
    except (KeyError, TypeError, LookupError, FieldDoesNotExist) as exc:
        raise LibraryUpdateError(f"数据文件 {path} 中有无法识别的记录：{exc!r}") from exc
    report = UpdateReport(notice="、".join(numbers), dry_run=dry_run)
    with transaction.atomic(), batched():
        try:
            live = database_items(fixture_fields(records))
            known.add_known(known_at_load(live))
            plan = _Plan(fixture_items(records), live, known, report)
            plan.build()
            writer = _Writer(plan)
            writer.before()
            with reversion.create_revision():
                reversion.set_comment(UPDATE_COMMENT)
                writer.write()
        except (KeyError, TypeError, LookupError, FieldDoesNotExist) as exc:
            raise LibraryUpdateError(f"数据文件 {path} 中有无法识别的记录：{exc!r}") from exc
        except ValidationError as exc:
            raise LibraryUpdateError(f"新版数据中有无法保存的值：{'；'.join(exc.messages)}") from exc
        except PayloadError as exc:
            raise LibraryUpdateError(str(exc)) from exc
        if report.changed:
            # Ordinary saves: the search index follows each case, unit and prefecture saved
            # (cases.search.signal_handlers); cached pages expire after the commit.
            schedule_invalidation(router.db_for_write(Case))
        if dry_run:
            transaction.set_rollback(True)
    return report
