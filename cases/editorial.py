"""Editorial writes made from the admin: publishing, recorded deletions, history diffs, login lockout.

Every write here runs inside a django-reversion revision, so it shows up in the object's history
with who, when and a comment, and can be reverted from there.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import reversion
from axes.backends import AxesStandaloneBackend
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from reversion.models import Version

from cases.models import Case, Theme

EDITOR_GROUP = "案例编辑"
PUBLISHER_GROUP = "审核发布"
PUBLISH_PERMISSION = "cases.publish_case"
PENDING_MARK = "待审核的修改"


class RequestAwareAxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every login that comes with a request.

    Every login form (admin, site) passes the request, so every real login is checked. A call of
    ``authenticate()`` without a request (``Client.login`` in tests, management scripts) cannot be
    tied to an address; plain axes raises there, which would break such callers, so it is let
    through to the password check instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def can_publish(user) -> bool:
    return bool(user and user.has_perm(PUBLISH_PERMISSION))


@transaction.atomic
def set_status(cases: Iterable[Case], status: str, *, user, comment: str) -> int:
    """Publish or unpublish cases one by one, so each gets a version bump and a history record."""
    changed = 0
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        for case in cases:
            if case.status == status:
                continue
            case.status = status
            case.save(update_fields=["status", "version", "updated"])
            reversion.add_to_revision(case)
            changed += 1
    return changed


def record_before_delete(objects: Iterable[Model], *, user, comment: str = "删除前的版本") -> None:
    """Save a revision of objects (and what they follow, e.g. a case's sections) before they go.

    django-reversion only stores versions of rows that still exist when the revision is saved, so
    this must be its own, finished revision before the delete runs; the recover view in the admin
    ("恢复已删除的…") then brings the object back with its sections.
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


def save_rejected_submission(instance: Model, *, user, based_on: int, current: int) -> None:
    """Keep the values an editor submitted over a newer version as a history entry of their own.

    The database keeps the other editor's save; this entry keeps the refused one, so nothing is
    lost and the refused values can be compared with and, if wanted, reverted to.
    """
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user)
        reversion.set_comment(
            f"编辑冲突：未保存的提交（基于第 {based_on} 版，数据库已是第 {current} 版），仅存档供比较或恢复"
        )
        reversion.add_to_revision(instance)


def with_themes(case: Case, themes) -> Case:
    """Make the serializer store these themes (not the database's) for an unsaved case."""
    if themes is not None:
        # Django's serializer reads a prefetched relation from this cache; it must be a queryset.
        chosen = Theme.objects.filter(pk__in=[theme.pk for theme in themes])
        case._prefetched_objects_cache = {**getattr(case, "_prefetched_objects_cache", {}), "themes": chosen}
    return case


def save_pending_edit(case: Case, sections: Iterable[Model], *, user, based_on: int) -> None:
    """File an editor's change to a published case as a history entry instead of saving it.

    The public page keeps showing the published content; a publisher opens the entry in the
    history (its difference view shows what changed) and saves it to publish the change.
    """
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user)
        reversion.set_comment(pending_comment(based_on))
        reversion.add_to_revision(case)  # follows the stored sections ...
        for section in sections:
            reversion.add_to_revision(section)  # ... replaced by their edited text


def pending_comment(based_on: int) -> str:
    return f"{PENDING_MARK}（基于第 {based_on} 版，尚未公开；审核发布人员打开此版本并保存即发布）"


def pending_edit(case: Case) -> Version | None:
    """The newest history entry of the case when it is an edit still waiting for a publisher."""
    latest = Version.objects.get_for_object(case).select_related("revision__user").first()
    if latest is not None and latest.revision.comment.startswith(PENDING_MARK):
        return latest
    return None


def cases_with_pending_edits() -> list[int]:
    """Ids of cases whose newest history entry is an edit waiting for a publisher."""
    newest = (
        Version.objects.get_for_model(Case).values("object_id").annotate(newest=Max("pk")).values("newest")
    )
    ids = Version.objects.filter(pk__in=newest, revision__comment__startswith=PENDING_MARK).values_list(
        "object_id", flat=True
    )
    return [int(pk) for pk in ids]


# Field-by-field differences between two versions.


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    # For lists (paragraphs, aliases): only the items that differ, and how many stayed the same.
    old_items: list[str] | None = None
    new_items: list[str] | None = None
    unchanged_items: int = 0

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _display(model, field, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field.many_to_many:
        related = field.related_model._default_manager.filter(pk__in=value)
        names = {str(obj.pk): str(obj) for obj in related}
        return "、".join(names.get(str(pk), f"（已删除 #{pk}）") for pk in value)
    if field.is_relation:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else f"（已删除 #{value}）"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def field_changes(model, old: dict | None, new: dict) -> list[FieldChange]:
    """Compare the ``field_dict`` of two versions of one object, field by field."""
    changes = []
    fields = [f for f in model._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many]
    for field in fields:
        if field.auto_created and not field.concrete:
            continue
        name = field.attname if field.is_relation and not field.many_to_many else field.name
        if name not in new and field.name not in new:
            continue
        new_value = new.get(field.name, new.get(name))
        old_value = None if old is None else old.get(field.name, old.get(name))
        change = FieldChange(
            label=str(field.verbose_name),
            old=_display(model, field, old_value) if old is not None else "",
            new=_display(model, field, new_value),
        )
        if isinstance(old_value, list) and isinstance(new_value, list) and not field.many_to_many:
            _list_difference(change, [str(v) for v in old_value], [str(v) for v in new_value])
        changes.append(change)
    return changes


def _list_difference(change: FieldChange, old: list[str], new: list[str]) -> None:
    change.old_items, change.new_items = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            change.unchanged_items += i2 - i1
        else:
            change.old_items += old[i1:i2]
            change.new_items += new[j1:j2]


def previous_version(version: Version) -> Version | None:
    return (
        Version.objects.get_for_object_reference(version._model, version.object_id)
        .filter(pk__lt=version.pk)
        .order_by("-pk")
        .first()
    )


def related_versions(version: Version) -> list[Version]:
    """Versions of other objects saved in the same revision (a case's sections, for example)."""
    return list(
        version.revision.version_set.exclude(pk=version.pk).select_related("content_type").order_by("pk")
    )
