"""Turn the parsed source document and the hand-reviewed reference data into fixture records.

``build_records()`` is deterministic: the same source gives byte-for-byte the same fixture, which a
test holds the committed ``fixtures/library.json`` to.
"""

from __future__ import annotations

import json
from pathlib import Path

from awards.reference import PREFECTURES, UNIT_ALIASES, UNIT_PLACES
from cases.reference import CASE_THEMES, SPELLING_VARIANTS, TEXT_FIXES, THEMES
from cases.source import CAPTION, SourceDocument, compact, is_standalone_subheading, parse, squeeze

TIER_SLUGS = {1: ("best", "最佳案例"), 2: ("excellent", "优秀案例"), 3: ("organizing", "优秀组织单位")}
# The compendium was compiled when the notice came out; records carry that moment, not the build time.
STAMP = "2022-01-25T16:00:00Z"
SUMMARY_LIMIT = 160


class SourceMismatch(ValueError):
    """The source document does not agree with itself or with the reference data."""


def apply_variants(text: str) -> str:
    for variant, official, _ in SPELLING_VARIANTS:
        text = text.replace(variant, official)
    return text


def make_summary(paragraph: str) -> str:
    if len(paragraph) <= SUMMARY_LIMIT:
        return paragraph
    cut = paragraph.rfind("。", 0, SUMMARY_LIMIT)
    return paragraph[: cut + 1] if cut > 40 else paragraph[:SUMMARY_LIMIT] + "……"


def _check(doc: SourceDocument) -> None:
    for attachment in doc.attachments:
        if attachment.declared_count is not None and attachment.declared_count != len(attachment.items):
            raise SourceMismatch(
                f"附件{attachment.number} 声明 {attachment.declared_count} 个，实际列出 {len(attachment.items)} 个"
            )
    case_items = [item for att in doc.attachments[:2] for item in att.items]
    if [t.unit for t in doc.toc] != [i.unit for i in case_items]:
        raise SourceMismatch("目录中的单位与附件1、2的名单不一致")
    if [w.unit for w in doc.write_ups] != [i.unit for i in case_items]:
        raise SourceMismatch("正文各案例的署名与附件1、2的名单不一致")
    units = {i.unit for att in doc.attachments for i in att.items}
    if missing := units - UNIT_PLACES.keys():
        raise SourceMismatch(f"这些单位缺少所在地信息：{sorted(missing)}")
    if missing := {(TIER_SLUGS[a.number][0], i.number) for a in doc.attachments[:2] for i in a.items} - set(
        CASE_THEMES
    ):
        raise SourceMismatch(f"这些案例还没有分配主题：{sorted(missing)}")


def build_records(source_text: str) -> list[dict]:
    doc = parse(source_text)
    _check(doc)
    records: list[dict] = []

    def add(model: str, pk: int, **fields) -> None:
        records.append({"model": model, "pk": pk, "fields": fields})

    add(
        "awards.notice",
        1,
        number=doc.number,
        slug="chuanzhenggonghan-2022-35",
        title=doc.title,
        issuer=doc.issuer,
        issued_on=doc.issued_on,
        year=doc.year,
        text="\n".join(doc.text),
    )
    tier_pk = {}
    for attachment in doc.attachments:
        slug, name = TIER_SLUGS[attachment.number]
        tier_pk[slug] = attachment.number
        add(
            "awards.awardtier",
            attachment.number,
            notice=1,
            slug=slug,
            name=name,
            list_title=attachment.title,
            attachment_number=attachment.number,
            declared_count=attachment.declared_count or len(attachment.items),
            order=attachment.number,
        )

    prefecture_pk = {}
    for order, (code, name, full_name, short_name, kind) in enumerate(PREFECTURES, start=1):
        prefecture_pk[code] = order
        add(
            "awards.prefecture",
            order,
            code=code,
            name=name,
            full_name=full_name,
            short_name=short_name,
            kind=kind,
            order=order,
        )

    unit_names: list[str] = []
    for attachment in doc.attachments:
        for item in attachment.items:
            if item.unit not in unit_names:
                unit_names.append(item.unit)
    unit_pk = {}
    for pk, name in enumerate(unit_names, start=1):
        unit_pk[name] = pk
        code, county, township, level = UNIT_PLACES[name]
        aliases = list(UNIT_ALIASES.get(name, []))
        for variant, official, _ in SPELLING_VARIANTS:
            # The name keeps the notice's form; the other form of a name inside it is an alias.
            for found, other in ((official, variant), (variant, official)):
                if found in name and (alias := name.replace(found, other)) not in aliases:
                    aliases.append(alias)
        add(
            "awards.unit",
            pk,
            name=name,
            prefecture=prefecture_pk[code],
            county=county,
            township=township,
            level=level,
            aliases=aliases,
        )

    for item in doc.attachments[2].items:
        add(
            "awards.organizingaward",
            item.number,
            notice=1,
            tier=3,
            unit=unit_pk[item.unit],
            order=item.number,
        )

    theme_pk = {}
    for order, (slug, name, description) in enumerate(THEMES, start=1):
        theme_pk[slug] = order
        add("cases.theme", order, slug=slug, name=name, description=description, order=order)

    errata: list[dict] = []

    def erratum(kind, location, original, corrected, reason, case=None, unit=None) -> None:
        errata.append(
            dict(
                notice=1,
                case=case,
                unit=unit,
                kind=kind,
                location=location,
                original=original,
                corrected=corrected,
                reason=reason,
            )
        )

    case_items = [(att, item) for att in doc.attachments[:2] for item in att.items]
    section_pk = 0
    fixes_used = set()
    for case_pk, ((attachment, item), toc, write_up) in enumerate(
        zip(case_items, doc.toc, doc.write_ups, strict=True), start=1
    ):
        slug_tier = TIER_SLUGS[attachment.number][0]
        heading = squeeze(write_up.title)
        official = item.title
        in_compendium = heading if compact(apply_variants(heading)) != compact(official) else ""
        known = {compact(official), compact(in_compendium)}
        aliases = []
        for form in (heading, toc.title):
            if compact(form) not in known:
                aliases.append(form)
                known.add(compact(form))
        if in_compendium:
            erratum(
                "title",
                f"汇编第{toc.page}页 正文标题及目录",
                in_compendium,
                official,
                "案例汇编的正文标题与通报附件名单的写法不同。以通报附件为准显示，汇编中的标题另存为“汇编中的标题”，两者都可检索。",
                case=case_pk,
                unit=unit_pk[item.unit],
            )

        sections = []
        for order, section in enumerate(write_up.sections):
            paragraphs = []
            for paragraph in section.paragraphs:
                for original, corrected, unit, reason in TEXT_FIXES:
                    if unit == item.unit and original in paragraph:
                        paragraph = paragraph.replace(original, corrected)
                        fixes_used.add(original)
                        erratum(
                            "conversion",
                            f"汇编第{toc.page}页起 正文",
                            original,
                            corrected,
                            reason,
                            case=case_pk,
                            unit=unit_pk[item.unit],
                        )
                # Names the source writes two ways are shown in the form used (errata below).
                paragraphs.append(apply_variants(paragraph))
            sections.append((order, apply_variants(section.heading), paragraphs))

        # The lead, or else the first real paragraph: not a sub-heading, not a caption.
        first_text = next(
            p for _, _, ps in sections for p in ps if not (is_standalone_subheading(p) or CAPTION.match(p))
        )
        add(
            "cases.case",
            case_pk,
            notice=1,
            tier=tier_pk[slug_tier],
            number=item.number,
            title=official,
            title_in_compendium=in_compendium,
            title_aliases=aliases,
            unit=unit_pk[item.unit],
            page=toc.page,
            slug=f"{doc.year}-{slug_tier}-{item.number:02d}",
            summary=make_summary(first_text),
            themes=[theme_pk[t] for t in CASE_THEMES[(slug_tier, item.number)]],
            status="published",
            created=STAMP,
            updated=STAMP,
        )
        for order, heading_text, paragraphs in sections:
            section_pk += 1
            add(
                "cases.casesection",
                section_pk,
                case=case_pk,
                order=order,
                heading=heading_text,
                paragraphs=paragraphs,
            )

        # Variant spellings, wherever they stand in this case.
        for variant, official_form, reason in SPELLING_VARIANTS:
            places = []
            if variant in item.unit:
                places.append(f"通报附件{attachment.number} 第{item.number}号、目录及正文署名 单位名称")
            if variant in toc.title:
                places.append(f"目录 第{toc.page}页")
            if variant in heading:
                places.append(f"汇编第{toc.page}页 正文标题")
            if any(variant in p for s in write_up.sections for p in [s.heading, *s.paragraphs]):
                places.append(f"汇编第{toc.page}页起 正文")
            if places:
                erratum(
                    "spelling",
                    "；".join(places),
                    variant,
                    official_form,
                    reason,
                    case=case_pk,
                    unit=unit_pk[item.unit],
                )

    if unused := {original for original, *_ in TEXT_FIXES} - fixes_used:
        raise SourceMismatch(f"这些更正在来源中没有找到：{sorted(unused)}")

    case_of_unit = {item.unit: pk for pk, (_, item) in enumerate(case_items, start=1)}
    page_of_unit = {entry.unit: entry.page for entry in doc.toc}
    for correction in doc.corrections:
        unit_name = correction.unit
        location = correction.location
        if location == "正文":
            location = f"汇编第{page_of_unit[unit_name]}页起 正文"
        erratum(
            correction.kind,
            location,
            correction.original,
            correction.corrected,
            correction.reason,
            case=case_of_unit[unit_name],
            unit=unit_pk[unit_name],
        )

    for pk, fields in enumerate(errata, start=1):
        add("cases.erratum", pk, **fields)
    return records


def render_fixture(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def build_fixture_text(source: Path) -> str:
    return render_fixture(build_records(source.read_text(encoding="utf-8")))
