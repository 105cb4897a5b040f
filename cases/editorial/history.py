"""What the version history (django-reversion) keeps, and the first version of every loaded record.

A case's versions hold its sections and errata too, so reverting or recovering a case brings the
whole case back. Records loaded by ``load_library`` get an initial version in one revision, so an
editor's first change has a real "before" and can be undone to the notice's text.
"""

from __future__ import annotations

from collections.abc import Iterable

import reversion
from django.db.models import Model

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture, Unit
from cases.models import Case, CaseSection, Erratum, LoadRevision, Theme
from portal.admin.history import INITIAL_COMMENT


def register_models() -> None:
    """Register the library's models (idempotent; the admin modules and the app both call it, and
    the admin would otherwise register them itself, with the same follows)."""
    follows = {Case: ("sections", "errata"), Notice: ("tiers",)}
    for model in (Case, CaseSection, Erratum, Theme, Notice, AwardTier, Prefecture, Unit, OrganizingAward):
        if not reversion.is_registered(model):
            reversion.register(model, follow=follows.get(model, ()))


def record_initial_versions(
    objects: Iterable[Model], *, comment: str = INITIAL_COMMENT, loaded: bool = False
) -> int:
    """One revision holding a version of each registered object (no user: the system).

    ``loaded``: the objects were just loaded from the notice's data (``load_library``), and the
    revision is marked so (``LoadRevision``): only such versions count as loaded values for
    ``load_library --update``. Versions recorded later hold whatever the records hold then, an
    editor's changes included, and never count, whatever their comment."""
    count = 0
    with reversion.create_revision(manage_manually=True):
        reversion.set_comment(comment)
        if loaded:
            reversion.add_meta(LoadRevision)
        for obj in objects:
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
                count += 1
    return count
