"""Keep the search index current: every save or delete that changes searchable text re-indexes
the affected cases in the same transaction, so an edit is found on the next request.

Raw saves (fixture loading) are skipped; ``cases.services.load_library`` rebuilds the index once
at the end instead.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from awards.models import Prefecture, Unit
from cases.models import Case, CaseSection, Theme
from cases.search.index import index_cases


def _mark_raw(instance, raw: bool) -> bool:
    # load_library sets many-to-many values after its raw saves; remember those instances.
    if raw:
        instance._search_raw_save = True
    return raw


@receiver(post_save, sender=Case, dispatch_uid="search_case_saved")
def case_saved(sender, instance, raw=False, **kwargs):
    if not _mark_raw(instance, raw):
        index_cases([instance.pk])


_deleting: set[int] = set()


@receiver(pre_delete, sender=Case, dispatch_uid="search_case_deleting")
def case_deleting(sender, instance, **kwargs):
    # Its sections go first in the cascade; re-indexing the case for each would be wasted.
    _deleting.add(instance.pk)


@receiver(post_delete, sender=Case, dispatch_uid="search_case_deleted")
def case_deleted(sender, instance, **kwargs):
    _deleting.discard(instance.pk)
    index_cases([instance.pk])


@receiver(post_save, sender=CaseSection, dispatch_uid="search_section_saved")
def section_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_cases([instance.case_id])


@receiver(post_delete, sender=CaseSection, dispatch_uid="search_section_deleted")
def section_deleted(sender, instance, **kwargs):
    if instance.case_id not in _deleting:
        index_cases([instance.case_id])


@receiver(m2m_changed, sender=Case.themes.through, dispatch_uid="search_case_themes_changed")
def case_themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if getattr(instance, "_search_raw_save", False):
        return
    if action == "pre_clear" and reverse:
        # Which cases lose the theme is only known before the clear.
        instance._search_cleared_cases = list(instance.cases.values_list("pk", flat=True))
        return
    if not reverse:
        if action != "pre_clear":
            index_cases([instance.pk])
    elif action == "post_clear":
        index_cases(getattr(instance, "_search_cleared_cases", []))
    else:
        index_cases(pk_set or [])


@receiver(post_save, sender=Theme, dispatch_uid="search_theme_saved")
def theme_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        index_cases(instance.cases.values_list("pk", flat=True))


@receiver(pre_delete, sender=Theme, dispatch_uid="search_theme_deleting")
def theme_deleting(sender, instance, **kwargs):
    instance._search_case_ids = list(instance.cases.values_list("pk", flat=True))


@receiver(post_delete, sender=Theme, dispatch_uid="search_theme_deleted")
def theme_deleted(sender, instance, **kwargs):
    # The through rows are gone by now; re-index the cases that had the theme (collected below).
    index_cases(getattr(instance, "_search_case_ids", []))


@receiver(post_save, sender=Unit, dispatch_uid="search_unit_saved")
def unit_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        index_cases(instance.cases.values_list("pk", flat=True))


@receiver(post_save, sender=Prefecture, dispatch_uid="search_prefecture_saved")
def prefecture_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        index_cases(Case.objects.filter(unit__prefecture=instance).values_list("pk", flat=True))
