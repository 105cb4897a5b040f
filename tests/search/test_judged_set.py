"""Shape of the pooled judged set (tests/search/judged/): its size, its kinds, its grades, its split.

Scores on it are guarded elsewhere; these tests only keep the set itself sound.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from cases.models import Case
from tests.search.relevance import load_half, recall_at

KINDS = {"topic", "place", "variant", "pinyin", "typo", "question", "multi", "negative"}
JUDGING = Path(__file__).resolve().parents[2] / "benchmarks" / "judging"


@pytest.fixture(scope="module")
def halves():
    return {name: load_half(name) for name in ("tune", "heldout")}


def _all(halves):
    return [item for half in halves.values() for item in half["queries"]]


def test_judged_set_has_at_least_130_queries_half_of_them_topics(halves):
    items = _all(halves)
    assert len(items) >= 130
    topics = sum(1 for item in items if item["kind"] == "topic")
    assert topics >= 65
    assert topics * 2 >= len(items)


def test_each_half_holds_every_kind_and_about_half_the_queries(halves):
    total = len(_all(halves))
    for name, half in halves.items():
        kinds = {item["kind"] for item in half["queries"]}
        assert kinds == KINDS, f"{name}: {KINDS - kinds} missing, {kinds - KINDS} unknown"
        assert abs(len(half["queries"]) * 2 - total) <= 2, name


def test_both_halves_record_the_same_seed_and_a_grading_guide(halves):
    seeds = {half["seed"] for half in halves.values()}
    assert len(seeds) == 1 and isinstance(seeds.pop(), int)
    for half in halves.values():
        assert "3 =" in half["description"] and "pool" in half["description"].lower()


def test_no_query_is_in_both_halves_nor_twice_in_one(halves):
    tune = [item["query"] for item in halves["tune"]["queries"]]
    heldout = [item["query"] for item in halves["heldout"]["queries"]]
    assert len(set(tune)) == len(tune)
    assert len(set(heldout)) == len(heldout)
    assert not set(tune) & set(heldout)


def test_grades_run_from_1_to_3_and_negative_queries_have_none(halves):
    for item in _all(halves):
        assert all(isinstance(g, int) and 1 <= g <= 3 for g in item["relevant"].values()), item["query"]
        if item["kind"] == "negative":
            assert item["relevant"] == {}, item["query"]
        else:
            assert item["relevant"], f"{item['query']} ({item['kind']}) has no relevant case"


def test_variant_pinyin_and_typo_queries_say_what_they_stand_for(halves):
    for item in _all(halves):
        if item["kind"] in {"variant", "pinyin", "typo"}:
            assert item.get("stands_for"), item["query"]


def test_judged_slugs_exist_in_the_library(library):
    slugs = set(Case.objects.published().values_list("slug", flat=True))
    for item in _all({name: load_half(name) for name in ("tune", "heldout")}):
        assert set(item["relevant"]) <= slugs, item["query"]


def test_the_halves_are_the_split_the_recorded_seed_draws(halves):
    """Nobody moved a query between halves by hand after the one random split."""
    spec = importlib.util.spec_from_file_location("judging_split", JUDGING / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    queries = json.loads((JUDGING / "queries.json").read_text(encoding="utf-8"))["queries"]
    tune, heldout = module.split(queries, seed=halves["tune"]["seed"])
    assert [q["query"] for q in tune] == [item["query"] for item in halves["tune"]["queries"]]
    assert [q["query"] for q in heldout] == [item["query"] for item in halves["heldout"]["queries"]]


def test_recall_counts_relevant_cases_in_the_top_ten_out_of_at_most_ten():
    relevant = {f"case-{i}": 1 for i in range(12)}
    assert recall_at([f"case-{i}" for i in range(10)], relevant) == 1.0
    assert recall_at(["case-0", "other", "case-1"], {"case-0": 3, "case-1": 1, "case-2": 2}) == 2 / 3
    assert recall_at(["anything"], {}) is None
