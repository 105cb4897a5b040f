"""Score the search on the judged set's two halves: nDCG@10 and recall@10, per kind and overall.

Usage (from the project root, the library loaded into the database that DATABASE_URL names):

    DJANGO_DEBUG=1 DATABASE_URL=sqlite:///db.sqlite3 .venv/bin/python benchmarks/judging/evaluate.py

``--half tune`` scores the tuning half alone (``--worst`` then lists only its queries): the one
form to use while tuning, so the held-out half is never read.

Prints Markdown tables (the figures in docs/judging.md come from it). ``--api`` ranks through
GET /api/v1/cases/?q= instead of the search function, as the reviewers measure.

- nDCG@10: ``tests.search.relevance.ndcg_at`` (exponential gain; a query with no relevant case scores
  1 only when nothing is returned).
- recall@10: ``tests.search.relevance.recall_at``: the share of the query's relevant cases (grade >= 1)
  found in the top 10, with ``min(10, number relevant)`` as the denominator, so a query with more than
  10 relevant cases can still reach 1. Negative queries have no relevant case and are left out of recall.
- "held-out, no sibling": the held-out queries whose grades are not identical to those of a tuning
  query (identical grades mark another wording of the same need, e.g. 彭山 and pengshan).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/, for the shared start-up
import _django  # noqa: E402
from _django import ROOT  # noqa: E402

KINDS = ["topic", "place", "variant", "pinyin", "typo", "question", "multi", "negative"]


def score(items: list[dict], search) -> list[dict]:
    from tests.search.relevance import ndcg_at, recall_at

    rows = []
    for item in items:
        ranked = search(item["query"])
        rows.append(
            {
                **item,
                "ndcg": ndcg_at(ranked, item["relevant"]),
                "recall": recall_at(ranked, item["relevant"]),
                "returned": len(ranked),
            }
        )
    return rows


def mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(halves: dict[str, list[dict]]) -> str:
    lines = ["| kind | " + " | ".join(f"{h} n | {h} nDCG@10 | {h} recall@10" for h in halves) + " |"]
    lines.append("|---" * (1 + 3 * len(halves)) + "|")
    for kind in [*KINDS, "all"]:
        cells = []
        for rows in halves.values():
            chosen = rows if kind == "all" else [r for r in rows if r["kind"] == kind]
            cells += [
                str(len(chosen)),
                fmt(mean([r["ndcg"] for r in chosen])),
                fmt(mean([r["recall"] for r in chosen])),
            ]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def pool_table(tune: list[dict], heldout: list[dict]) -> str:
    """Per query: its half, kind, pool size (benchmarks/judging/pools.json) and relevant count by grade."""
    pools = json.loads((ROOT / "benchmarks" / "judging" / "pools.json").read_text(encoding="utf-8"))
    size = {q["query"]: len(q["pool"]) for q in pools["queries"]}
    lines = ["| query | kind | half | pool | relevant (3/2/1) |", "|---|---|---|---|---|"]
    for half, items in (("tune", tune), ("held-out", heldout)):
        for kind in KINDS:
            for item in (i for i in items if i["kind"] == kind):
                grades = list(item["relevant"].values())
                counts = "/".join(str(grades.count(g)) for g in (3, 2, 1))
                lines.append(f"| {item['query']} | {kind} | {half} | {size[item['query']]} | {counts} |")
    return "\n".join(lines)


def main() -> None:
    _django.setup()
    from cases.models import Case
    from cases.search import apply_search

    def search(query: str) -> list[str]:
        outcome = apply_search(Case.objects.published(), query)
        return list(outcome.queryset.values_list("slug", flat=True)[:10])

    if "--api" in sys.argv:
        # As the reviewers measure: GET /api/v1/cases/?q= (first page of 10).
        from django.test import Client
        from django.test.utils import override_settings

        client = Client()

        @override_settings(ALLOWED_HOSTS=["testserver"], API_ANON_RATE=None)
        def search(query: str) -> list[str]:
            response = client.get("/api/v1/cases/", {"q": query, "page_size": 10})
            assert response.status_code == 200, (response.status_code, response.content[:200])
            return [row["slug"] for row in response.json()["results"]]

    from tests.search.relevance import load_half

    tune = load_half("tune")["queries"]
    if "--half" in sys.argv:
        # Only the named half (tuning work reads the tuning half alone: the held-out half is
        # neither read nor scored, not even in aggregate).
        chosen = sys.argv[sys.argv.index("--half") + 1]
        if chosen != "tune":
            raise SystemExit("--half: only 'tune' (the held-out half is scored by the lead alone)")
        halves = {"tune": score(tune, search)}
        print(table(halves))
        if "--worst" in sys.argv:
            print()
            for r in sorted(halves["tune"], key=lambda r: r["ndcg"])[:15]:
                print(f"tune\t{r['kind']}\t{r['query']}\tnDCG {r['ndcg']:.3f}\trecall {fmt(r['recall'])}")
        return
    heldout = load_half("heldout")["queries"]
    tune_grades = {json.dumps(q["relevant"], sort_keys=True) for q in tune if q["relevant"]}
    lone = [q for q in heldout if json.dumps(q["relevant"], sort_keys=True) not in tune_grades]
    halves = {"tune": score(tune, search), "held-out": score(heldout, search)}
    print(table(halves))
    print()
    print(table({"held-out, no sibling": score(lone, search)}))
    if "--pools" in sys.argv:
        print()
        print(pool_table(tune, heldout))
    if "--worst" in sys.argv:
        print()
        for name, rows in halves.items():
            for r in sorted(rows, key=lambda r: r["ndcg"])[:15]:
                print(f"{name}\t{r['kind']}\t{r['query']}\tnDCG {r['ndcg']:.3f}\trecall {fmt(r['recall'])}")


if __name__ == "__main__":
    main()
