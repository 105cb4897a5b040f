"""Open data: the whole library as one CSV file and one JSON file, and the data dictionary page.

Every column and key is declared once below (name, type, description, how to read it); the
downloads and the dictionary page are both built from these declarations, so they cannot drift.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.timezone import localtime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from awards.models import AwardTier, Notice, OrganizingAward, Prefecture
from awards.selectors import public_units
from cases.api import cases_last_modified
from cases.models import Case, CaseSection, Theme
from portal.api import ConditionalGetMixin, ErrorSerializer
from portal.query import reads_query
from portal.text import spreadsheet_cell

INTEGER = "整数"
TEXT = "文本"
DATE = "日期（YYYY-MM-DD）"
DATETIME = "日期时间（ISO 8601，含时区）"
URL = "网址"
TEXT_LIST = "文本列表"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    value: Callable[[Any, Any], Any]  # (object, request) -> value


def _web(obj, request) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def _api(name: str, key: str = "pk") -> Callable[[Any, Any], str]:
    def url(obj, request) -> str:
        kwargs = {"pk": obj.pk} if key == "pk" else {key: getattr(obj, key)}
        return request.build_absolute_uri(reverse(f"api:{name}-detail", kwargs=kwargs))

    return url


def _case_text(case: Case) -> str:
    lines = []
    for section in case.sections.all():
        if section.heading:
            lines.append(section.heading)
        lines.extend(section.paragraphs)
    return "\n".join(lines)


# --- CSV: one row per published case, everything flattened ---------------------------------------

CASE_CSV_FIELDS = [
    Field("id", INTEGER, "案例编号（与 API 中的 id 相同）", lambda c, r: c.pk),
    Field("slug", TEXT, "网址标识", lambda c, r: c.slug),
    Field("notice_number", TEXT, "通报文号", lambda c, r: c.notice.number),
    Field("notice_date", DATE, "通报发文日期", lambda c, r: c.notice.issued_on.isoformat()),
    Field("tier_slug", TEXT, "奖项类别标识：best 最佳案例，excellent 优秀案例", lambda c, r: c.tier.slug),
    Field("tier_name", TEXT, "奖项类别名称", lambda c, r: c.tier.name),
    Field("number", INTEGER, "在通报附件名单中的序号", lambda c, r: c.number),
    Field("title", TEXT, "案例标题（以通报附件名单为准）", lambda c, r: c.title),
    Field(
        "title_in_compendium",
        TEXT,
        "案例汇编中的标题；与附件名单相同时为空",
        lambda c, r: c.title_in_compendium,
    ),
    Field("unit_id", INTEGER, "获奖单位编号", lambda c, r: c.unit.pk),
    Field("unit_name", TEXT, "获奖单位名称（以通报附件为准）", lambda c, r: c.unit.name),
    Field(
        "unit_level",
        TEXT,
        "单位层级：prefecture 市州级，county 县级，township 乡镇街道级，village 村社区级",
        lambda c, r: c.unit.level,
    ),
    Field("prefecture_code", TEXT, "市（州）行政区划代码（GB/T 2260）", lambda c, r: c.unit.prefecture.code),
    Field("prefecture_name", TEXT, "市（州）名称（通报中的写法）", lambda c, r: c.unit.prefecture.name),
    Field("county", TEXT, "县（市、区）；市州级单位为空", lambda c, r: c.unit.county),
    Field("township", TEXT, "乡镇（街道）；无则为空", lambda c, r: c.unit.township),
    Field("themes", TEXT, "主题标识，多个以 | 分隔", lambda c, r: "|".join(t.slug for t in c.themes.all())),
    Field(
        "theme_names", TEXT, "主题名称，多个以 | 分隔", lambda c, r: "|".join(t.name for t in c.themes.all())
    ),
    Field("page", INTEGER, "案例汇编页码；未知为空", lambda c, r: "" if c.page is None else c.page),
    Field("summary", TEXT, "导语", lambda c, r: c.summary),
    Field("text", TEXT, "正文：各章节标题与段落，每段一行", lambda c, r: _case_text(c)),
    Field("web_url", URL, "案例网页地址", _web),
    Field("api_url", URL, "案例 API 地址", _api("case")),
    Field("updated", DATETIME, "最后更新时间", lambda c, r: localtime(c.updated).isoformat()),
]

# --- JSON: one object per kind of record, linked by keys ----------------------------------------

JSON_FIELDS: dict[str, list[Field]] = {
    "notices": [
        Field("number", TEXT, "通报文号（键）", lambda n, r: n.number),
        Field("slug", TEXT, "网址标识", lambda n, r: n.slug),
        Field("title", TEXT, "标题", lambda n, r: n.title),
        Field("issuer", TEXT, "发文机关", lambda n, r: n.issuer),
        Field("issued_on", DATE, "发文日期", lambda n, r: n.issued_on.isoformat()),
        Field("year", INTEGER, "案例年度", lambda n, r: n.year),
        Field("web_url", URL, "网页地址", _web),
        Field("api_url", URL, "API 地址", _api("notice", "slug")),
    ],
    "tiers": [
        Field("id", INTEGER, "奖项类别编号（键）", lambda t, r: t.pk),
        Field("notice", TEXT, "所属通报的文号", lambda t, r: t.notice.number),
        Field(
            "slug",
            TEXT,
            "类别标识：best 最佳案例，excellent 优秀案例，organizing 优秀组织单位",
            lambda t, r: t.slug,
        ),
        Field("name", TEXT, "名称", lambda t, r: t.name),
        Field("list_title", TEXT, "附件标题", lambda t, r: t.list_title),
        Field("attachment_number", INTEGER, "附件序号", lambda t, r: t.attachment_number),
        Field("declared_count", INTEGER, "通报中写明的数量", lambda t, r: t.declared_count),
    ],
    "prefectures": [
        Field("code", TEXT, "行政区划代码（GB/T 2260，键）", lambda p, r: p.code),
        Field("name", TEXT, "名称（通报中的写法）", lambda p, r: p.name),
        Field("full_name", TEXT, "全称", lambda p, r: p.full_name),
        Field("short_name", TEXT, "简称", lambda p, r: p.short_name),
        Field("kind", TEXT, "类型：city 地级市，autonomous 自治州", lambda p, r: p.kind),
        Field("web_url", URL, "网页地址", _web),
        Field("api_url", URL, "API 地址", _api("prefecture", "code")),
    ],
    "units": [
        Field("id", INTEGER, "单位编号（键）", lambda u, r: u.pk),
        Field("name", TEXT, "单位名称（以通报附件为准）", lambda u, r: u.name),
        Field("prefecture", TEXT, "所在市（州）的行政区划代码", lambda u, r: u.prefecture.code),
        Field("county", TEXT, "县（市、区）；市州级单位为空", lambda u, r: u.county),
        Field("township", TEXT, "乡镇（街道）；无则为空", lambda u, r: u.township),
        Field("level", TEXT, "单位层级：prefecture、county、township、village", lambda u, r: u.level),
        Field("aliases", TEXT_LIST, "来源中出现的其他写法", lambda u, r: list(u.aliases)),
        Field("web_url", URL, "网页地址", _web),
        Field("api_url", URL, "API 地址", _api("unit")),
    ],
    "themes": [
        Field("slug", TEXT, "主题标识（键）", lambda t, r: t.slug),
        Field("name", TEXT, "主题名称", lambda t, r: t.name),
        Field("description", TEXT, "说明", lambda t, r: t.description),
    ],
    "cases": [
        Field("id", INTEGER, "案例编号（键，与 API 中的 id 相同）", lambda c, r: c.pk),
        Field("slug", TEXT, "网址标识", lambda c, r: c.slug),
        Field("notice", TEXT, "通报文号", lambda c, r: c.notice.number),
        Field("tier", TEXT, "奖项类别标识", lambda c, r: c.tier.slug),
        Field("number", INTEGER, "在通报附件名单中的序号", lambda c, r: c.number),
        Field("title", TEXT, "案例标题（以通报附件名单为准）", lambda c, r: c.title),
        Field(
            "title_in_compendium", TEXT, "案例汇编中的标题；相同时为空", lambda c, r: c.title_in_compendium
        ),
        Field("title_aliases", TEXT_LIST, "标题的其他写法", lambda c, r: list(c.title_aliases)),
        Field("unit", INTEGER, "获奖单位编号（见 units）", lambda c, r: c.unit_id),
        Field(
            "prefecture", TEXT, "市（州）行政区划代码（见 prefectures）", lambda c, r: c.unit.prefecture.code
        ),
        Field("themes", TEXT_LIST, "主题标识（见 themes）", lambda c, r: [t.slug for t in c.themes.all()]),
        Field("page", INTEGER, "案例汇编页码；未知为 null", lambda c, r: c.page),
        Field("summary", TEXT, "导语", lambda c, r: c.summary),
        Field(
            "sections",
            "对象列表",
            "正文章节：heading 章节标题（导语为空），paragraphs 段落列表",
            lambda c, r: [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in c.sections.all()],
        ),
        Field("web_url", URL, "网页地址", _web),
        Field("api_url", URL, "API 地址", _api("case")),
        Field("updated", DATETIME, "最后更新时间", lambda c, r: localtime(c.updated).isoformat()),
    ],
    "organizing_awards": [
        Field("id", INTEGER, "编号（键）", lambda a, r: a.pk),
        Field("notice", TEXT, "通报文号", lambda a, r: a.notice.number),
        Field("order", INTEGER, "在附件名单中的序号", lambda a, r: a.order),
        Field("unit", INTEGER, "单位编号（见 units）", lambda a, r: a.unit_id),
    ],
}

JSON_TITLES = {
    "notices": "通报",
    "tiers": "奖项类别",
    "prefectures": "市（州）",
    "units": "获奖单位",
    "themes": "主题",
    "cases": "案例（仅已发布）",
    "organizing_awards": "案例征集优秀组织单位",
}


# --- Selectors: a fixed number of queries, whatever the size of the library ---------------------


def published_cases():
    return (
        Case.objects.published()
        .in_notice_order()
        .select_related("notice", "tier", "unit__prefecture")
        .prefetch_related("themes", Prefetch("sections", queryset=CaseSection.objects.order_by("order")))
    )


def library_records() -> dict[str, Any]:
    return {
        "notices": Notice.objects.order_by("-issued_on", "pk"),
        "tiers": AwardTier.objects.select_related("notice").order_by("-notice__issued_on", "order"),
        "prefectures": Prefecture.objects.order_by("order", "code"),
        "units": public_units().select_related("prefecture").order_by("prefecture__order", "name"),
        "themes": Theme.objects.order_by("order", "slug"),
        "cases": published_cases(),
        "organizing_awards": OrganizingAward.objects.select_related("notice").order_by(
            "-notice__issued_on", "order"
        ),
    }


# --- Builders -------------------------------------------------------------------------------------


def build_csv(request) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f.name for f in CASE_CSV_FIELDS])
    for case in published_cases():
        # Text as stored may hold control characters or begin like a formula: cells are cleaned and escaped.
        writer.writerow([spreadsheet_cell(f.value(case, request)) for f in CASE_CSV_FIELDS])
    return buffer.getvalue()


def build_json(request) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "四川省镇村便民服务“三化”建设案例库",
        "data_dictionary": request.build_absolute_uri(reverse("api:opendata")),
    }
    for name, records in library_records().items():
        fields = JSON_FIELDS[name]
        data[name] = [{f.name: f.value(obj, request) for f in fields} for obj in records]
    return data


# --- Views ----------------------------------------------------------------------------------------


class AnyAccept(BaseContentNegotiation):
    """Downloads answer with their own type whatever the Accept header; errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return None


class DownloadView(ConditionalGetMixin, APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept
    filename = ""
    content_type = ""

    def build(self, request) -> bytes:
        raise NotImplementedError

    def get(self, request):
        self.last_modified = cases_last_modified()
        response = HttpResponse(self.build(request), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


THROTTLED = {429: OpenApiResponse(ErrorSerializer, description="请求过于频繁；见 Retry-After")}


@extend_schema(
    summary="整库下载（CSV）",
    description="每个已发布案例一行；各列的含义见数据字典 /api/v1/data/。",
    tags=["data"],
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV 文件"), **THROTTLED},
)
class LibraryCsvView(DownloadView):
    filename = "sichuan-case-library.csv"
    content_type = "text/csv; charset=utf-8"

    def build(self, request) -> bytes:
        # With a byte-order mark, so that spreadsheet programs read the Chinese text as UTF-8.
        return build_csv(request).encode("utf-8-sig")


@extend_schema(
    summary="整库下载（JSON）",
    description="通报、奖项类别、市（州）、获奖单位、主题、已发布案例、优秀组织单位；结构见数据字典 /api/v1/data/。",
    tags=["data"],
    responses={
        (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="JSON 文件"),
        **THROTTLED,
    },
)
class LibraryJsonView(DownloadView):
    filename = "sichuan-case-library.json"
    content_type = "application/json"

    def build(self, request) -> bytes:
        return json.dumps(build_json(request), ensure_ascii=False, indent=1).encode("utf-8")


library_csv = LibraryCsvView.as_view()
library_json = LibraryJsonView.as_view()


@reads_query()
def data_dictionary(request):
    """The page that describes every column of the CSV and every key of the JSON download."""
    return render(
        request,
        "opendata/data_dictionary.html",
        {
            "csv_fields": CASE_CSV_FIELDS,
            "json_sections": [(name, JSON_TITLES[name], fields) for name, fields in JSON_FIELDS.items()],
            "case_count": Case.objects.published().count(),
            "nav_current": "data",
        },
    )
