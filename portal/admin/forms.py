"""Admin form pieces shared by every app: list fields, the policy check, optimistic locking."""

from __future__ import annotations

import copy

import reversion
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.functional import cached_property
from reversion.models import Version

from portal.admin.policy import Action, Decision, decide


class LinesField(forms.CharField):
    """A JSON list of strings edited as text, one item per line (blank lines are dropped)."""

    widget = forms.Textarea

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class PolicyCheckedForm:
    """Mixed into every admin model form (HistoryAdmin.get_form): asks the editorial policy.

    A refused write becomes a form error with the policy's Chinese message (nothing is saved);
    otherwise ``self.decision`` tells the admin whether to save or to hold the change for review.
    """

    # Set per request by HistoryAdmin.
    editor = None
    decision: Decision | None = None

    def clean(self):
        # Before the rest of clean(): a write the policy refuses needs no conflict check.
        self.decision = self.policy_decision()
        if self.decision.refused:
            raise ValidationError(self.decision.message, code="refused")
        return super().clean()

    def policy_decision(self) -> Decision:
        adding = self.instance._state.adding
        return decide(
            user=self.editor,
            action=Action.ADD if adding else Action.CHANGE,
            target=None if adding else self.instance,
            proposed=self.proposed_instance(),
        )

    def proposed_instance(self):
        """A copy of the record with the submitted values (the stored one stays untouched)."""
        candidate = copy.copy(self.instance)
        construct_instance(self, candidate, self._meta.fields, self._meta.exclude)
        return candidate


# The largest version number a form may carry (the column is a 32-bit integer on PostgreSQL).
MAX_VERSION = 2**31 - 1

BAD_VERSION = (
    "未保存：本页面缺少有效的版本信息（页面可能不完整，或提交的内容被改动过）。为避免覆盖别人的修改，"
    "本次保存没有进行，数据库中的内容没有改变。请重新打开本页面，再修改并保存。"
)


def parse_version(raw) -> int | None:
    """A version number as a form carries it (ASCII digits, 1 to MAX_VERSION); None otherwise."""
    text = str(raw).strip() if raw is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_VERSION)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_VERSION else None


def stored_version(model, pk, *, lock: bool = False) -> int | None:
    """The stored version of one record (None when it is gone); ``lock``: and lock its row until
    the transaction ends, so that no other save slips in before this one."""
    rows = model._base_manager.filter(pk=pk)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


def stale_versions(root, raw) -> tuple[int, int] | None:
    """The optimistic-lock check every lock-guarded save makes (forms, the revert confirmation).

    ``root``: (model, pk) of the record whose version guards the save (None: nothing to check);
    ``raw``: the version the page was loaded with, as submitted. Locks the root's row until the
    transaction ends. Raises ValidationError(BAD_VERSION) for a missing or malformed version;
    returns (loaded, current) when the record has changed since, None when the save may go on.
    """
    if root is None:
        return None
    loaded = parse_version(raw)
    if loaded is None:
        raise ValidationError(BAD_VERSION, code="bad_version")
    current = stored_version(*root, lock=True)
    return (loaded, current) if current is not None and loaded != current else None


class OptimisticLockForm(forms.ModelForm):
    """Refuses a save based on an older version than the one now stored.

    The version is that of the form's *aggregate root* (``lock_root``): the record itself, or for
    a part of a larger record (a case's section or erratum) the record it belongs to, whose
    version every write to any of its parts raises (cases/versioning.py). The form carries the
    version it was loaded with; on submit the root row is locked and compared (``check_version``,
    the one check every lock-guarded form makes). A stale submit is refused with a message, its
    values stay in the form and are kept in the history (``archive_refused``), so neither
    person's version is lost. A missing or malformed version is refused too, never guessed.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    noun = "记录"
    # Set per request by the admin's get_form, so a refused save can be filed under the editor.
    editor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        root = self.lock_root()
        if root is not None and not self.is_bound:
            model, pk = root
            current = self.instance.version if model is type(self.instance) else stored_version(model, pk)
            self.fields["loaded_version"].initial = current

    @cached_property
    def changed_data(self):
        # The lock field is how the page was loaded, not a change: never named in the history.
        return [name for name in super().changed_data if name != "loaded_version"]

    def lock_root(self):
        """(model, pk) of the record whose version guards this form; None for a new record."""
        return (type(self.instance), self.instance.pk) if self.instance.pk is not None else None

    def clean(self):
        cleaned = super().clean()
        self.check_version(cleaned.get("loaded_version"))
        return cleaned

    def check_version(self, raw) -> None:
        """Raise a ValidationError unless ``raw`` is the stored version of the lock root."""
        root = self.lock_root()
        stale = stale_versions(root, raw)
        if stale is not None:
            self._refuse_stale_save(*stale, root)

    def root_versions(self, model, pk):
        """The history entries of the lock root; the latest one names who saved last. A root with
        parts (a case's sections) includes its parts' entries: saving a part is a new version too."""
        return Version.objects.get_for_object_reference(model, pk)

    def archive_refused(self, loaded: int, current: int) -> None:
        """Keep the refused values as a history entry of their own (the database keeps the other
        save). Forms whose record has parts (a case's sections) archive in the admin instead."""
        candidate = copy.copy(self.instance)
        construct_instance(self, candidate)
        with reversion.create_revision(manage_manually=True):
            reversion.set_user(self.editor)
            reversion.set_comment(stale_comment(loaded, current))
            reversion.add_to_revision(candidate)

    def _refuse_stale_save(self, loaded: int, current: int, root) -> None:
        model, pk = root
        latest = self.root_versions(model, pk).select_related("revision__user").order_by("-pk").first()
        who = ""
        if latest is not None:
            user = latest.revision.user
            when = timezone.localtime(latest.revision.date_created).strftime("%Y-%m-%d %H:%M")
            who = f"{user.get_username() if user else '他人'}于 {when} "
        noun = model._meta.verbose_name if model is not type(self.instance) else self.noun
        part = f"（{self.noun}属于这个{noun}，它的任何部分被修改都算作新版本）" if noun != self.noun else ""
        self.archive_refused(loaded, current)
        raise ValidationError(
            f"未保存：您打开此页面后，{who}已保存了这个{noun}的新版本（第 {current} 版，您编辑的是第 {loaded} 版）{part}。"
            "为避免覆盖别人的修改，本次保存被拒绝，数据库中仍是对方的版本；您填写的内容仍在下方表单中，"
            f"并已作为“编辑冲突”存入修改历史。请在新窗口打开本{self.noun}查看最新内容，把您的修改合并后再保存。",
            code="stale",
        )


def stale_comment(loaded: int, current: int) -> str:
    return f"编辑冲突：未保存的提交（基于第 {loaded} 版，数据库已是第 {current} 版），仅存档供比较或恢复"
