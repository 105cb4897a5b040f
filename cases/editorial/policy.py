"""The editorial policy: one rule, asked by every write path (admin forms, 历史, delete, import,
publishing, the services). docs/editorial.md has it as a table.

The rule: what the public sees — a published case, its sections, themes, errata, the unit that
wrote it (and the other public records: themes, notices, prefectures, …) — changes only by someone
with ``cases.publish_case`` (审核发布, and superusers). Anyone else's change to a published case's
content is held for review (a ``CaseChange``); a change that cannot be held (a public unit, a
theme, publishing) is refused with a Chinese message. New, recovered and imported cases by
non-publishers are drafts. Drafts are not public, so editors change them directly.
"""

from __future__ import annotations

from awards.models import Unit
from awards.selectors import unit_is_public
from cases.models import Case, CaseChange, CaseSection, Erratum, Theme
from portal.admin.policy import Action, Decision, Outcome

EDITOR_GROUP = "案例编辑"
PUBLISHER_GROUP = "审核发布"
PUBLISH_PERMISSION = "cases.publish_case"

APPLY = Decision(Outcome.APPLY)
APPLY_AS_DRAFT = Decision(Outcome.APPLY, force_draft=True)

HELD_MESSAGE = (
    "本案例已公开：您的修改没有直接公开，已作为“待审核的修改”提交，审核发布人员发布后才会出现在公众网站上。"
)
PUBLISH_ONLY = "只有审核发布人员可以发布、撤回案例或审核待审核的修改。"

# The model permission each write needs (Django's, checked here too so services are safe alone).
PERMISSION = {
    Action.ADD: "add",
    Action.CHANGE: "change",
    Action.DELETE: "delete",
    Action.REVERT: "change",
    Action.RECOVER: "add",
    Action.IMPORT_NEW: "add",
    Action.IMPORT_CHANGE: "change",
}
PUBLISHING = {Action.PUBLISH, Action.UNPUBLISH, Action.CHANGE_PUBLISH, Action.CHANGE_RETURN}
# Writes that bring a case (back) into existence: drafts unless a publisher makes them.
CREATING = {Action.ADD, Action.RECOVER, Action.IMPORT_NEW}


def refuse(message: str) -> Decision:
    return Decision(Outcome.REFUSE, message)


def hold(message: str = HELD_MESSAGE) -> Decision:
    return Decision(Outcome.HOLD, message)


def can_publish(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def decide(*, user, action: Action, target=None, proposed=None) -> Decision:
    """Apply now, hold for review, or refuse one write.

    ``target``: the record as stored (None when it is new); ``proposed``: the record as it would
    be written (None for a delete). Both are model instances of the same model. Returns a
    ``portal.admin.policy.Decision``; never raises.
    """
    action = Action(action)
    obj = target if target is not None else proposed
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return refuse("请先以工作人员身份登录管理后台。")
    if action in PUBLISHING:
        return APPLY if can_publish(user) else refuse(PUBLISH_ONLY)
    if obj is None:
        return refuse("没有要修改的记录。")
    opts = obj._meta
    needed = f"{opts.app_label}.{PERMISSION[action]}_{opts.model_name}"
    if not user.has_perm(needed):
        return refuse(f"您没有{_verb(action)}{opts.verbose_name}的权限。")
    if isinstance(obj, Case) and action is Action.DELETE and _has_pending(target):
        return refuse("本案例有待审核的修改：请先发布或退回这些修改，再删除案例。")
    if can_publish(user) or not getattr(obj, "public_content", True):
        # Records that never reach the public (readers' reports) need no publisher.
        return APPLY
    return _for_non_publisher(action, target, proposed)


def _verb(action: Action) -> str:
    return {"add": "添加", "change": "修改", "delete": "删除"}[PERMISSION[action]]


def _has_pending(case) -> bool:
    return case is not None and CaseChange.objects.filter(case=case, state=CaseChange.State.PENDING).exists()


def _for_non_publisher(action: Action, target, proposed) -> Decision:
    obj = target if target is not None else proposed
    if isinstance(obj, Case):
        return _case(action, target, proposed)
    if isinstance(obj, CaseSection | Erratum):
        return _case_part(action, target, proposed)
    if isinstance(obj, Unit):
        return _unit(action, target)
    if isinstance(obj, Theme):
        return refuse("主题在公众网站和数据接口中公开：只有审核发布人员可以添加、修改或删除主题。")
    return refuse(f"{obj._meta.verbose_name}在公众网站上公开：只有审核发布人员可以修改。")


def _case(action: Action, target: Case | None, proposed: Case | None) -> Decision:
    if action in CREATING:
        if proposed is not None and proposed.status == Case.Status.PUBLISHED and action is Action.ADD:
            return refuse(PUBLISH_ONLY)
        return APPLY_AS_DRAFT
    if target is None:
        return refuse("没有要修改的案例。")
    if proposed is not None and proposed.status != target.status:
        return refuse(PUBLISH_ONLY)
    if not target.is_published:
        return APPLY
    if action is Action.DELETE:
        return refuse("已发布的案例不能删除：请审核发布人员先撤回发布。")
    return hold()


def _case_part(action: Action, target, proposed) -> Decision:
    cases = {part.case_id for part in (target, proposed) if part is not None and part.case_id}
    published = set(
        Case.objects.filter(pk__in=cases, status=Case.Status.PUBLISHED).values_list("pk", flat=True)
    )
    noun = target._meta.verbose_name if target is not None else proposed._meta.verbose_name
    if len(cases) > 1 and published:
        return refuse(f"不能把已发布案例的{noun}移到别的案例：请审核发布人员处理。")
    if published:
        return hold()
    if not cases:
        # An erratum of a unit only: part of the unit's public record when the unit is public.
        units = [e.unit for e in (target, proposed) if isinstance(e, Erratum) and e.unit_id]
        if any(unit_is_public(unit) for unit in units):
            return refuse("这条勘误属于已公开的单位：只有审核发布人员可以修改。")
    return APPLY


def _unit(action: Action, target: Unit | None) -> Decision:
    if action in CREATING or not unit_is_public(target):
        return APPLY
    return refuse(
        "这个单位已在公众网站公开（有已发布的案例或优秀组织单位奖项）：单位信息只有审核发布人员可以修改。"
        "如需更正，请联系审核发布人员。"
    )
