"""Excel/CSV import and export of a notice's case list (django-import-export).

Columns are named as the notice's attachments and the editors name them. A row is identified by
(通报文号, 奖项类别, 序号), so exporting a list and importing it again changes nothing, and a new
year's list creates new draft cases. Units missing from the database are created from the row's
市州代码 / 县区 / 乡镇 / 层级 columns; a unit that exists must agree with them.

Every row asks the editorial policy: new rows are drafts; a row that changes a published case
is, for someone without the publish permission, held for review (a CaseChange) instead of
written; formula escaping and formats are shared with the other apps (portal.admin.io).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from awards.models import AwardTier, Prefecture, Unit
from awards.resources import NoticeWidget, PositiveNumberWidget
from cases.editorial import services
from cases.editorial.payload import case_snapshot, with_fields
from cases.editorial.policy import decide
from cases.models import Case, CaseChange, Theme
from portal.admin import EscapingResource, text
from portal.admin.policy import Action

LEVEL_BY_LABEL = {label: value for value, label in Unit.Level.choices}
STATUS_LABELS = dict(Case.Status.choices)
THEME_SEPARATOR = "、"
_text = text


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


class ThemesField(fields.Field):
    """主题: a row held for review is not saved, so its preview shows the row's themes (kept on the
    instance by save_m2m), not the live ones."""

    def export(self, instance, **kwargs):
        themes = getattr(instance, "_import_themes", None)
        if themes is not None:
            return THEME_SEPARATOR.join(t.name for t in themes)
        return super().export(instance, **kwargs)


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
    themes = ThemesField("themes", "主题", StrictThemesWidget())
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

    def get_import_fields(self):
        # The columns an import writes. 状态 (a publishing decision) and the place columns (read only
        # to register a new unit, UnitWidget) are not, so the preview never shows them as imported.
        return [f for f in super().get_import_fields() if not f.readonly]

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
        self._held = []  # (row line, case, CaseChange or None when the row changed nothing)
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

    # The editorial policy, row by row.

    def save_instance(self, instance, is_create, row, **kwargs):
        live = None if is_create else Case.objects.select_related("unit").get(pk=instance.pk)
        action = Action.IMPORT_NEW if is_create else Action.IMPORT_CHANGE
        decision = decide(user=kwargs.get("user"), action=action, target=live, proposed=instance)
        if decision.refused:
            raise ValidationError(decision.message)
        if decision.held:
            instance._import_held_from = live  # save_m2m files it, with the row's themes
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        live = getattr(instance, "_import_held_from", None)
        if live is None:
            return super().save_m2m(instance, row, **kwargs)
        themes = self.fields["themes"].clean(row) if self.fields["themes"].column_name in row else None
        names = [
            f.attribute
            for f in self.get_import_fields()
            if f.attribute and not f.readonly and not isinstance(f.widget, widgets.ManyToManyWidget)
        ]
        payload = with_fields(case_snapshot(live), instance, names, themes=themes)
        instance._import_themes = themes  # the preview shows the row's themes, not the live ones
        line = (kwargs.get("row_number") or 0) + 1
        change = services.case_change_submit(
            user=kwargs.get("user"),
            case=live,
            payload=payload,
            source=CaseChange.Source.IMPORT,
            summary=f"表格导入（第 {line} 行）",
            action=Action.IMPORT_CHANGE,
        )
        self._held.append((line, live, change))

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        held = self._held
        if held and held[-1][0] == (kwargs.get("row_number") or 0) + 1 and not kwargs.get("dry_run"):
            # Nothing of this row was written: count it as not imported (the message names it).
            row_result.import_type = row_result.IMPORT_TYPE_SKIP

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.held_rows = list(self._held)  # for the preview page and the closing message
