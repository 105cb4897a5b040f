"""The case form shows an editor's own pending change, not the live text they already changed.

After an editor submits a change to a published case, opening the case again must show what they
submitted (else the save looks lost). These helpers put a pending change's content into the
unsaved form: the case's fields on an in-memory copy of the case, its themes as the form's
initial value, and its sections and errata as the inline formsets' rows (changed rows on copies
of the stored ones, new rows as extra forms, deleted rows left out). Nothing is saved here.

The form carries the case's current version, so what it shows must be the pending change *rebased*
on the live content (``rebased``): what the editor changed in their change keeps their value,
everything else shows what is live now. Otherwise a field someone changed live after the editor
submitted would show its old value and a save would silently restore it.
"""

from __future__ import annotations

import copy

from cases.editorial.payload import CASE_FIELDS, PARTS, normalized
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


def _merge_item(mine: dict, base: dict | None, live: dict) -> dict:
    """One section/erratum (or the fields): the editor's value where they changed it, else live."""
    base = base or {}
    return {
        name: (mine[name] if name in mine and mine[name] != base.get(name) else value)
        for name, value in live.items()
    }


def _merge_parts(mine: list, base: list, live: list) -> list:
    base_by_id = {i["id"]: i for i in base if i.get("id") is not None}
    mine_by_id = {i["id"]: i for i in mine if i.get("id") is not None}
    merged = []
    for item in live:
        pk = item.get("id")
        if pk in base_by_id and pk not in mine_by_id:
            continue  # the editor deleted it
        merged.append(_merge_item(mine_by_id.get(pk, {}), base_by_id.get(pk), item))
    merged += [dict(i) for i in mine if i.get("id") is None]  # the editor's new rows
    return merged


def rebased(change: CaseChange, live: dict) -> dict:
    """``change``'s payload on top of ``live`` (the case's content now): the editor's changes
    (payload against the change's base) applied to the live content, nothing else of the base."""
    mine, base = normalized(change.payload), normalized(change.base or {})
    if base == live:
        return mine
    themes = set(live["themes"]) | (set(mine["themes"]) - set(base["themes"]))
    themes -= set(base["themes"]) - set(mine["themes"])
    return normalized(
        {
            "fields": _merge_item(mine["fields"], base["fields"], live["fields"]),
            "themes": sorted(themes),
            "sections": _merge_parts(mine["sections"], base["sections"], live["sections"]),
            "errata": _merge_parts(mine["errata"], base["errata"], live["errata"]),
        }
    )


def changed_since(change: CaseChange, live: dict) -> bool:
    """Whether the case's content changed after ``change`` was submitted."""
    return normalized(change.base or {}) != live


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
