"""Excel/CSV import and export of a notice's case list and of the organizing awards (django-import-export).

Columns are named as the notice's attachments and the editors name them. A row is identified by
(通报文号, 奖项类别, 序号), so exporting a list and importing it again changes nothing, and a new
year's list creates new draft cases. Units missing from the database are created from the row's
市州代码 / 县区 / 乡镇 / 层级 columns; a unit that exists must agree with them.

Spreadsheet formulas: a cell that begins with = + - @ (or a tab / carriage return) would be run by
Excel, so export prefixes it with an apostrophe, the usual "this is text" mark, and import removes
exactly that apostrophe again (portal/text.py, shared with the open-data CSV). (import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only
drops a leading "=", which both loses data and leaves + - @ open.)
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture, Unit
from cases.models import Case, Theme
from portal.text import escape_formula, unescape_formula  # one rule for every spreadsheet we write

LEVEL_BY_LABEL = {label: value for value, label in Unit.Level.choices}
STATUS_LABELS = dict(Case.Status.choices)
THEME_SEPARATOR = "、"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class XLSX(base_formats.XLSX):
    """The xlsx format with a clear error for a file that is not a spreadsheet."""

    def create_dataset(self, in_stream):
        try:
            return super().create_dataset(in_stream)
        except Exception as exc:  # openpyxl raises many kinds for a non-xlsx file
            raise ValueError("文件不是有效的 Excel（.xlsx）表格，无法读取。") from exc


class CSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        try:
            return super().create_dataset(in_stream, **kwargs)
        except Exception as exc:
            raise ValueError("文件不是有效的 CSV（UTF-8）表格，无法读取。") from exc


IMPORT_FORMATS = [XLSX, CSV]
EXPORT_FORMATS = [XLSX, CSV]


class EscapingResource(resources.ModelResource):
    """Formula escaping, and row errors named by their column (标题) instead of the model field."""

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for key in list(row.keys()):
            row[key] = unescape_formula(row[key])

    def _by_column(self, error: ValidationError) -> ValidationError:
        if not hasattr(error, "error_dict"):
            return error
        columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        labels = {
            f.name: str(f.verbose_name)
            for f in self._meta.model._meta.get_fields()
            if hasattr(f, "verbose_name")
        }
        return ValidationError(
            {columns.get(key, labels.get(key, key)): value for key, value in error.error_dict.items()}
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise self._by_column(error) from error


class NoticeWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Notice, "number")

    def clean(self, value, row=None, **kwargs):
        number = _text(value)
        if not number:
            raise ValueError("通报文号不能为空。")
        notice = Notice.objects.filter(number=number).first()
        if notice is None:
            raise ValueError(f"找不到通报“{number}”，请先在“通报”中添加该通报。")
        return notice


class TierWidget(widgets.ForeignKeyWidget):
    """A tier by its name (最佳案例 …) within the row's notice."""

    def __init__(self):
        super().__init__(AwardTier, "name")

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            raise ValueError("奖项类别不能为空。")
        number = _text((row or {}).get("通报文号"))
        tier = AwardTier.objects.filter(notice__number=number, name=name).first()
        if tier is None:
            names = "、".join(AwardTier.objects.filter(notice__number=number).values_list("name", flat=True))
            raise ValueError(
                f"通报“{number}”中没有奖项类别“{name}”" + (f"（可用：{names}）。" if names else "。")
            )
        return tier

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class PositiveNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError("序号不能为空。")
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"序号“{text}”不是整数。") from None
        if number < 1:
            raise ValueError(f"序号“{text}”必须大于 0。")
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class UnitWidget(widgets.ForeignKeyWidget):
    """A unit by its name; created from the row's place columns when it is new."""

    def __init__(self):
        super().__init__(Unit, "name")

    def clean(self, value, row=None, **kwargs):
        row = row or {}
        name = _text(value)
        if not name:
            raise ValueError("单位不能为空。")
        code = _text(row.get("市州代码"))
        prefecture = Prefecture.objects.filter(code=code).first() if code else None
        if code and prefecture is None:
            raise ValueError(f"未知的市州代码“{code}”（应为四川省的六位代码，如 510100）。")
        unit = Unit.objects.filter(name=name).first()
        if unit is not None:
            if prefecture is not None and unit.prefecture_id != prefecture.pk:
                raise ValueError(
                    f"单位“{name}”属于{unit.prefecture.name}（{unit.prefecture.code}），与市州代码“{code}”不符。"
                )
            return unit
        if prefecture is None:
            raise ValueError(f"单位“{name}”尚未登记，新单位须填写市州代码。")
        level_label = _text(row.get("层级"))
        level = LEVEL_BY_LABEL.get(level_label)
        if level is None:
            raise ValueError(f"层级“{level_label}”无效，应为：{'、'.join(LEVEL_BY_LABEL)}。")
        unit = Unit(
            name=name,
            prefecture=prefecture,
            county=_text(row.get("县区")),
            township=_text(row.get("乡镇")),
            level=level,
        )
        try:
            unit.full_clean()
        except ValidationError as exc:
            raise ValueError(f"无法登记新单位“{name}”：{'；'.join(exc.messages)}") from exc
        unit.save()  # inside the import's transaction: rolled back on a dry run or any error
        return unit


class StrictThemesWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(Theme, separator=THEME_SEPARATOR, field="name")

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in _text(value).replace(",", THEME_SEPARATOR).split(THEME_SEPARATOR)]
        names = [n for n in names if n]
        themes = list(Theme.objects.filter(name__in=names))
        unknown = sorted(set(names) - {t.name for t in themes})
        if unknown:
            raise ValueError(f"未知的主题：{'、'.join(unknown)}（请先在“主题”中添加）。")
        return themes

    def render(self, value, obj=None, **kwargs):
        return THEME_SEPARATOR.join(t.name for t in value.all()) if value is not None else ""


class CaseResource(EscapingResource):
    notice = fields.Field("notice", "通报文号", NoticeWidget())
    tier = fields.Field("tier", "奖项类别", TierWidget())
    number = fields.Field("number", "序号", PositiveNumberWidget())
    title = fields.Field("title", "标题", widgets.CharWidget(allow_blank=True))
    unit = fields.Field("unit", "单位", UnitWidget())
    prefecture_code = fields.Field(column_name="市州代码", readonly=True)
    county = fields.Field(column_name="县区", readonly=True)
    township = fields.Field(column_name="乡镇", readonly=True)
    level = fields.Field(column_name="层级", readonly=True)
    page = fields.Field("page", "汇编页码", widgets.IntegerWidget())
    themes = fields.Field("themes", "主题", StrictThemesWidget())
    status = fields.Field(column_name="状态", readonly=True)

    class Meta:
        model = Case
        name = "案例名单"
        fields = (
            "notice",
            "tier",
            "number",
            "title",
            "unit",
            "prefecture_code",
            "county",
            "township",
            "level",
            "page",
            "themes",
            "status",
        )
        import_id_fields = ("notice", "tier", "number")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return Case.objects.select_related("notice", "tier", "unit__prefecture").prefetch_related("themes")

    def dehydrate_prefecture_code(self, case):
        return case.unit.prefecture.code

    def dehydrate_county(self, case):
        return case.unit.county

    def dehydrate_township(self, case):
        return case.unit.township

    def dehydrate_level(self, case):
        return case.unit.get_level_display()

    def dehydrate_status(self, case):
        return STATUS_LABELS.get(case.status, case.status)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._seen_keys = {}
        missing = [
            c for c in ("通报文号", "奖项类别", "序号", "标题", "单位") if c not in (dataset.headers or [])
        ]
        if missing:
            raise ValueError(f"表格缺少必需的列：{'、'.join(missing)}（第 1 行应为表头）。")

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # The same notice, tier and number twice in one file would silently overwrite a row.
        key = (instance.notice_id, instance.tier_id, instance.number)
        line = (kwargs.get("row_number") or 0) + 1
        first = self._seen_keys.setdefault(key, line)
        if first != line:
            raise ValidationError(
                {
                    "序号": f"与第 {first} 行重复：同一通报、同一奖项类别中序号 {instance.number} 只能出现一次。"
                }
            )
        # New cases from an import are drafts with the library's slug pattern (2021-best-01).
        if instance._state.adding:
            instance.status = Case.Status.DRAFT
            if not instance.slug and instance.notice_id and instance.tier_id and instance.number:
                instance.slug = f"{instance.notice.year}-{instance.tier.slug}-{instance.number:02d}"


class OrganizingAwardResource(EscapingResource):
    notice = fields.Field("notice", "通报文号", NoticeWidget())
    order = fields.Field("order", "序号", PositiveNumberWidget())
    unit = fields.Field("unit", "单位", widgets.ForeignKeyWidget(Unit, "name"))
    prefecture = fields.Field(column_name="市州", readonly=True)
    tier = fields.Field(column_name="奖项类别", readonly=True)

    class Meta:
        model = OrganizingAward
        name = "优秀组织单位名单"
        fields = ("notice", "order", "unit", "prefecture", "tier")
        import_id_fields = ("notice", "order")

    def get_queryset(self):
        return OrganizingAward.objects.select_related("notice", "tier", "unit__prefecture")

    def dehydrate_prefecture(self, award):
        return award.unit.prefecture.name

    def dehydrate_tier(self, award):
        return award.tier.name


def import_max_bytes() -> int:
    return getattr(settings, "CASE_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
