"""Admin forms of cases: list fields edited one item per line, optimistic locking, import upload checks."""

from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from import_export.forms import ImportForm
from reversion.models import Version

from cases.editorial.payload import PARTS, normalized, part_item
from cases.models import Case, CaseSection, Erratum
from cases.versioning import aggregate_root
from portal.admin import LinesField, OptimisticLockForm, import_max_bytes

# The case form's fields in the two groups the admin shows them in (cases.editorial.admin.CaseAdmin).
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


class CaseAggregateHistory:
    """The latest save of a case names the latest entry of the case or of any of its parts."""

    def root_versions(self, model, pk):
        if model is not Case:
            return super().root_versions(model, pk)
        entries = Q(content_type=ContentType.objects.get_for_model(Case), object_id=str(pk))
        for part in (CaseSection, Erratum):
            ids = [str(i) for i in part._base_manager.filter(case_id=pk).values_list("pk", flat=True)]
            entries |= Q(content_type=ContentType.objects.get_for_model(part), object_id__in=ids)
        return Version.objects.filter(entries)


class CaseAdminForm(CaseAggregateHistory, OptimisticLockForm):
    noun = "案例"
    title_aliases = LinesField(
        label="标题的其他写法",
        help_text="目录等处的写法，每行一个，可被搜索",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Case
        fields = CASE_LISTING_FIELDS + CASE_CONTENT_FIELDS

    def archive_refused(self, loaded: int, current: int) -> None:
        # A case's refused content includes its sections and errata, which only the admin sees
        # (the inline formsets): CaseAdmin.render_change_form keeps all of it.
        self.refused_versions = (loaded, current)


class ParagraphsField(LinesField):
    """Paragraphs shown with an empty line between them, so each boundary is visible however the
    text wraps (empty lines are not stored: a paragraph is every non-empty line)."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n\n".join(str(item) for item in value)
        return value


class CaseSectionInlineForm(forms.ModelForm):
    paragraphs = ParagraphsField(
        label="段落",
        help_text="每段一行，段与段之间空一行（空行不保存）；（一）等小标题与“图1 …”图注各自成段",
        widget=forms.Textarea(attrs={"rows": 12, "class": "paragraphs-text"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tall enough for the text (about 40 characters a line on a phone), so nothing hides.
        text = self["paragraphs"].value()
        shown = self.fields["paragraphs"].prepare_value(text) or ""
        lines = sum(max(1, -(-len(line) // 40)) for line in str(shown).split("\n"))
        self.fields["paragraphs"].widget.attrs["rows"] = min(60, max(8, lines + 1))

    class Meta:
        model = CaseSection
        fields = ["order", "heading", "paragraphs"]


class ErratumInlineForm(forms.ModelForm):
    """An erratum on its case's form: 通报 may stay empty and is then the case's notice."""

    class Meta:
        model = Erratum
        fields = ["kind", "location", "original", "corrected", "reason", "notice"]
        widgets = {
            "original": forms.Textarea(attrs={"rows": 2}),
            "corrected": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice"].required = False
        self.fields["notice"].help_text = "留空即本案例所属的通报"

    def _post_clean(self):
        case = getattr(self.instance, "case", None) if self.instance.case_id else None
        if self.cleaned_data.get("notice") is None and case is not None:
            self.cleaned_data["notice"] = case.notice
        super()._post_clean()


class CasePartLockForm(CaseAggregateHistory, OptimisticLockForm):
    """A section or erratum on its own page: guarded by its case's version (cases.versioning), so
    two people on the same page, or a case form opened earlier, cannot overwrite each other."""

    def lock_root(self):
        return aggregate_root(self.instance) if self.instance.pk is not None else None


class StandaloneSectionForm(CasePartLockForm, CaseSectionInlineForm):
    noun = "章节"

    class Meta(CaseSectionInlineForm.Meta):
        fields = ["case", "order", "heading", "paragraphs"]


class ErratumAdminForm(CasePartLockForm):
    noun = "勘误"

    class Meta:
        model = Erratum
        fields = ["notice", "case", "unit", "kind", "location", "original", "corrected", "reason"]


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


def _plain(value):
    """A cleaned form value as it is stored in a document: records by id."""
    if hasattr(value, "_meta"):
        return value.pk
    if isinstance(value, list | tuple | QuerySet):
        return [_plain(v) for v in value]
    return value


def _form_value(form, name):
    """The submitted value of one field: cleaned when valid, else the field's reading of the raw
    text (a refused save keeps what was typed, even where it did not validate)."""
    cleaned = getattr(form, "cleaned_data", None) or {}
    if name in cleaned:
        return _plain(cleaned[name])
    raw = form[name].value()
    try:
        return _plain(form.fields[name].clean(raw))
    except ValidationError:
        return raw


# Fields that a new row may carry without the user having written anything in it.
_PREFILLED = ("order", "notice", "unit", "kind")


def _has_content(part_form, names) -> bool:
    """A new inline row counts when the user wrote something in it. Not ``has_changed()``: a row
    prefilled from the editor's pending change (cases.editorial.prefill) is unchanged yet wanted."""
    return any(_form_value(part_form, n) for n in names if n not in _PREFILLED and n in part_form.fields)


def payload_from_forms(form, formsets, live: dict) -> dict:
    """The content an admin case form (with its section and errata inlines) submits, as a document
    (cases.editorial.payload) on top of ``live``: deleted inline rows are left out, untouched
    empty extra rows ignored, new rows have ``"id": None``."""
    payload = {key: (dict(value) if isinstance(value, dict) else list(value)) for key, value in live.items()}
    for name in CASE_LISTING_FIELDS + CASE_CONTENT_FIELDS:
        if name in form.fields and name not in ("status", "themes"):
            payload["fields"][name] = _form_value(form, name)
    if "themes" in form.fields:
        payload["themes"] = [int(pk) for pk in _form_value(form, "themes") or []]
    for formset in formsets:
        key = next((k for k, (model, _) in PARTS.items() if model is formset.model), None)
        if key is None:
            continue
        _, names = PARTS[key]
        items = []
        for part_form in formset.forms:
            stored = part_form.instance.pk is not None and not part_form.instance._state.adding
            if "DELETE" in part_form.fields and _form_value(part_form, "DELETE"):
                continue
            if not stored and not _has_content(part_form, names):
                continue  # an empty new row (its 顺序 may be prefilled): nothing to add
            item = part_item(part_form.instance)
            item["id"] = part_form.instance.pk if stored else None
            item.update({n: _form_value(part_form, n) for n in names if n in part_form.fields})
            items.append(item)
        payload[key] = items
    return normalized(payload)
