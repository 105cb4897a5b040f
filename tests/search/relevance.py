"""nDCG@10 of the search over the judged queries in judgements.json."""

from __future__ import annotations

import json
import math
from pathlib import Path

JUDGEMENTS = Path(__file__).resolve().parent / "judgements.json"


def load_judgements() -> list[dict]:
    return json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """Exponential gain; a query with no relevant case scores 1 only when nothing is returned."""
    if not relevant:
        return 1.0 if not ranked else 0.0
    dcg = sum((2 ** relevant.get(slug, 0) - 1) / math.log2(i + 2) for i, slug in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg


def evaluate(search) -> dict[str, float]:
    """``search(query) -> list of case slugs, best first``; returns nDCG@10 per query."""
    return {item["query"]: ndcg_at(search(item["query"]), item["relevant"]) for item in load_judgements()}
