"""Where the prefecture map's labels go: one line each ("内江 2"), never two overlapping.

The map is drawn once but shown at two widths: about 720 px on a wide screen and the phone's width
(about 343 px at 375 px) on a narrow one. A label size that reads well on one is too small or too large
on the other, so each width gets its own layout (``layout_labels``), both drawn and one shown by CSS.
The reader's 大/中/小 text size scales both.

Each label is tried at its region's label point first, then at points on growing rings around it; the
first place where it overlaps no placed label, no leader line and nothing reserved (the info box), and
stays on the map, wins. Crowded regions are placed first. A label that does not lie wholly inside its
own region is drawn on a white tag (so its text stays readable on any shade), and one that had to move
off its region's label point gets a leader line to a dot on that point.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # left, top, right, bottom (user units)

# How a label is drawn: the tag's padding and the gap kept between two labels, in ems of the label.
PAD_X = 0.25
PAD_Y = 0.12
GAP = 0.2
RINGS = 40  # rings tried around the label point, 0.35 em apart
DIRECTIONS = 24


@dataclass(frozen=True)
class Placed:
    x: float  # the text's centre (text-anchor: middle)
    y: float  # the text's baseline
    box: Box  # the tag around the text
    tagged: bool  # drawn on a white tag (not wholly inside its own region)
    leader: tuple[float, float, float, float] | None  # from the region's label point to the tag


def text_width(text: str, size: float) -> float:
    """Advance width, on the safe side: CJK and full-width 1 em, digits 0.62 em, a space 0.35 em."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            width += size
        elif ch == " ":
            width += size * 0.35
        else:
            width += size * 0.62
    return width


def path_rings(d: str) -> list[list[tuple[float, float]]]:
    """Absolute rings from the compact path data ``build_prefecture_map`` writes (m, implicit l, z)."""
    rings: list[list[tuple[float, float]]] = []
    cursor = start = (0.0, 0.0)
    tokens = re.findall(r"[mz]|-?\d+(?:\.\d+)?", d)
    i = 0
    while i < len(tokens):
        if tokens[i] == "m":
            start = cursor = (cursor[0] + float(tokens[i + 1]), cursor[1] + float(tokens[i + 2]))
            rings.append([cursor])
            i += 3
        elif tokens[i] == "z":
            cursor = start
            i += 1
        else:
            cursor = (cursor[0] + float(tokens[i]), cursor[1] + float(tokens[i + 1]))
            rings[-1].append(cursor)
            i += 2
    return rings


def _inside(point, rings) -> bool:
    hits = 0
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            crosses = (a[1] > point[1]) != (b[1] > point[1])
            if crosses and point[0] < a[0] + (point[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]):
                hits += 1
    return hits % 2 == 1


def _segments_cross(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(p3, p4, p1), orient(p3, p4, p2)
    d3, d4 = orient(p1, p2, p3), orient(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def _box_edges(box: Box):
    left, top, right, bottom = box
    corners = [(left, top), (right, top), (right, bottom), (left, bottom)]
    return list(zip(corners, corners[1:] + corners[:1], strict=True))


def box_inside(box: Box, rings) -> bool:
    """Whether ``box`` lies wholly inside the region (its corners inside, no boundary crossing it)."""
    left, top, right, bottom = box
    if not all(_inside(p, rings) for p in ((left, top), (right, top), (right, bottom), (left, bottom))):
        return False
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if left < a[0] < right and top < a[1] < bottom:
                return False
            if any(_segments_cross(a, b, e1, e2) for e1, e2 in _box_edges(box)):
                return False
    return True


def _overlaps(a: Box, b: Box, gap: float) -> bool:
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1])


def _segment_hits_box(p, q, box: Box) -> bool:
    left, top, right, bottom = box
    for point in (p, q):
        if left < point[0] < right and top < point[1] < bottom:
            return True
    return any(_segments_cross(p, q, e1, e2) for e1, e2 in _box_edges(box))


def _nearest_on_box(point, box: Box) -> tuple[float, float]:
    return (min(max(point[0], box[0]), box[2]), min(max(point[1], box[1]), box[3]))


def layout_labels(
    regions: list[dict], *, font: float, width: float, height: float, reserved: list[Box] = ()
) -> tuple[float, dict[str, Placed]]:
    """Place one label per region without overlaps: ``(font used, {code: Placed})``.

    ``regions``: ``{"code", "text", "point": (x, y), "rings"}``; ``font`` in user units. Should some
    label find no free place (other data may make labels wider), every label is made 10 % smaller and
    the layout tried again, down to 70 % of ``font``.
    """
    for attempt in range(4):
        size = font * (1 - 0.1 * attempt)
        clashes, placed = _layout(regions, font=size, width=width, height=height, reserved=reserved)
        if not clashes:
            break
    return size, placed


def _layout(regions, *, font, width, height, reserved) -> tuple[int, dict[str, Placed]]:
    gap = GAP * font
    height_box = font * (1 + 2 * PAD_Y)
    crowd = {
        r["code"]: sum(1 for o in regions if o is not r and math.dist(o["point"], r["point"]) < 4 * font)
        for r in regions
    }
    order = sorted(regions, key=lambda r: (-crowd[r["code"]], r["code"]))
    placed: dict[str, Placed] = {}
    boxes: list[Box] = list(reserved)
    # Every region's label point stays uncovered, for its own label or leader line.
    anchors = {r["code"]: r["point"] for r in regions}
    total_clashes = 0
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for region in order:
        w = text_width(region["text"], font) + 2 * PAD_X * font
        px, py = region["point"]
        best = None
        for ring in range(RINGS + 1):
            radius = ring * 0.35 * font
            steps = 1 if ring == 0 else DIRECTIONS
            for step in range(steps):
                angle = 2 * math.pi * step / steps
                cx, cy = px + radius * math.cos(angle), py + radius * math.sin(angle)
                box = (cx - w / 2, cy - height_box / 2, cx + w / 2, cy + height_box / 2)
                if box[0] < 1 or box[1] < 1 or box[2] > width - 1 or box[3] > height - 1:
                    continue
                clashes = sum(1 for other in boxes if _overlaps(box, other, gap))
                clashes += sum(
                    1
                    for code, (ax, ay) in anchors.items()
                    if code != region["code"]
                    and box[0] - gap < ax < box[2] + gap
                    and box[1] - gap < ay < box[3] + gap
                )
                anchor_inside = box[0] <= px <= box[2] and box[1] <= py <= box[3]
                leader = None if anchor_inside else ((px, py), _nearest_on_box((px, py), box))
                if leader:
                    clashes += sum(1 for other in boxes if _segment_hits_box(*leader, other))
                clashes += sum(1 for a, b in leaders if _segment_hits_box(a, b, box))
                if best is None or clashes < best[0]:
                    best = (clashes, cx, cy, box, leader)
                if clashes == 0:
                    break
            if best and best[0] == 0:
                break
        clashes, cx, cy, box, leader = best
        total_clashes += clashes
        boxes.append(box)
        if leader:
            leaders.append(leader)
        placed[region["code"]] = Placed(
            x=round(cx, 1),
            # The baseline sits about 0.36 em below the middle of CJK glyphs.
            y=round(cy + 0.36 * font, 1),
            box=tuple(round(v, 1) for v in box),
            tagged=leader is not None or not box_inside(box, region["rings"]),
            leader=tuple(round(v, 1) for v in (*leader[0], *leader[1])) if leader else None,
        )
    return total_clashes, placed
