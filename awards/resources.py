"""Excel/CSV export of the organizing awards, and the cell readers the case list import shares."""

from __future__ import annotations

from import_export import fields, widgets

from awards.models import Notice, OrganizingAward, Unit
from portal.admin import EscapingResource, text


class NoticeWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Notice, "number")

    def clean(self, value, row=None, **kwargs):
        number = text(value)
        if not number:
            raise ValueError("通报文号不能为空。")
        notice = Notice.objects.filter(number=number).first()
        if notice is None:
            raise ValueError(f"找不到通报“{number}”，请先在“通报”中添加该通报。")
        return notice


class PositiveNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        cell = text(value)
        if not cell:
            raise ValueError("序号不能为空。")
        try:
            number = int(cell)
        except ValueError:
            raise ValueError(f"序号“{cell}”不是整数。") from None
        if number < 1:
            raise ValueError(f"序号“{cell}”必须大于 0。")
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


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
