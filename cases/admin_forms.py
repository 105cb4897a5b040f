"""Admin forms: list fields edited one item per line, optimistic locking, import upload checks."""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from import_export.forms import ImportForm, SelectableFieldsExportForm
from reversion.models import Version

from awards.models import Unit
from cases import editorial
from cases.models import Case, CaseSection
from cases.resources import import_max_bytes


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


class OptimisticLockForm(forms.ModelForm):
    """Refuses a save based on an older version of the row than the one now stored.

    The form carries the ``version`` it was loaded with; on submit the row is locked and compared.
    A stale submit is refused with a message, its values stay in the form and are filed in the
    history as an "编辑冲突" entry, so neither person's version is lost.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    noun = "记录"
    # Set per request by the admin's get_form, so a refused save can be filed under the editor.
    editor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # Lock the row until this request's transaction ends, so no save slips in between.
        current = (
            self._meta.model.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        loaded = cleaned.get("loaded_version")
        if current is not None and loaded != current:
            self._refuse_stale_save(loaded, current)
        return cleaned

    def _refuse_stale_save(self, loaded, current):
        model = self._meta.model
        latest = (
            Version.objects.get_for_object_reference(model, self.instance.pk)
            .select_related("revision__user")
            .order_by("-pk")
            .first()
        )
        who = ""
        if latest is not None:
            user = latest.revision.user
            when = timezone.localtime(latest.revision.date_created).strftime("%Y-%m-%d %H:%M")
            who = f"{user.get_username() if user else '他人'}于 {when} "
        # Keep the refused values as their own history entry (the database keeps the other save).
        candidate = copy.copy(self.instance)
        candidate._state = copy.copy(self.instance._state)
        construct_instance(self, candidate)
        if model is Case:
            editorial.with_themes(candidate, self.cleaned_data.get("themes"))
        editorial.save_rejected_submission(candidate, user=self.editor, based_on=loaded or 0, current=current)
        raise ValidationError(
            f"未保存：您打开此页面后，{who}已保存了这个{self.noun}的新版本（第 {current} 版，您编辑的是第 {loaded} 版）。"
            "为避免覆盖别人的修改，本次保存被拒绝，数据库中仍是对方的版本；您填写的内容仍在下方表单中，"
            f"并已作为“编辑冲突”存入修改历史。请在新窗口打开本{self.noun}查看最新内容，把您的修改合并后再保存。",
            code="stale",
        )


# The case form's fields in the two groups the admin shows them in (cases.admin.CaseAdmin).
CASE_LISTING_FIELDS = (
    "notice",
    "tier",
    "number",
    "title",
    "title_in_compendium",
    "title_aliases",
    "unit",
    "page",
    "slug",
    "status",
)
CASE_CONTENT_FIELDS = ("summary", "themes")


class CaseAdminForm(OptimisticLockForm):
    noun = "案例"
    title_aliases = LinesField(
        label="标题的其他写法",
        help_text="目录等处的写法，每行一个，可被搜索",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Case
        fields = CASE_LISTING_FIELDS + CASE_CONTENT_FIELDS


class CaseSectionInlineForm(forms.ModelForm):
    paragraphs = LinesField(
        label="段落",
        help_text="每行一段；（一）等小标题与“图1 …”图注各自成行",
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    class Meta:
        model = CaseSection
        fields = ["order", "heading", "paragraphs"]


class UnitAdminForm(OptimisticLockForm):
    noun = "单位"

    aliases = LinesField(
        label="别名",
        help_text="来源中出现的其他写法，每行一个，可被搜索",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Unit
        fields = ("name", "prefecture", "county", "township", "level", "aliases")


class CaseImportForm(ImportForm):
    """The import upload, with a size limit and a readable refusal of files that are not tables."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = import_max_bytes()
        if upload.size > limit:
            raise ValidationError(
                f"文件过大（{filesizeformat(upload.size)}），导入文件不能超过 {filesizeformat(limit)}。"
            )
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise ValidationError("只能导入 Excel（.xlsx）或 CSV 文件。")
        if name.endswith(".xlsx"):
            head = upload.read(4)
            upload.seek(0)
            if head != b"PK\x03\x04":  # every .xlsx is a zip file
                raise ValidationError("文件不是有效的 Excel（.xlsx）表格，无法读取。")
        return upload


class ColumnExportForm(SelectableFieldsExportForm):
    """The export's column check boxes labelled with the spreadsheet's own column names (标题 …)."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field is not None and field.column_name else field_name
