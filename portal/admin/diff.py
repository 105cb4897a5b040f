"""Field-by-field differences between two versions of a record (history pages, held changes)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from portal.admin.restore import deleted_label

# Below this similarity a changed text is shown whole (struck and inserted), not character by character.
MARK_MIN_RATIO = 0.3


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    # For lists (paragraphs, aliases): only the items that differ, and how many stayed the same.
    old_items: list[str] | None = None
    new_items: list[str] | None = None
    unchanged_items: int = 0
    # The changed item pairs with the differing characters marked (<del> / <ins>), safe HTML.
    marked_items: list[tuple[SafeString, SafeString]] | None = None

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def marked(self) -> tuple[SafeString, SafeString]:
        """(old, new) as HTML with the changed characters marked."""
        return inline_marks(self.old, self.new)


def _html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def inline_marks(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Two texts as HTML, the characters that differ wrapped in <del> (old) and <ins> (new)
    (difflib, character by character; a text rewritten beyond recognition is marked whole)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    if old and new and matcher.ratio() < MARK_MIN_RATIO:
        return mark_safe(f"<del>{_html(old)}</del>"), mark_safe(f"<ins>{_html(new)}</ins>")
    before, after = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            before.append(_html(old[i1:i2]))
            after.append(_html(new[j1:j2]))
            continue
        if i2 > i1:
            before.append(f"<del>{_html(old[i1:i2])}</del>")
        if j2 > j1:
            after.append(f"<ins>{_html(new[j1:j2])}</ins>")
    return mark_safe("".join(before)), mark_safe("".join(after))


def _hidden(field) -> bool:
    """Bookkeeping, not content: the id, the optimistic-lock number, automatic timestamps."""
    return (
        field.primary_key
        or field.name == "version"
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    )


def _display(model, field, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field.many_to_many:
        related = field.related_model._default_manager.filter(pk__in=value)
        names = {str(obj.pk): str(obj) for obj in related}
        return "、".join(
            names.get(str(pk)) or f"（已删除 {deleted_label(field.related_model, pk)}）" for pk in value
        )
    if field.is_relation:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else f"（已删除 {deleted_label(field.related_model, value)}）"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def field_changes(model, old: dict | None, new: dict) -> list[FieldChange]:
    """Compare two ``{field name or attname: value}`` dicts of one model, field by field.

    Fields missing from ``new`` are left out; ``old=None`` means "no earlier version" (every field
    shows as new). Relations are shown by name, deleted ones by their last known name, "（已删除 “name”（#id））".
    """
    changes = []
    fields = [f for f in model._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many]
    for field in fields:
        if (field.auto_created and not field.concrete) or _hidden(field):
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
    change.old_items, change.new_items, change.marked_items = [], [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            change.unchanged_items += i2 - i1
            continue
        change.old_items += old[i1:i2]
        change.new_items += new[j1:j2]
        # A replaced paragraph is shown beside its new version with the changed characters marked.
        paired = min(i2 - i1, j2 - j1)
        change.marked_items += [
            inline_marks(a, b) for a, b in zip(old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True)
        ]
        change.marked_items += [inline_marks(a, "") for a in old[i1 + paired : i2]]
        change.marked_items += [inline_marks("", b) for b in new[j1 + paired : j2]]


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
