"""Writes that touch several models: loading the library from its fixture (editorial writes are in
cases.editorial.services)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from awards.models import Notice
from cases.editorial.history import INITIAL_COMMENT, record_initial_versions
from cases.search import rebuild_index


class LibraryLoadError(Exception):
    """The fixture holds a record that may not go into the database; nothing was written."""


@dataclass
class LoadResult:
    notice: str
    loaded: bool
    counts: dict[str, int]


def _describe(model, record: dict, index: int) -> str:
    label = model._meta.verbose_name
    fields = record.get("fields", {})
    hint = fields.get("title") or fields.get("name") or fields.get("number") or ""
    return f"第 {index} 条记录（{label} pk={record.get('pk')}{'：' + str(hint) if hint else ''}）"


def _messages(model, error: ValidationError) -> str:
    if not hasattr(error, "message_dict"):
        return "；".join(error.messages)

    def label(name: str) -> str:
        try:
            return f"{model._meta.get_field(name).verbose_name}（{name}）"
        except Exception:
            return name

    return "；".join(f"{label(field)}：{'，'.join(msgs)}" for field, msgs in error.message_dict.items())


@transaction.atomic
def load_library(path: Path, *, replace: bool = False) -> LoadResult:
    """Load a library fixture in one transaction, validating every record first.

    Runs twice without change: when the fixture's notice is already in the database nothing is
    written unless ``replace`` is set (so an editor's later corrections are never overwritten by a
    second start of the quick start).
    """
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LibraryLoadError(f"无法读取数据文件 {path}：{exc}") from exc
    if not isinstance(records, list):
        raise LibraryLoadError(f"数据文件 {path} 的格式不对：应为记录列表。")

    notice_numbers = [r.get("fields", {}).get("number") for r in records if r.get("model") == "awards.notice"]
    counts: dict[str, int] = {}
    if not replace and notice_numbers and Notice.objects.filter(number__in=notice_numbers).exists():
        ensure_search_index()
        return LoadResult(notice="、".join(notice_numbers), loaded=False, counts=counts)

    pending_m2m, loaded = [], []
    for index, record in enumerate(records, start=1):
        try:
            model = apps.get_model(record["model"])
        except (KeyError, LookupError, ValueError) as exc:
            raise LibraryLoadError(f"第 {index} 条记录的模型名无效：{record.get('model')!r}") from exc
        fields = dict(record.get("fields", {}))
        m2m = {f.name: fields.pop(f.name) for f in model._meta.many_to_many if f.name in fields}
        values = {}
        for name, value in fields.items():
            try:
                field = model._meta.get_field(name)
            except Exception as exc:
                raise LibraryLoadError(f"{_describe(model, record, index)}：未知字段 {name}") from exc
            values[field.attname if field.is_relation else name] = value
        obj = model(pk=record.get("pk"), **values)
        if replace and obj.pk is not None:
            # An update of the same record must not be mistaken for a duplicate of itself.
            obj._state.adding = not model.objects.filter(pk=obj.pk).exists()
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise LibraryLoadError(f"{_describe(model, record, index)}：{_messages(model, exc)}") from exc
        try:
            with transaction.atomic():
                # raw-style save: keep the fixture's timestamps instead of "now".
                model.save_base(obj, raw=True)
        except IntegrityError as exc:
            raise LibraryLoadError(f"{_describe(model, record, index)}：违反数据库约束（{exc}）") from exc
        for name, ids in m2m.items():
            pending_m2m.append((obj, name, ids))
        loaded.append(obj)
        counts[model._meta.label] = counts.get(model._meta.label, 0) + 1
    for obj, name, ids in pending_m2m:
        getattr(obj, name).set(ids)
    _reset_sequences({apps.get_model(label) for label in counts})
    # Raw saves skip per-row indexing; index the whole library once, in this transaction.
    rebuild_index()
    # A first version of every record, so an editor's first change can be compared and undone.
    record_initial_versions(
        loaded, comment=INITIAL_COMMENT if not replace else f"{INITIAL_COMMENT}，--replace", loaded=True
    )
    # Raw saves send no signal the page cache acts on: a page (or the API schema, whose enums list the
    # loaded values) stored before the load must not outlive it.
    from portal.cache import bump_library_version

    bump_library_version()
    return LoadResult(notice="、".join(notice_numbers), loaded=True, counts=counts)


def ensure_search_index() -> None:
    """Build the search index when it does not cover every case (e.g. a database migrated after
    the library was loaded)."""
    from cases.models import Case, SearchDocument

    if Case.objects.count() != SearchDocument.objects.count():
        rebuild_index()


def _reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
