"""The texts the detectors read: what the site shows (fixture records) and what the parser gives."""

from __future__ import annotations

from cases.fidelity.detectors import TextBlock
from cases.source import SourceDocument


def notice_blocks(lines: list[str]) -> list[TextBlock]:
    """The notice's sentences, then its list of attachments, signature and date (not sentences)."""
    end = next((i for i, line in enumerate(lines) if line.startswith("附件：")), len(lines))
    return [TextBlock("通报正文", lines[:end]), TextBlock("通报附件清单及落款", lines[end:], prose=False)]


def record_texts(records: list[dict]) -> list[TextBlock]:
    """The texts the site shows, from fixture records (``cases.library.build_records``): each case's
    title, compendium title and title aliases, summary, section headings and paragraphs; each
    unit's name and place; the prefectures' names; the notice and its attachment titles."""
    by_model: dict[str, list[dict]] = {}
    for record in records:
        by_model.setdefault(record["model"], []).append(record)
    tiers = {r["pk"]: r["fields"]["name"] for r in by_model.get("awards.awardtier", [])}
    label = {
        r["pk"]: f"{tiers[r['fields']['tier']]}第{r['fields']['number']}号" for r in by_model["cases.case"]
    }
    blocks = [b for r in by_model["awards.notice"] for b in notice_blocks(r["fields"]["text"].splitlines())]
    for r in by_model.get("awards.awardtier", []):
        blocks.append(TextBlock(f"{r['fields']['name']} 附件标题", [r["fields"]["list_title"]], prose=False))
    for r in by_model["cases.case"]:
        f = r["fields"]
        titles = [f["title"], f["title_in_compendium"], *f["title_aliases"]]
        blocks.append(TextBlock(f"{label[r['pk']]} 标题", [t for t in titles if t], prose=False))
        blocks.append(TextBlock(f"{label[r['pk']]} 导语", [f["summary"]]))
    for r in by_model["cases.casesection"]:
        f = r["fields"]
        where = f"{label[f['case']]} {f['heading'] or '导语部分'}"
        if f["heading"]:
            blocks.append(TextBlock(where + "（标题）", [f["heading"]], prose=False))
        blocks.append(TextBlock(where, list(f["paragraphs"])))
    for r in by_model["awards.unit"]:
        f = r["fields"]
        places = [p for p in (f["county"], f["township"]) if p]
        blocks.append(TextBlock(f"获奖单位 {f['name']}", [f["name"], *places], prose=False))
    for r in by_model["awards.prefecture"]:
        f = r["fields"]
        blocks.append(TextBlock(f"市（州） {f['name']}", [f["name"], f["full_name"]], prose=False))
    return blocks


def source_texts(doc: SourceDocument) -> list[TextBlock]:
    """The same texts as the parser gives them, before any reviewed correction."""
    blocks = notice_blocks(doc.text)
    for attachment in doc.attachments:
        for item in attachment.items:
            names = [item.unit, item.title] if item.title else [item.unit]
            blocks.append(TextBlock(f"附件{attachment.number} 第{item.number}号", names, prose=False))
    for entry in doc.toc:
        blocks.append(TextBlock(f"目录 第{entry.page}页", [entry.title], prose=False))
    for entry, write_up in zip(doc.toc, doc.write_ups, strict=True):
        blocks.append(TextBlock(f"汇编第{entry.page}页 正文标题", [write_up.title], prose=False))
        for section in write_up.sections:
            where = f"汇编第{entry.page}页起 {section.heading or '导语部分'}"
            if section.heading:
                blocks.append(TextBlock(where + "（标题）", [section.heading], prose=False))
            blocks.append(TextBlock(where, list(section.paragraphs)))
    return blocks
