"""Parser for the source document of 川政公函〔2022〕35号 (a PDF converted to plain text).

Pure functions, no Django: ``parse(text)`` returns a ``SourceDocument`` with the notice, its three
attachment lists, the compendium's table of contents and the 44 write-ups split into sections.

What the conversion damaged, and what is done about it here:
- paragraphs broken at page boundaries mid-sentence: a paragraph that ends without closing
  punctuation is continued by the next line of text;
- attachment items wrapped over several lines: joined until the next numbered item;
- running heads (第一部分 / 最佳案例 / ZUIJIAANLI ...) and the table of contents: dropped from case text;
- figure captions (图1 ...): kept as paragraphs of their own, never glued into a sentence;
- half-width punctuation between Chinese characters: made full-width, ``--`` a Chinese dash ——
  (each change is reported, so the caller can record it as an erratum);
- the conjunction 和 turned into the English word "and" between Chinese words: 和 again (reported);
- an enumeration item (三是 …) pushed onto a line of its own by a page break although the items
  before it run inline: joined back to its list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A paragraph that ends a sentence is complete; anything else was cut by a page break.
SENTENCE_END = "。！？；：…!?;:"
CLOSE_QUOTES = "”’）》」』)"
RUNNING_HEADS = {"第一部分", "第二部分", "最佳案例", "优秀案例", "ZUIJIAANLI", "YOUXIUANLI"}
CN_NUM = "一二三四五六七八九十"

SECTION_HEADING = re.compile(rf"^[{CN_NUM}]+、")
SUBHEADING = re.compile(rf"^（[{CN_NUM}]+）")
CAPTION = re.compile(r"^图\s*\d+\s")
LIST_ITEM = re.compile(r"^(?:-\s*)?(\d+)[.．、]\s*(.*)$")
TOC_ENTRY = re.compile(r"^[.…\s]*(?P<unit>\S.*?)\s*/\s*(?P<page>\d+)\s*$")
CJK = r"[\u3400-\u9fff“”‘’（）《》〈〉「」]"
HAN = r"[\u3400-\u9fff]"
# Enumeration markers that run inside a paragraph: 一是 …, 第一是 …, 1. … (（一） starts sub-headings).
ENUMERATION_MARKERS = {
    "是": re.compile(rf"(?<![第{CN_NUM}])([{CN_NUM}])是"),
    "第": re.compile(rf"第([{CN_NUM}])(?:是|[，、：])"),
    "1.": re.compile(r"(?<![\d.．])([1-9]\d?)[.．](?![\d.．])"),
}


@dataclass
class Correction:
    """One change made to the source text while parsing it."""

    kind: str  # "punctuation" | "conversion"
    unit: str  # whose case the text belongs to
    location: str
    original: str
    corrected: str
    reason: str


@dataclass
class ListItem:
    number: int
    unit: str
    title: str
    raw: str


@dataclass
class TocEntry:
    part: int
    title: str
    unit: str
    page: int


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class WriteUp:
    title: str
    unit: str
    sections: list[Section]
    first_line: int
    last_line: int


@dataclass
class Attachment:
    number: int
    title: str
    declared_count: int | None
    items: list[ListItem]


@dataclass
class SourceDocument:
    letterhead: str
    number: str
    title: str
    issuer: str
    issued_on: str  # ISO date
    year: int
    text: list[str]
    attachments: list[Attachment]
    toc: list[TocEntry]
    write_ups: list[WriteUp]
    corrections: list[Correction]


# --- punctuation -----------------------------------------------------------------------------

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}


def normalize_punctuation(text: str) -> str:
    """Half-width , ; : ( ) next to Chinese text become full-width and -- between Chinese words the
    dash ——; 15:36, 1+1>2 and the hyphen of 县-乡-村 stay as they are."""
    text = re.sub(rf"(?<={HAN})\s*-{{2}}\s*(?={HAN})", "——", text)
    text = re.sub(rf"\(\s*([{CN_NUM}]+)\s*\)\s*", r"（\1）", text)
    text = re.sub(rf"(?<={CJK})\s*([,;:])\s*", lambda m: _HALF_TO_FULL[m.group(1)], text)
    text = re.sub(rf"\s*([,;:])\s*(?={CJK})", lambda m: _HALF_TO_FULL[m.group(1)], text)
    text = re.sub(rf"(?<={CJK})\)", "）", text)
    text = re.sub(rf"\((?={CJK})", "（", text)
    return text


def mend_conjunctions(text: str) -> list[tuple[str, str]]:
    """The places where "and" stands between two Chinese words, as (original, corrected) snippets
    with three characters of context each side (…优势 and 农文… -> …优势和农文…)."""
    return [
        (m.group(0), f"{m.group(1)}和{m.group(2)}")
        for m in re.finditer(rf"({HAN}{{1,3}})\s*(?<![A-Za-z])and(?![A-Za-z])\s*({HAN}{{1,3}})", text)
    ]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def compact(text: str) -> str:
    """The text with white space and punctuation removed, for comparing two spellings of a title."""
    return re.sub(r"[\s，,、：:；;。·.]", "", text)


# --- paragraphs ------------------------------------------------------------------------------


def is_closed(paragraph: str) -> bool:
    """Ends a sentence: 。！？；：… — or a closing quote/bracket right after one (。” but not “中心+社区”)."""
    text = paragraph.rstrip(CLOSE_QUOTES)
    return text != paragraph and text.endswith(tuple(SENTENCE_END)) or paragraph.endswith(tuple(SENTENCE_END))


def is_standalone_subheading(line: str) -> bool:
    """（一）以“一站、一窗、一次”加快标准化建设 — a short sub-heading with no sentence in it."""
    return bool(SUBHEADING.match(line)) and len(line) <= 50 and not re.search(r"[。！？；]", line[:-1])


def is_section_heading(line: str) -> bool:
    return bool(SECTION_HEADING.match(line)) and len(line) <= 40 and "。" not in line[:-1]


def starts_new_block(line: str) -> bool:
    return bool(SECTION_HEADING.match(line) or SUBHEADING.match(line) or CAPTION.match(line))


def enumeration_number(marker: re.Match) -> int:
    value = marker.group(1)
    return CN_NUM.index(value) + 1 if value in CN_NUM else int(value)


def continues_enumeration(previous: str, line: str) -> bool:
    """``line`` opens with item N of a list whose items 1 … N-1 run inline in ``previous`` (三是 after
    “…一是…二是…”): a page break, not the author, put it on a line of its own."""
    for pattern in ENUMERATION_MARKERS.values():
        opening = pattern.match(line)
        if opening is None or (number := enumeration_number(opening)) < 2:
            continue
        inline = [enumeration_number(m) for m in pattern.finditer(previous) if m.start() > 0]
        if inline and inline[-1] == number - 1 and set(range(1, number)) <= set(inline):
            return True
    return False


def join_paragraphs(lines: list[str]) -> list[str]:
    """Join lines into paragraphs, mending the breaks that the page layout made.

    A figure caption between the two halves of a broken sentence stays after the mended sentence;
    an enumeration item cut off from the items before it rejoins them (``continues_enumeration``).
    """
    paragraphs: list[str] = []
    open_index: int | None = None
    for line in lines:
        if CAPTION.match(line):
            paragraphs.append(line)
            continue
        if open_index is not None and not starts_new_block(line):
            paragraphs[open_index] += line
        elif open_index is None and paragraphs and continues_enumeration(paragraphs[-1], line):
            paragraphs[-1] += line
            open_index = len(paragraphs) - 1
        else:
            paragraphs.append(line)
            open_index = len(paragraphs) - 1
        current = paragraphs[open_index]
        if is_closed(current) or is_section_heading(current) or is_standalone_subheading(current):
            open_index = None
    return paragraphs


def split_sections(paragraphs: list[str]) -> list[Section]:
    sections: list[Section] = []
    for paragraph in paragraphs:
        if is_section_heading(paragraph):
            sections.append(Section(heading=paragraph))
        else:
            if not sections:
                sections.append(Section(heading=""))
            sections[-1].paragraphs.append(paragraph)
    return sections


# --- document structure ----------------------------------------------------------------------


def _clean_lines(raw: list[str]) -> list[str]:
    return [squeeze(line) for line in raw if line.strip()]


def _index(lines: list[str], predicate, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if predicate(lines[i]):
            return i
    raise ValueError("source document: expected line not found")


def _parse_list(lines: list[str]) -> list[ListItem]:
    items: list[ListItem] = []
    for line in lines:
        match = LIST_ITEM.match(line)
        if match and (not items or int(match.group(1)) == items[-1].number + 1):
            items.append(ListItem(number=int(match.group(1)), unit="", title="", raw=match.group(2)))
        elif items:
            items[-1].raw += line
    for item in items:
        unit, _, title = re.split(r"([:：])", item.raw, maxsplit=1)
        item.unit = unit.strip()
        item.title = title.strip()
    return items


def parse(text: str) -> SourceDocument:
    raw_lines = text.split("\n")
    lines = _clean_lines(raw_lines)
    # Line numbers in the original file, for locating write-ups.
    numbered = [(n + 1, squeeze(line)) for n, line in enumerate(raw_lines) if line.strip()]
    corrections: list[Correction] = []

    number_at = _index(lines, lambda s: re.fullmatch(r"川政公函〔\d{4}〕\d+号", s) is not None)
    title_at = _index(lines, lambda s: s.startswith("关于"), number_at)
    first_attachment = _index(lines, lambda s: re.fullmatch(r"附件\s*1", s) is not None)
    date_at = _index(lines, lambda s: re.fullmatch(r"\d{4}\s*年\s*\d+\s*月\s*\d+\s*日", s) is not None)
    y, m, d = (int(x) for x in re.findall(r"\d+", lines[date_at]))

    body = lines[title_at + 1 : date_at - 1]
    # "附件：1.… 2.… 3.…" is one list wrapped over three lines: keep each item on its own line.
    notice_text = []
    for line in (b.removeprefix("- ") for b in body):
        line = re.sub(r"(?<=\d) 年", "年", line)
        if notice_text and not is_closed(notice_text[-1]) and not re.match(r"\d+[.．]", line):
            notice_text[-1] += line
        else:
            notice_text.append(line)
    notice_text += [lines[date_at - 1], re.sub(r"\s+", "", lines[date_at])]
    year_match = re.search(r"(\d{4})年", lines[title_at].replace(" ", ""))

    # Attachments: "附件 N", a title, an optional "(共 N 个, …)", then the list.
    attachment_starts = [i for i, s in enumerate(lines) if re.fullmatch(r"附件\s*\d", s)]
    toc_at = _index(lines, lambda s: s == "目录", first_attachment)
    attachments = []
    for k, start in enumerate(attachment_starts):
        end = attachment_starts[k + 1] if k + 1 < len(attachment_starts) else toc_at
        block = lines[start + 1 : end]
        att_title = re.sub(r"(?<=\d) (?=年)|(?<=建设) ", "", block[0])
        declared = None
        rest = block[1:]
        if rest and (count := re.search(r"共\s*(\d+)\s*个", rest[0])):
            declared = int(count.group(1))
            rest = rest[1:]
        if any(LIST_ITEM.match(s) for s in rest):
            items = _parse_list(rest)
        else:  # 附件3 lists units one per line, unnumbered.
            items = [ListItem(number=n, unit=s, title="", raw=s) for n, s in enumerate(rest, start=1)]
        for item in items:
            fixed = normalize_punctuation(item.title)
            if fixed != item.title:
                corrections.append(
                    Correction(
                        kind="punctuation",
                        unit=item.unit,
                        location=f"附件{k + 1} 第{item.number}号 案例标题",
                        original=item.title,
                        corrected=fixed,
                        reason="PDF 转换把全角标点变成了半角，标题中的标点按附件其余各条统一为全角。",
                    )
                )
                item.title = fixed
        attachments.append(Attachment(number=k + 1, title=att_title, declared_count=declared, items=items))

    # Table of contents, up to the first running head of the compendium proper.
    first_part = _index(lines, lambda s: s == "ZUIJIAANLI", toc_at) - 2
    toc: list[TocEntry] = []
    part = 0
    pending: list[str] = []
    for s in lines[toc_at + 1 : first_part]:
        if s in ("CONTENTS",):
            continue
        if s.startswith("第一部分"):
            part = 1
            continue
        if s.startswith("第二部分"):
            part = 2
            continue
        match = TOC_ENTRY.match(s)
        if match and s.lstrip().startswith("."):
            title = squeeze(re.sub(r"[.…\s]+$", "", "".join(pending)))
            toc.append(TocEntry(part=part, title=title, unit=match["unit"], page=int(match["page"])))
            pending = []
        else:
            pending.append(s)

    # Write-ups: a title line, then the unit's name on a line of its own, in the lists' order.
    case_items = [item for att in attachments[:2] for item in att.items]
    start_index = next(i for i, (_, s) in enumerate(numbered) if s == "ZUIJIAANLI") + 1
    starts: list[int] = []
    cursor = start_index
    for item in case_items:
        unit_at = next(i for i in range(cursor + 1, len(numbered)) if numbered[i][1] == item.unit)
        starts.append(unit_at - 1)
        cursor = unit_at
    write_ups = []
    for k, title_index in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(numbered)
        body_lines = [s for _, s in numbered[title_index + 2 : end] if s not in RUNNING_HEADS]
        location = "正文"
        mended = []
        for line in body_lines:
            fixed = normalize_punctuation(line)
            if fixed != line:
                corrections.append(
                    Correction(
                        kind="punctuation",
                        unit=case_items[k].unit,
                        location=location,
                        original=line,
                        corrected=fixed,
                        reason=(
                            "PDF 转换把中文破折号“——”变成了两个半角连字符“--”，已改回；与中文相邻的半角标点统一为全角。"
                            if "--" in line
                            else "PDF 转换把全角标点变成了半角，与中文相邻的半角标点统一为全角。"
                        ),
                    )
                )
            for original, corrected in mend_conjunctions(fixed):
                fixed = fixed.replace(original, corrected)
                corrections.append(
                    Correction(
                        kind="conversion",
                        unit=case_items[k].unit,
                        location=location,
                        original=original,
                        corrected=corrected,
                        reason="PDF 转换把连词“和”变成了英文“and”。",
                    )
                )
            mended.append(fixed)
        write_ups.append(
            WriteUp(
                title=numbered[title_index][1],
                unit=numbered[title_index + 1][1],
                sections=split_sections(join_paragraphs(mended)),
                first_line=numbered[title_index][0],
                last_line=numbered[end - 1][0],
            )
        )

    return SourceDocument(
        letterhead=lines[0],
        number=lines[number_at],
        title=squeeze(lines[title_at]).replace(" ", ""),
        issuer=lines[date_at - 1],
        issued_on=f"{y:04d}-{m:02d}-{d:02d}",
        year=int(year_match.group(1)) if year_match else y - 1,
        text=notice_text,
        attachments=attachments,
        toc=toc,
        write_ups=write_ups,
        corrections=corrections,
    )
