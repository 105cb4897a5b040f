"""Reads for the review work: what waits for a publisher, what an editor has submitted, and the
case list's "待审核" and "最后修改" columns. No writes (those are in services)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from reversion.models import Version

from cases.editorial.policy import can_publish
from cases.models import Case, CaseChange

MY_CHANGES_SHOWN = 10


def pending_changes() -> QuerySet[CaseChange]:
    """Every change waiting for a publisher, oldest first (the order to review them in)."""
    return (
        CaseChange.objects.filter(state=CaseChange.State.PENDING)
        .select_related("case", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def changes_of(user) -> QuerySet[CaseChange]:
    """What ``user`` submitted for review (not refused stale saves), newest first."""
    return (
        CaseChange.objects.filter(submitted_by=user)
        .exclude(state=CaseChange.State.CONFLICT)
        .select_related("case", "decided_by")
        .order_by("-submitted_at", "-pk")
    )


def review_queue(user) -> dict:
    """What the admin index shows this user: for publishers the changes to review, for everyone
    their own submitted changes (pending first, then the latest decided)."""
    mine = changes_of(user)
    return {
        "can_publish": can_publish(user),
        "pending": list(pending_changes()) if can_publish(user) else [],
        "mine_pending": list(mine.filter(state=CaseChange.State.PENDING)),
        "mine_decided": list(mine.exclude(state=CaseChange.State.PENDING)[:MY_CHANGES_SHOWN]),
    }


def with_review_columns(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with ``has_pending`` and the latest history entry's ``last_editor`` / ``last_edited``."""
    versions = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=Cast(OuterRef("pk"), CharField()),
    ).order_by("-pk")
    pending = CaseChange.objects.filter(case=OuterRef("pk"), state=CaseChange.State.PENDING)
    return queryset.annotate(
        has_pending=Exists(pending),
        last_editor=Subquery(versions.values("revision__user__username")[:1]),
        last_edited=Subquery(versions.values("revision__date_created")[:1]),
    )
