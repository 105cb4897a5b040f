"""Related cases by text similarity: TF-IDF cosine over the segmented words of each case.

Computed when a case changes (from the index update) and stored on its SearchDocument, so a case
page only reads a list of ids.
"""

from __future__ import annotations

import math
from collections import Counter

from django.apps import apps

RELATED_LIMIT = 8
# Up to this many cases, a change refreshes every case's list (a changed case can enter or leave
# any other's list); beyond it only the changed cases' own lists are recomputed, and a full
# rebuild leaves the lists to be filled as cases change.
FULL_REFRESH_MAX = 3000


def _vectors(rows) -> dict[int, dict[str, float]]:
    df: Counter = Counter()
    for _, terms in rows:
        df.update(terms.keys())
    n = len(rows)
    vectors = {}
    for case_id, terms in rows:
        vec = {t: (1 + math.log(tf)) * math.log((n + 1) / (df[t] + 0.5)) for t, tf in terms.items() if tf > 0}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[case_id] = {t: v / norm for t, v in vec.items()}
    return vectors


def _ranked(case_id: int, vectors) -> list[int]:
    own = vectors[case_id]
    scores = []
    for other_id, vec in vectors.items():
        if other_id == case_id:
            continue
        small, large = (own, vec) if len(own) < len(vec) else (vec, own)
        score = sum(v * large.get(t, 0.0) for t, v in small.items())
        if score > 0:
            scores.append((-score, other_id))
    scores.sort()
    return [other_id for _, other_id in scores[:RELATED_LIMIT]]


def _document_model():
    # By name: cases.models imports this package (CaseQuerySet.search), so it cannot be imported here.
    return apps.get_model("cases", "SearchDocument")


def refresh_related(changed=None) -> None:
    SearchDocument = _document_model()
    rows = list(SearchDocument.objects.values_list("case_id", "terms"))
    if not rows:
        return
    vectors = _vectors(rows)
    if len(rows) <= FULL_REFRESH_MAX:
        targets = [case_id for case_id, _ in rows]
    elif changed:
        # All pairs would be quadratic in a large library: only the changed cases' own lists.
        targets = [i for i in changed if i in vectors]
    else:
        return
    updates = [SearchDocument(case_id=i, related=_ranked(i, vectors)) for i in targets]
    SearchDocument.objects.bulk_update(updates, ["related"], batch_size=500)


def related_case_ids(case, limit: int = 5) -> list[int]:
    """Ids of the cases most similar to ``case`` (published or not: the caller filters)."""
    related = _document_model().objects.filter(case_id=case.pk).values_list("related", flat=True).first()
    return list(related or [])[:limit]


def related_cases(case, limit: int = 5):
    """Published cases most similar to ``case``, most similar first."""
    ids = related_case_ids(case, limit=RELATED_LIMIT)
    by_id = type(case).objects.published().select_related("unit", "tier").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id][:limit]
