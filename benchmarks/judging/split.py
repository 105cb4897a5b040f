"""Split the judged set ONCE into a tuning half and a held-out half.

Usage (from the project root; no database needed):

    python3 benchmarks/judging/split.py

Reads benchmarks/judging/queries.json and benchmarks/judging/grades.json and writes
tests/search/judged/tune.json and tests/search/judged/heldout.json (same shape as
tests/search/judgements.json: ``{description, seed, half, queries: [{query, kind, relevant}]}``).

The split is random with the fixed ``SEED``, stratified by kind: each kind's queries are shuffled and
dealt half to each side; a kind with an odd count gives its extra query to whichever half is smaller
so far, so every kind is in both halves and the halves differ by at most one query. Re-running it
reproduces the same two files; it was run once, before any tuning, and must not be re-drawn.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OUT = ROOT / "tests" / "search" / "judged"
SEED = 20220126  # the notice's date; fixed before the split was drawn
KINDS = ["topic", "place", "variant", "pinyin", "typo", "question", "multi", "negative"]

GUIDE = (
    "Judged set for the 44 cases of 川政公函〔2022〕35号, built before any tuning (docs/judging.md, "
    "benchmarks/judging/). Pooling: for each query, the union of the top 20 of the project's search as it "
    "stood, plain substring match, plain character-bigram BM25, a pinyin reader for Latin-letter queries, "
    "the same rankers run on the form a variant/pinyin/typo query stands for, and the assessor's manual "
    "run; queries expressing one need (e.g. 快递服务, 寄递服务, 邮寄服务, kuaidi) were graded together over "
    "the union of their pools. Every pooled case was graded by reading it. Grades: 3 = the need or place is "
    "a main subject of the case (its title or summary, its stated model, or a main section devoted to it; "
    "for a place: the awarded unit is in that place); 2 = a substantial part of the case addresses it (a "
    "named measure, or a passage with specifics such as numbers or a worked example); 1 = mentioned in a "
    "meaningful way (a concrete sentence or list item saying the case offers or does it; for a place: the "
    "place takes part in the case's work); 0 = not relevant, omitted (background statistics, department "
    "lists, passing words, a place only named in passing). Multi-word queries: the case must meet every "
    "part; its grade is that of its weakest part. Variant, pinyin and typo queries are graded as the form "
    "they stand for (stands_for). Negative queries have no relevant case: the right answer is nothing."
)


def split(queries: list[dict], seed: int = SEED) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    tune: list[dict] = []
    heldout: list[dict] = []
    for kind in KINDS:
        items = [q for q in queries if q["kind"] == kind]
        rng.shuffle(items)
        half = len(items) // 2
        tune += items[:half]
        heldout += items[half : 2 * half]
        if len(items) % 2:
            (tune if len(tune) <= len(heldout) else heldout).append(items[-1])
    return tune, heldout


def main() -> None:
    queries = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))["queries"]
    grades = json.loads((HERE / "grades.json").read_text(encoding="utf-8"))["grades"]
    assert {q["kind"] for q in queries} <= set(KINDS)
    judged = []
    for q in queries:
        item = {"query": q["query"], "kind": q["kind"], "relevant": grades[q["query"]]}
        for key in ("stands_for", "note"):
            if key in q:
                item[key] = q[key]
        judged.append(item)
    tune, heldout = split(judged)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, half, items in (("tune", "tuning half", tune), ("heldout", "held-out half", heldout)):
        doc = {
            "description": f"{GUIDE} This file is the {half}; tune only on tune.json.",
            "seed": SEED,
            "half": name,
            "queries": items,
        }
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        (OUT / f"{name}.json").write_text(text, encoding="utf-8")
        print(f"{name}: {len(items)} queries")


if __name__ == "__main__":
    main()
