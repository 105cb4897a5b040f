"""Bringing one record back from its history: an old version, or a deleted record.

django-reversion's own revert writes the stored rows raw (no signals: the search index and the
page cache never hear of it), restores an old optimistic-lock number, and fails with an
IntegrityError when the version names a related record that has since been deleted. These
helpers build an ordinary model instance from a version instead, leave out what no longer exists
(and say so), keep the version number rising, and save it the normal way.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from reversion.errors import RevertError
from reversion.models import Version


class RestoreError(Exception):
    """The version cannot be brought back; the message says why, in Chinese."""


ALREADY_RECOVERED = "这条记录已经恢复（可能是重复提交，或他人刚刚恢复了它），无需再次恢复。"


class AlreadyRecovered(RestoreError):
    """The deleted record is back already: ``live`` is it."""

    def __init__(self, live: Model):
        super().__init__(ALREADY_RECOVERED)
        self.live = live


def lock_for_recover(version: Version) -> None:
    """Start recovering the record ``version`` kept (inside a transaction): concurrent recovers of
    it wait here for each other; raises AlreadyRecovered when the record is back already."""
    Version.objects.select_for_update().filter(pk=version.pk).first()
    live = version._model._default_manager.filter(pk=version.object_id).first()
    if live is not None:
        raise AlreadyRecovered(live)


@dataclass
class Restored:
    """An unsaved instance with a version's values, and what had to be left out."""

    instance: Model
    live: Model | None  # the stored record, untouched (None when the record was deleted)
    creating: bool
    m2m: dict[str, list] = field(default_factory=dict)  # field name -> existing related pks
    skipped: list[str] = field(default_factory=list)  # Chinese notes, one per left-out value


def version_data(version: Version) -> dict:
    try:
        return version.field_dict
    except RevertError as exc:
        raise RestoreError("这个版本的数据与当前的数据结构不一致，无法恢复。") from exc


def related_exists(model_field, value) -> bool:
    return model_field.related_model._default_manager.filter(pk=value).exists()


def deleted_label(model, pk) -> str:
    """“name”（#pk） of a deleted record, its name from its last version when the history has one."""
    last = Version.objects.get_for_object_reference(model, pk).order_by("-pk").first()
    return f"“{last.object_repr}”（#{pk}）" if last is not None else f"#{pk}"


def missing_relation_message(model, model_field, value) -> str:
    """Why a deleted record cannot come back while a record it needs is gone, and what to do."""
    target = model_field.related_model._meta.verbose_name
    return (
        f"无法恢复这个{model._meta.verbose_name}：它的{model_field.verbose_name}"
        f"{deleted_label(model_field.related_model, value)}已被删除。"
        f"请先在“{target}”中恢复这个{target}（“恢复已删除的{target}”），或在其他记录中改选，"
        f"再恢复本{model._meta.verbose_name}。"
    )


def lost_links(version: Version) -> list[str]:
    """Links to a deleted record kept on the *other* side (a case's themes, for a theme): deleting
    the record removed them, and recovering it does not bring them back. One Chinese note per
    kind of record that had such links, naming the records (from their versions before the
    deletion, as the history knows them)."""
    model = version._model
    pk = model._meta.pk.to_python(version.object_id)
    when = version.revision.date_created
    notes = []
    for relation in model._meta.related_objects:
        if not relation.many_to_many or not reversion.is_registered(relation.related_model):
            continue
        other, name = relation.related_model, relation.field.name
        latest: dict[str, Version] = {}
        for other_version in Version.objects.get_for_model(other).filter(revision__date_created__lte=when):
            kept = latest.get(other_version.object_id)
            if kept is None or other_version.pk > kept.pk:
                latest[other_version.object_id] = other_version
        linked = []
        for object_id, other_version in latest.items():
            try:
                listed = other_version.field_dict.get(name) or []
            except RevertError:
                continue
            if pk in listed and other._default_manager.filter(pk=object_id).exists():
                linked.append(other_version.object_repr)
        if linked:
            names = "、".join(f"“{n}”" for n in sorted(linked)[:10]) + ("等" if len(linked) > 10 else "")
            noun = other._meta.verbose_name
            notes.append(
                f"删除前有 {len(linked)} 个{noun}选用了它（{names}）：这些关联已随删除去掉，恢复后不会自动恢复，"
                f"请在这些{noun}中重新选择“{version.object_repr}”。"
            )
    return notes


def restored_instance(version: Version) -> Restored:
    """The record as ``version`` stored it, on top of the live row when there is one."""
    model = version._model
    data = version_data(version)
    live = model._default_manager.filter(pk=version.object_id).first()
    creating = live is None
    obj = model(pk=model._meta.pk.to_python(version.object_id)) if creating else copy.copy(live)
    result = Restored(instance=obj, live=live, creating=creating)
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.attname not in data or model_field.name == "version":
            continue
        value = data[model_field.attname]
        if model_field.is_relation and value is not None and not related_exists(model_field, value):
            label = model_field.verbose_name
            if creating and not model_field.null:
                raise RestoreError(missing_relation_message(model, model_field, value))
            gone = deleted_label(model_field.related_model, value)
            result.skipped.append(f"{label}{gone}已被删除，保留为{'空' if creating else '当前值'}。")
            if creating:
                setattr(obj, model_field.attname, None)
            continue
        setattr(obj, model_field.attname, value)
    if hasattr(obj, "version"):
        obj.version = max(int(data.get("version") or 0) + (1 if creating else 0), obj.version or 1)
    for m2m in model._meta.many_to_many:
        if m2m.name not in data:
            continue
        wanted = list(data[m2m.name])
        existing = set(m2m.related_model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        result.m2m[m2m.name] = [pk for pk in wanted if pk in existing]
        for pk in wanted:
            if pk not in existing:
                result.skipped.append(f"{m2m.verbose_name} #{pk} 已被删除，已略去。")
    if creating:
        result.skipped += lost_links(version)
    return result


def restored_data(restored: Restored) -> dict:
    """What saving ``restored`` would write, field by field (``Version.field_dict``'s shape), for
    the confirmation page. The fields no one edits (the optimistic-lock number, timestamps) are
    left out: they are bookkeeping, not what changes."""
    obj = restored.instance
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.editable}
    data.update(restored.m2m)
    return data


def validation_text(error: ValidationError) -> str:
    return "；".join(error.messages)


@transaction.atomic
def save_restored(restored: Restored) -> Model:
    """Validate and save a ``restored_instance`` (signals run: search index, page cache)."""
    obj = restored.instance
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise RestoreError(f"无法恢复：{validation_text(exc)}") from exc
    try:
        with transaction.atomic():
            obj.save(force_insert=restored.creating)
    except IntegrityError:
        live = type(obj)._default_manager.filter(pk=obj.pk).first() if restored.creating else None
        if live is None:
            raise
        raise AlreadyRecovered(live) from None
    for name, pks in restored.m2m.items():
        getattr(obj, name).set(pks)
    return obj


def record_before_delete(objects: Iterable[Model], *, user, comment: str = "删除前的版本") -> None:
    """Save a revision of objects (and what they follow, e.g. a case's sections) before they go.

    django-reversion only stores versions of rows that still exist when the revision is saved, so
    this must be its own, finished revision before the delete runs; "恢复已删除的…" then brings
    the object back with its sections.
    """
    objects = list(objects)
    if not objects:
        return
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user)
        reversion.set_comment(comment)
        for obj in objects:
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
