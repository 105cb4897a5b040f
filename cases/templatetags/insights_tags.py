"""The prefecture map and the bar charts as server-rendered SVG.

``{% load insights_tags %}{% prefecture_map %}`` places the map (with legend and data table) on any
page; ``{% bar_chart rows title %}`` draws one horizontal bar chart with its table.
Colours are SVG presentation attributes, not ``style=""``, so a strict CSP needs nothing extra.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from django import template
from django.template.loader import render_to_string

from cases.insight_map import layout_labels, path_rings
from cases.insights import counts_by_prefecture, map_geometry
from cases.templatetags.site_tags import text_size
from portal import memo

register = template.Library()

# A sequential blue palette: q0 is "no case"; each fill comes with the label colour that
# reaches WCAG AA (4.5:1) on it (checked in tests/insights/test_map.py).
PALETTE = [
    ("#eeeeee", "#1a1a1a"),
    ("#deebf7", "#1a1a1a"),
    ("#9ecae1", "#1a1a1a"),
    ("#5a9fd0", "#111111"),
    ("#1f5f99", "#ffffff"),
    ("#0b3566", "#ffffff"),
]
MAX_SHADES = len(PALETTE) - 1
BAR_FILL = "#1f5f99"


@dataclass(frozen=True)
class Shade:
    low: int
    high: int
    fill: str
    ink: str

    @property
    def label(self) -> str:
        if self.high == self.low:
            return "无案例" if self.low == 0 else f"{self.low} 个"
        return f"{self.low}–{self.high} 个"


def shades_for(max_count: int) -> list[Shade]:
    """Legend classes: 0 alone, then 1..max in at most five equal steps spread over the palette."""
    shades = [Shade(0, 0, *PALETTE[0])]
    if max_count < 1:
        return shades
    steps = min(max_count, MAX_SHADES)
    width = -(-max_count // steps)  # ceiling division
    low = 1
    ranges = []
    while low <= max_count:
        ranges.append((low, min(low + width - 1, max_count)))
        low += width
    n = len(ranges)
    for i, (lo, hi) in enumerate(ranges):
        index = 1 + round(i * (MAX_SHADES - 1) / (n - 1)) if n > 1 else MAX_SHADES
        shades.append(Shade(lo, hi, *PALETTE[index]))
    return shades


def shade_of(count: int, shades: list[Shade]) -> Shade:
    return next(s for s in shades if s.low <= count <= s.high)


def text_width(text: str, size: float) -> float:
    """Rough advance width: CJK and full-width characters are 1 em, the rest about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.6 for c in text)


def case_phrase(name: str, n: int) -> str:
    return f"{name}：{n} 个案例"


# The map's two label layouts (cases/insight_map.py): the width the map is drawn at (CSS px; the wide
# one is .insights-map-svg's max-width in insights.css) and the label size there at each text size.
# Wide labels carry the count ("内江 2"); on a phone only the name fits, the count is in the table.
MAP_LAYOUTS = {
    "wide": {"px": 720, "label_px": {"small": 13.5, "medium": 15, "large": 20}, "counts": True},
    "narrow": {
        "px": {"small": 343, "medium": 343, "large": 327},
        "label_px": {"small": 13, "medium": 14, "large": 16},
        "counts": False,
    },
}


@functools.lru_cache(maxsize=64)
def _map_labels(size: str, counts: tuple[tuple[str, str, int], ...]) -> dict:
    """Both label layouts and the info box for one text size and one set of counts (cached: the
    layout takes some tens of milliseconds and changes only when a count does)."""
    geometry = map_geometry()
    width, height = geometry["width"], geometry["height"]
    shapes = {shape["code"]: shape for shape in geometry["regions"]}
    wide = MAP_LAYOUTS["wide"]
    font = wide["label_px"][size] * width / wide["px"]
    info = {"font": round(font, 1), "w": round(15.5 * font), "h": round(5.9 * font)}
    info["x"], info["y"] = width - info["w"] - 4, height - info["h"] - 4
    layouts = {}
    for variant, spec in MAP_LAYOUTS.items():
        px = spec["px"] if isinstance(spec["px"], int) else spec["px"][size]
        regions = [
            {
                "code": code,
                "text": f"{name} {n}" if spec["counts"] else name,
                "point": tuple(shapes[code]["label"]),
                "rings": path_rings(shapes[code]["d"]),
            }
            for code, name, n in counts
        ]
        reserved = (
            [(info["x"], info["y"], info["x"] + info["w"], info["y"] + info["h"])] if spec["counts"] else []
        )
        used, placed = layout_labels(
            regions, font=spec["label_px"][size] * width / px, width=width, height=height, reserved=reserved
        )
        layouts[variant] = {"font": round(used, 1), "placed": placed, "counts": spec["counts"]}
    return {"layouts": layouts, "info": info}


@register.simple_tag(takes_context=True)
def prefecture_map(
    context, link_to: str = "cases", table_open: bool = False, heading_level: int = 2, more_link: bool = True
):
    """The map of Sichuan's 21 prefectures shaded by their published cases.

    ``link_to="cases"`` links a region to the case list filtered by it; ``"prefecture"`` to its page.
    Labels follow the reader's text size and never overlap (``_map_labels``). The drawing depends
    only on the library and these arguments: it is drawn once per library version (portal.memo).
    """
    size = text_size(context)
    key = (size, link_to, bool(table_open), str(heading_level), bool(more_link))
    return memo.get(
        "prefecture_map",
        key,
        lambda: render_to_string(
            "insights/_map.html", _map_context(size, link_to, table_open, heading_level, more_link)
        ),
    )


def _map_context(size: str, link_to: str, table_open: bool, heading_level, more_link: bool) -> dict:
    geometry = map_geometry()
    counts = {row.code: row for row in counts_by_prefecture()}
    shades = shades_for(max((row.cases for row in counts.values()), default=0))
    used = {shade_of(row.cases, shades) for row in counts.values()}
    drawn = [shape for shape in geometry["regions"] if shape["code"] in counts]
    labels = _map_labels(
        size,
        tuple(
            (shape["code"], counts[shape["code"]].prefecture.short_name, counts[shape["code"]].cases)
            for shape in drawn
        ),
    )
    regions = []
    for shape in drawn:  # a prefecture that is not in the database (yet) is not drawn as a link
        row = counts[shape["code"]]
        shade = shade_of(row.cases, shades)
        detail = f"最佳案例 {row.best} 个，优秀案例 {row.excellent} 个"
        if row.organizing:
            detail += f"；优秀组织单位 {row.organizing} 个"
        regions.append(
            {
                "row": row,
                "d": shape["d"],
                "fill": shade.fill,
                "ink": shade.ink,
                "name": row.prefecture.name,
                "short_name": row.prefecture.short_name,
                # Starts with the visible label (short name, count) so speech input can say it.
                "accessible_name": f"{row.prefecture.short_name} {row.cases} 个案例（{row.prefecture.name}）",
                "detail": detail,
                "url": row.url if link_to == "cases" else row.prefecture.get_absolute_url(),
            }
        )
    label_layers = []
    for variant, layout in labels["layouts"].items():
        label_layers.append(
            {
                "variant": variant,
                "font": layout["font"],
                "labels": [
                    _label(region, layout["placed"][region["row"].code], layout["counts"])
                    for region in regions
                ],
            }
        )
    width, height = geometry["width"], geometry["height"]
    info = labels["info"]
    return {
        "regions": regions,
        "label_layers": label_layers,
        "rows": [counts[code] for code in counts],
        # The "no case" swatch only when some prefecture has none.
        "shades": [s for s in shades if s.low > 0 or s in used],
        "width": width,
        "height": height,
        # The info box sits in the empty south-east corner of the map, below Luzhou and Yibin.
        "info": info,
        "total": sum(row.cases for row in counts.values()),
        "table_open": table_open,
        "more_link": more_link,
        "heading_tag": f"h{min(max(int(heading_level), 2), 6)}",
    }


def _label(region: dict, placed, count: bool) -> dict:
    box = placed.box
    return {
        "region": region,
        "placed": placed,
        "count": count,
        "w": round(box[2] - box[0], 1),
        "h": round(box[3] - box[1], 1),
    }


CHART_WIDTH = 360
ROW_HEIGHT = 30
BAR_HEIGHT = 18
# 17 user units: on a 375 px phone (a 343 px drawing) the labels come out at 16 px at 中, 20 px at 大.
FONT = 17
# The reader's 大/中/小 text size, relative to 中 (the root font sizes in site.css: 24/18/16 px).
TEXT_SCALE = {"small": 16 / 18, "medium": 1.0, "large": 24 / 18}


@register.inclusion_tag("insights/_bar_chart.html", takes_context=True)
def bar_chart(context, rows, title: str, chart_id: str, unit: str = "个案例"):
    """A horizontal bar chart: every row (label, bar and value) is one link to its filtered list.

    360 user units wide at the 中 text size, so that at a 375 px phone the 17-unit labels are drawn
    at about 16 px (insights.css caps the drawing at 400 px, about 19 px, on wide screens). The chart is drawn at the same width whatever the text size, so a larger
    size narrows the drawing instead: its text and bars come out larger by the same ratio.
    """
    width = round(CHART_WIDTH / TEXT_SCALE[text_size(context)])
    rows = list(rows)
    label_width = min(max((text_width(r.label, FONT) for r in rows), default=0) + 8, 150)
    value_width = 30
    bar_left = label_width + 6
    bar_span = width - bar_left - value_width
    top = max((r.count for r in rows), default=0) or 1
    bars = []
    for i, r in enumerate(rows):
        y = 4 + i * ROW_HEIGHT
        length = round(bar_span * r.count / top, 1)
        bars.append(
            {
                "row": r,
                "y": y,
                "text_y": y + BAR_HEIGHT / 2 + FONT * 0.36,
                "length": max(length, 1.5) if r.count else 0,
                "value_x": bar_left + length + 5,
                "accessible_name": case_phrase(r.label, r.count),
            }
        )
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "unit": unit,
        "width": width,
        "height": 8 + len(rows) * ROW_HEIGHT,
        "label_x": label_width,
        "bar_left": bar_left,
        "bar_height": BAR_HEIGHT,
        "fill": BAR_FILL,
        "total": sum(r.count for r in rows),
    }
