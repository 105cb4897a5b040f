"""nDCG@10 of the search over the judged queries in judgements.json."""

from __future__ import annotations

import json
import math
from pathlib import Path

JUDGEMENTS = Path(__file__).resolve().parent / "judgements.json"
# The pooled judged set, split once into a tuning and a held-out half (docs/judging.md).
JUDGED_HALVES = {
    "tune": Path(__file__).resolve().parent / "judged" / "tune.json",
    "heldout": Path(__file__).resolve().parent / "judged" / "heldout.json",
}


def load_judgements() -> list[dict]:
    return json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]


def load_half(name: str) -> dict:
    """``{description, seed, half, queries: [{query, kind, relevant: {slug: grade}}]}`` of one half."""
    return json.loads(JUDGED_HALVES[name].read_text(encoding="utf-8"))


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """Exponential gain; a query with no relevant case scores 1 only when nothing is returned."""
    if not relevant:
        return 1.0 if not ranked else 0.0
    dcg = sum((2 ** relevant.get(slug, 0) - 1) / math.log2(i + 2) for i, slug in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float | None:
    """Share of the relevant cases (grade >= 1) in the top ``k``, out of ``min(k, number relevant)``.

    ``None`` for a query with no relevant case (a negative query has no recall to measure).
    """
    if not relevant:
        return None
    found = sum(1 for slug in ranked[:k] if relevant.get(slug, 0) >= 1)
    return found / min(k, len(relevant))


def evaluate(search) -> dict[str, float]:
    """``search(query) -> list of case slugs, best first``; returns nDCG@10 per query."""
    return {item["query"]: ndcg_at(search(item["query"]), item["relevant"]) for item in load_judgements()}
