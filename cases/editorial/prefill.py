"""The case form shows an editor's own pending change, not the live text they already changed.

After an editor submits a change to a published case, opening the case again must show what they
submitted (else the save looks lost). These helpers put a pending change's content into the
unsaved form: the case's fields on an in-memory copy of the case, its themes as the form's
initial value, and its sections and errata as the inline formsets' rows (changed rows on copies
of the stored ones, new rows as extra forms, deleted rows left out). Nothing is saved here.
"""

from __future__ import annotations

import copy

from cases.editorial.payload import CASE_FIELDS, PARTS
from cases.models import Case, CaseChange


def own_pending_change(user, case: Case | None) -> CaseChange | None:
    """The latest change ``user`` submitted for ``case`` that still waits for review."""
    if case is None or user is None or not user.is_authenticated:
        return None
    return (
        CaseChange.objects.filter(case=case, submitted_by=user, state=CaseChange.State.PENDING)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _set(obj, name, value) -> None:
    field = obj._meta.get_field(name)
    setattr(obj, field.attname, value)


def case_with_payload(case: Case, payload: dict) -> Case:
    """An unsaved copy of ``case`` carrying the payload's field values."""
    shown = copy.copy(case)
    for name in CASE_FIELDS:
        if name in payload["fields"]:
            _set(shown, name, payload["fields"][name])
    return shown


def prefill_formsets(formsets, case: Case, payload: dict) -> None:
    """Make the (unbound) inline formsets show the payload's sections and errata."""
    for formset in formsets:
        key = next((k for k, (model, _) in PARTS.items() if model is formset.model), None)
        if key is None or formset.is_bound:
            continue
        _, names = PARTS[key]
        stored = {obj.pk: obj for obj in getattr(case, key).all()}
        rows, extra = [], []
        for item in payload.get(key, []):
            obj = stored.get(item.get("id"))
            values = {name: item[name] for name in names if name in item}
            if obj is None:
                extra.append(values)
                continue
            shown = copy.copy(obj)
            for name, value in values.items():
                _set(shown, name, value)
            rows.append(shown)
        formset._queryset = rows  # BaseModelFormSet.get_queryset returns it as is
        formset.initial_extra = extra
        formset.extra = len(extra)
