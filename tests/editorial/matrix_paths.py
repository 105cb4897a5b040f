"""The write paths of the permission matrix (test_matrix.py): for each, how to make the write
through the admin, how to see it in the database and on the public site, and what each role's
write should do (LIVE: applied, HELD: a waiting CaseChange carries it, NONE: nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reversion
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from reversion.models import Version

from cases.editorial.resources import CaseResource
from cases.models import Case, CaseSection, Theme
from portal.admin import record_before_delete

from .browser import forms_of, post_form
from .steps import (
    api_finds,
    change_case,
    change_record,
    delete_record,
    deleted_version,
    inline_prefix,
    public_page,
    recover,
    revert,
    run_action,
    url,
)

LIVE, HELD, NONE = "live", "held", "none"
PUBLISHERS = ("publisher", "superuser")
MARK = "矩阵测试标记"


@dataclass
class Ctx:
    case: Case
    reader: object
    extra: dict


def text_public(ctx, text, *, in_listing=True) -> bool:
    """The public case page shows ``text`` and the API search for it lists the case (showing the
    text, when it is something the listing shows: a title, a unit)."""
    page = public_page(ctx.reader, ctx.case)
    return page is not None and text in page and api_finds(ctx.reader, text, ctx.case, shown=in_listing)


def text_gone(ctx, text) -> bool:
    page = public_page(ctx.reader, ctx.case)
    return page is not None and text not in page


def case_gone(ctx) -> bool:
    return public_page(ctx.reader, ctx.case) is None and not api_finds(ctx.reader, ctx.case.title, ctx.case)


def default_effect(role, published):
    if role == "anonymous":
        return NONE
    if role in PUBLISHERS:
        return LIVE
    return HELD if published else LIVE


def default_public(effect, role, published):
    return effect == LIVE and published


@dataclass
class Path:
    name: str
    act: Callable  # (client, ctx) -> None
    live: Callable  # ctx -> the database shows the change
    public: Callable  # ctx -> the public site shows the change
    held: Callable = lambda ctx, payload: False  # a held payload carries the change
    prepare: Callable = lambda ctx: None
    effect: Callable = default_effect
    expect_public: Callable = default_public


# The paths.


def _section(ctx) -> CaseSection:
    return ctx.extra.setdefault("section", ctx.case.sections.order_by("order").last())


def _gone(section_id):
    return lambda ctx: not CaseSection.objects.filter(pk=section_id(ctx)).exists()


def _lacks(section_id):
    return lambda ctx, payload: section_id(ctx) not in [s["id"] for s in payload["sections"]]


def _title_is(title):
    return lambda ctx: Case.objects.get(pk=ctx.case.pk).title == title


def _payload_title(title):
    return lambda ctx, payload: payload["fields"]["title"] == title


def _prepare_revert(ctx):
    with reversion.create_revision():
        ctx.case.title = f"{MARK}旧版本标题"
        ctx.case.save()
    ctx.extra["version"] = Version.objects.get_for_object(ctx.case).first()
    with reversion.create_revision():
        ctx.case.title = "矩阵测试当前标题"
        ctx.case.save()


def _prepare_delete(ctx):
    record_before_delete([ctx.case], user=None, comment="删除（删除前的版本）")
    pk = ctx.case.pk
    Case.objects.get(pk=pk).delete()
    ctx.extra["version"] = deleted_version(Case, pk)


def _add_section(page):
    total = int(next(v for n, v in _fields(page) if n == "sections-TOTAL_FORMS"))
    return {
        "sections-TOTAL_FORMS": total + 1,
        f"sections-{total}-order": 90,
        f"sections-{total}-heading": f"{MARK}新增章节",
        f"sections-{total}-paragraphs": f"{MARK}新增章节的段落。",
    }


def _fields(page):
    return next(f for f in forms_of(page.content.decode()) if f.attrs.get("id") == "case_form").fields


def _theme(ctx) -> Theme:
    return ctx.extra.setdefault("theme", Theme.objects.exclude(cases=ctx.case).order_by("pk").first())


def _import(client, ctx, row_changes):
    page = client.get(url("cases_case_import"))
    if page.status_code != 200:
        return
    dataset = CaseResource().export(queryset=Case.objects.filter(pk=ctx.case.pk))
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    row.update(row_changes)
    book = tablib.Dataset([row[h] for h in dataset.headers], headers=dataset.headers)
    upload = SimpleUploadedFile("cases.xlsx", book.export("xlsx"))
    preview = post_form(client, page, changes={"format": "0", "resource": "0"}, files={"import_file": upload})
    post_form(client, preview)


def _imported_new(ctx):
    return Case.objects.filter(title=f"{MARK}导入的新案例").exists()


def _only_staff(role, published):
    return NONE if role == "anonymous" else LIVE


def _publishers_only(role, published):
    return LIVE if role in PUBLISHERS else NONE


def _prepare_held(ctx):
    from cases.editorial import case_change_submit, case_snapshot

    from .conftest import make_user

    payload = case_snapshot(ctx.case)
    payload["fields"]["title"] = f"{MARK}待发布的标题"
    ctx.extra["change"] = case_change_submit(
        user=make_user("editor"), case=ctx.case, payload=payload, source="form"
    )


def _publish_held(client, ctx):
    page = client.get(url("cases_case_change_detail", ctx.case.pk, ctx.extra["change"].pk))
    if page.status_code == 200 and ">发布</button>" in page.content.decode():
        post_form(client, page, button="发布")


def _theme_of_case(ctx) -> Theme:
    return ctx.extra.setdefault("own_theme", ctx.case.themes.order_by("pk").first())


PATHS = [
    Path(
        "publish held change",
        prepare=_prepare_held,
        act=_publish_held,
        live=_title_is(f"{MARK}待发布的标题"),
        public=lambda ctx: text_public(ctx, f"{MARK}待发布的标题"),
        effect=_publishers_only,
    ),
    Path(
        "theme rename",
        act=lambda c, ctx: change_record(c, _theme_of_case(ctx), {"name": f"{MARK}改名的主题"}),
        live=lambda ctx: Theme.objects.filter(name=f"{MARK}改名的主题").exists(),
        public=lambda ctx: f"{MARK}改名的主题" in (public_page(ctx.reader, ctx.case) or ""),
        effect=_publishers_only,  # themes are listed publicly whatever the case's state
    ),
    Path(
        "case bulk delete",
        act=lambda c, ctx: run_action(c, Case, "delete_selected", [ctx.case]),
        live=lambda ctx: not Case.objects.filter(pk=ctx.case.pk).exists(),
        public=case_gone,
        effect=lambda role, published: LIVE if role == "superuser" else NONE,
        expect_public=lambda effect, role, published: effect == LIVE or not published,
    ),
    Path(
        "change form",
        act=lambda c, ctx: change_case(c, ctx.case, {"title": f"{MARK}表单改的标题"}),
        live=_title_is(f"{MARK}表单改的标题"),
        public=lambda ctx: text_public(ctx, f"{MARK}表单改的标题"),
        held=_payload_title(f"{MARK}表单改的标题"),
    ),
    Path(
        "history revert",
        prepare=_prepare_revert,
        act=lambda c, ctx: revert(c, ctx.case, ctx.extra["version"]),
        live=_title_is(f"{MARK}旧版本标题"),
        public=lambda ctx: text_public(ctx, f"{MARK}旧版本标题"),
        held=_payload_title(f"{MARK}旧版本标题"),
    ),
    Path(
        "recover deleted",
        prepare=_prepare_delete,
        act=lambda c, ctx: recover(c, Case, ctx.extra["version"]),
        live=lambda ctx: Case.objects.filter(pk=ctx.case.pk).exists(),
        public=lambda ctx: text_public(ctx, ctx.case.title),
        effect=_only_staff,
        expect_public=lambda effect, role, published: published and role in PUBLISHERS,
    ),
    Path(
        "section delete",
        act=lambda c, ctx: delete_record(c, _section(ctx)),
        live=_gone(lambda ctx: _section(ctx).pk),
        public=lambda ctx: text_gone(ctx, _section(ctx).heading),
        held=_lacks(lambda ctx: _section(ctx).pk),
    ),
    Path(
        "section bulk delete",
        act=lambda c, ctx: run_action(c, CaseSection, "delete_selected", [_section(ctx)]),
        live=_gone(lambda ctx: _section(ctx).pk),
        public=lambda ctx: text_gone(ctx, _section(ctx).heading),
        held=_lacks(lambda ctx: _section(ctx).pk),
    ),
    Path(
        "inline section add",
        act=lambda c, ctx: change_case(c, ctx.case, edit=_add_section),
        live=lambda ctx: ctx.case.sections.filter(heading=f"{MARK}新增章节").exists(),
        public=lambda ctx: text_public(ctx, f"{MARK}新增章节", in_listing=False),
        held=lambda ctx, payload: any(s["heading"] == f"{MARK}新增章节" for s in payload["sections"]),
    ),
    Path(
        "inline section delete",
        act=lambda c, ctx: change_case(
            c, ctx.case, edit=lambda page: {f"{inline_prefix(page, _section(ctx).pk)}-DELETE": "on"}
        ),
        live=_gone(lambda ctx: _section(ctx).pk),
        public=lambda ctx: text_gone(ctx, _section(ctx).heading),
        held=_lacks(lambda ctx: _section(ctx).pk),
    ),
    Path(
        "theme change",
        act=lambda c, ctx: change_case(
            c, ctx.case, {"themes": [*ctx.case.themes.values_list("pk", flat=True), _theme(ctx).pk]}
        ),
        live=lambda ctx: ctx.case.themes.filter(pk=_theme(ctx).pk).exists(),
        public=lambda ctx: (public_page(ctx.reader, ctx.case) or "").count(_theme(ctx).name) > 0,
        held=lambda ctx, payload: _theme(ctx).pk in payload["themes"],
    ),
    Path(
        "erratum change",
        act=lambda c, ctx: change_record(c, ctx.case.errata.first(), {"reason": f"{MARK}改过的理由"}),
        live=lambda ctx: ctx.case.errata.filter(reason=f"{MARK}改过的理由").exists(),
        public=lambda ctx: False,  # errata are not shown on the public site; the effect is checked
        held=lambda ctx, payload: any(e["reason"] == f"{MARK}改过的理由" for e in payload["errata"]),
        expect_public=lambda effect, role, published: False,
    ),
    Path(
        "unit change",
        act=lambda c, ctx: change_record(c, ctx.case.unit, {"name": f"{MARK}改过的单位名称"}),
        live=lambda ctx: Case.objects.get(pk=ctx.case.pk).unit.name == f"{MARK}改过的单位名称",
        public=lambda ctx: text_public(ctx, f"{MARK}改过的单位名称"),
        # The unit is public through this case alone: editors may change it while the case is a draft.
        effect=lambda role, published: (
            NONE if role == "anonymous" or (role == "editor" and published) else LIVE
        ),
    ),
    Path(
        "import new row",
        act=lambda c, ctx: _import(c, ctx, {"序号": 99, "标题": f"{MARK}导入的新案例"}),
        live=_imported_new,
        public=lambda ctx: any(
            api_finds(ctx.reader, f"{MARK}导入的新案例", case)
            for case in Case.objects.filter(title=f"{MARK}导入的新案例")
        ),
        effect=_only_staff,
        expect_public=lambda effect, role, published: False,  # imported cases are drafts
    ),
    Path(
        "import changed row",
        act=lambda c, ctx: _import(c, ctx, {"标题": f"{MARK}导入改的标题"}),
        live=_title_is(f"{MARK}导入改的标题"),
        public=lambda ctx: text_public(ctx, f"{MARK}导入改的标题"),
        held=_payload_title(f"{MARK}导入改的标题"),
    ),
    Path(
        "bulk publish",
        act=lambda c, ctx: run_action(c, Case, "publish_selected", [ctx.case]),
        live=lambda ctx: Case.objects.get(pk=ctx.case.pk).is_published,
        public=lambda ctx: text_public(ctx, ctx.case.title),
        effect=lambda role, published: LIVE if role in PUBLISHERS or published else NONE,
        expect_public=lambda effect, role, published: effect == LIVE,
    ),
    Path(
        "bulk unpublish",
        act=lambda c, ctx: run_action(c, Case, "unpublish_selected", [ctx.case]),
        live=lambda ctx: not Case.objects.get(pk=ctx.case.pk).is_published,
        public=case_gone,
        effect=lambda role, published: LIVE if role in PUBLISHERS or not published else NONE,
        expect_public=lambda effect, role, published: effect == LIVE,
    ),
    Path(
        "case delete",
        act=lambda c, ctx: delete_record(c, ctx.case),
        live=lambda ctx: not Case.objects.filter(pk=ctx.case.pk).exists(),
        public=case_gone,
        effect=lambda role, published: LIVE if role == "superuser" else NONE,
        expect_public=lambda effect, role, published: effect == LIVE or not published,
    ),
]
