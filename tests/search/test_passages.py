"""Issue 15, fourth round, kinds 5 and 6, on SQLite and PostgreSQL (DATABASE_URL):

- every listed case whose text (lead, sections) holds a word the query searched shows a passage
  (at most three, distinct), also when the case writes a thesaurus word another way (帮代办 for
  帮办代办) or holds it in a heading only;
- the first passage holds the most telling query word the case's text holds (by idf, the
  reader's own words before the thesaurus's): not 金融 when the case says 授信.

Checked over a fixed part of the thesaurus's vocabulary and the verifier's examples.
"""

import re

import pytest

from cases.models import Case
from cases.search import apply_search, highlight
from cases.search.index import build_doc
from cases.search.query import build_plan
from cases.search.snippets import COMMON_SHARE
from cases.search.text import fold
from tests.search.test_telling_tail import vocabulary

EXAMPLES = ["网格员", "代办员", "快递服务", "授信", "宅基地审批", "代办点", "一网通办"]


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip("…")


def text_tokens(case) -> set[str]:
    """The words (two characters or more) the index reads in the case's lead and sections."""
    texts = [
        case.summary,
        *(s.heading for s in case.sections.all()),
        *(p for s in case.sections.all() for p in s.paragraphs),
    ]
    doc = build_doc(case.pk, {"C": [t for t in texts if t]})
    return {t for slot in doc.slots.get("C", []) for t in slot if len(t) > 1}


def weight_of(mark: str, weights: dict[str, float]) -> float:
    """A marked string's weight: the most telling query word inside it (村级代办员 holds 代办员)."""
    key = fold(mark)
    return max([weights.get(key, 0.0), *(w for s, w in weights.items() if len(s) > 1 and s in key)])


def body(case) -> str:
    return fold("\n".join([case.summary or "", *(p for s in case.sections.all() for p in s.paragraphs)]))


def check(query: str) -> int:
    outcome = apply_search(Case.objects.published(), query)
    searched = (
        {t for t in build_plan(outcome.corrected or outcome.query).tokens() if len(t) > 1}
        if outcome.query
        else set()
    )
    checked = 0
    for case in outcome.queryset.prefetch_related("sections")[:50]:
        passages = highlight(case, outcome)
        texts = [plain(p) for p in passages]
        assert len(passages) <= 3 and len(set(texts)) == len(texts), (query, case.slug)
        if text_tokens(case) & searched:
            assert passages, (query, case.slug, sorted(text_tokens(case) & searched))
        if passages:
            text = body(case)
            # The query's words found in the text (longest first, as they are marked).
            marked = sorted({fold(s) for s in outcome.surfaces if len(s) > 1}, key=len, reverse=True)
            found = re.findall("|".join(map(re.escape, marked)), text) if marked else []
            # A word most of the library holds (snippets.COMMON_SHARE) is not what a passage is
            # shown for when the text holds a telling one.
            counts = outcome.counts
            telling = [m for m in found if counts.df.get(fold(m), 0) < COMMON_SHARE * counts.n]
            held = [weight_of(m, outcome.weights) for m in telling or found]
            first = max(weight_of(m, outcome.weights) for m in re.findall(r"<mark>(.*?)</mark>", passages[0]))
            if held:
                assert first >= max(held) - 1e-6, (query, case.slug, texts[0][:40], first, max(held))
            checked += 1
    return checked


@pytest.mark.parametrize("query", EXAMPLES)
def test_the_verifiers_queries_show_the_telling_passage_of_every_card(library, query):
    assert check(query)


def test_every_card_whose_text_matched_shows_its_most_telling_passage(library):
    assert sum(check(query) for query in vocabulary()[::3]) > 100
