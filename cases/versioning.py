"""One version number per record as the public sees it: a case with its sections, errata and theme
links (a unit with the errata filed only against it) is one aggregate for optimistic locking.

``aggregate_root(record)`` names the record whose ``version`` guards it; every write to a part
(save, delete, moving it to another case, adding or removing a theme) raises that version, on
every path (admin forms and inlines, the section and erratum pages, 历史, import, services), by
the signal handlers below, once per transaction (awards.models.first_version_write): the case
form's save with its five section rows is one new version, not six. An admin form loaded before
such a write is then refused as stale (portal.admin.forms.OptimisticLockForm asks
``aggregate_root`` through ``lock_root``), so a stale case form cannot silently put back a
section or an erratum someone has changed since.
Raw saves (fixture loading) are skipped.
"""

from __future__ import annotations

from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from awards.models import Unit, first_version_write
from cases.models import Case, CaseSection, Erratum

Root = tuple[type[Model], int]

_STORED_ROOT = "_versioning_stored_root"
_CLEARED = "_versioning_cleared_cases"
_RAW = "_versioning_raw_save"


def aggregate_root(record: Model | None) -> Root | None:
    """(model, pk) of the record whose version guards ``record``; None when there is none yet."""
    if record is None:
        return None
    if isinstance(record, CaseSection):
        return (Case, record.case_id) if record.case_id else None
    if isinstance(record, Erratum):
        if record.case_id:
            return Case, record.case_id
        return (Unit, record.unit_id) if record.unit_id else None
    return (type(record), record.pk) if record.pk is not None else None


def version_bump(root: Root | None, *, instance: Model | None = None) -> None:
    """A new version of the aggregate ``root`` (in the database; ``instance``, a loaded copy of the
    root record, gets the new number too), unless the open transaction already made one: a save
    of a case with its sections, errata and themes is one new version. Only the lock number: the
    case's ``updated`` date is the library's to set (load_library gives loaded cases the
    notice's date)."""
    if root is None:
        return
    model, pk = root
    if first_version_write(model, pk):  # once per transaction, however many parts it writes
        model._base_manager.filter(pk=pk).update(version=F("version") + 1)
    if instance is not None:
        stored = model._base_manager.filter(pk=pk).values_list("version", flat=True).first()
        instance.version = stored if stored is not None else instance.version


def _loaded_root(part: Model) -> Model | None:
    """The root record when it is loaded on the part (an inline row holds its case)."""
    name = "case" if getattr(part, "case_id", None) else "unit"
    field = part._meta.get_field(name)
    return getattr(part, name) if field.is_cached(part) else None


@receiver(pre_save, sender=CaseSection, dispatch_uid="versioning_section_saving")
@receiver(pre_save, sender=Erratum, dispatch_uid="versioning_erratum_saving")
def part_saving(sender, instance, raw=False, **kwargs):
    # A part moved to another case changes both: remember where it was.
    stored = None
    if not raw and instance.pk is not None and not instance._state.adding:
        stored = sender._base_manager.filter(pk=instance.pk).first()
    setattr(instance, _STORED_ROOT, aggregate_root(stored))


@receiver(post_save, sender=CaseSection, dispatch_uid="versioning_section_saved")
@receiver(post_save, sender=Erratum, dispatch_uid="versioning_erratum_saved")
def part_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    root = aggregate_root(instance)
    version_bump(root, instance=_loaded_root(instance))
    stored = getattr(instance, _STORED_ROOT, None)
    if stored is not None and stored != root:
        version_bump(stored)


@receiver(post_delete, sender=CaseSection, dispatch_uid="versioning_section_deleted")
@receiver(post_delete, sender=Erratum, dispatch_uid="versioning_erratum_deleted")
def part_deleted(sender, instance, **kwargs):
    # (In a case's own delete the cascade runs first; the update then finds the row or nothing.)
    version_bump(aggregate_root(instance), instance=_loaded_root(instance))


@receiver(post_save, sender=Case, dispatch_uid="versioning_case_saved")
def case_saved(sender, instance, raw=False, **kwargs):
    # loaddata and load_library set a raw-saved case's themes right after: that is not an edit.
    if raw:
        setattr(instance, _RAW, True)


@receiver(m2m_changed, sender=Case.themes.through, dispatch_uid="versioning_case_themes_changed")
def case_themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if getattr(instance, _RAW, False):
        return
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear") and (pk_set or action == "post_clear"):
            version_bump((Case, instance.pk), instance=instance)
        return
    # From the theme's side (theme.cases.add/remove/clear): the cases named, or all it had.
    if action == "pre_clear":
        setattr(instance, _CLEARED, list(instance.cases.values_list("pk", flat=True)))
        return
    if action == "post_clear":
        pk_set = getattr(instance, _CLEARED, [])
    if action in ("post_add", "post_remove", "post_clear"):
        for pk in pk_set or ():
            version_bump((Case, pk))
