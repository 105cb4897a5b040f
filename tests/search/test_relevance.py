"""Ranking quality on the judged queries (tests/search/judgements.json) over the real 44 cases."""

import pytest

from cases.models import Case
from cases.search import apply_search
from tests.search.relevance import evaluate, load_judgements

# Measured 0.986 on SQLite and PostgreSQL (see docs/benchmarks.md); the floor leaves a little room.
NDCG_FLOOR = 0.97
KIND_FLOOR = 0.85


def _ranked(query: str) -> list[str]:
    outcome = apply_search(Case.objects.published(), query)
    return list(outcome.queryset.values_list("slug", flat=True)[:10])


@pytest.fixture
def scores(library):
    return evaluate(_ranked)


def test_judged_set_is_large_and_varied():
    judgements = load_judgements()
    assert len(judgements) >= 30
    kinds = {item["kind"] for item in judgements}
    assert {
        "place_short",
        "place_long",
        "variant",
        "traditional",
        "topic",
        "multi",
        "question",
        "nothing",
    } <= kinds
    for item in judgements:
        assert all(0 <= grade <= 3 for grade in item["relevant"].values())


def test_mean_ndcg_at_10_stays_above_floor(scores):
    mean = sum(scores.values()) / len(scores)
    assert mean >= NDCG_FLOOR, (
        f"mean nDCG@10 {mean:.3f} < {NDCG_FLOOR}: {sorted(scores.items(), key=lambda x: x[1])[:5]}"
    )


def test_every_kind_of_query_does_well(scores):
    by_kind: dict[str, list[float]] = {}
    for item in load_judgements():
        by_kind.setdefault(item["kind"], []).append(scores[item["query"]])
    weak = {kind: sum(v) / len(v) for kind, v in by_kind.items() if sum(v) / len(v) < KIND_FLOOR}
    assert not weak


def test_judged_slugs_exist(library):
    slugs = set(Case.objects.values_list("slug", flat=True))
    for item in load_judgements():
        assert set(item["relevant"]) <= slugs, item["query"]
