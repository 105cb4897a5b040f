"""Shared test step: a whole-case save as the admin form makes it."""

from cases.editorial import Action, case_content_save
from cases.models import CaseChange


def form_save(user, case, payload: dict, note: str) -> None:
    """Save ``payload`` (a case_snapshot, edited) for ``case`` as ``user`` through the editorial
    service, as the case form does; ``note`` is the summary and the history comment."""
    case_content_save(
        user=user,
        case=case,
        payload=payload,
        action=Action.CHANGE,
        source=CaseChange.Source.FORM,
        summary=note,
        comment=note,
    )
