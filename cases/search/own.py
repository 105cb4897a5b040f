"""The reader's own words before the thesaurus's: the rank bonuses of a search (``own_bonus``).

- Cases holding all the reader's words or their synonyms: OWN_WORDS_BONUS.
- Cases holding the words as the index reads them (a word, or a form the lexicon files under
  it): LITERAL_FACTOR of their idf.
- Cases holding the typed phrase as typed, contiguously (邮寄服务, which the index holds only as
  邮寄 … 服务; 帮办代办 and not its variant 代办帮办): a graded amount (``phrase_amounts``),
  the phrase's idf among the cases (how few say it) × its mentions weighted by field, so a rare
  phrase said in a title or several times lifts its case above synonym-only ones, a phrase most
  cases say in passing hardly moves the order. (A flat "typed phrase first", and a tier for a
  title or two mentions, lowered the tuning half to 0.914-0.919: judged relevance follows the
  topic more than the wording.)

The phrase is read in the cases' stored texts (``index.case_texts``), only for the cases the
index says hold all its character pairs, and only for a selective query (a broad one ranks from
the top lists, where no bonus applies).
"""

from __future__ import annotations

from cases.search.backends.base import CaseBonus, idf, is_broad
from cases.search.index import case_texts
from cases.search.query import QueryPlan
from cases.search.text import CJK_RUN, bigrams, fold
from cases.search.thesaurus import SYNONYM
from cases.search.trees import Counts, all_tree, estimates, node_idf, typed_words

OWN_WORDS_BONUS = 100.0
# A case holding the words as typed gains this share of their idf (the reader's own words
# weigh once more, wherever they stand): above a synonym-only case of the same field.
LITERAL_FACTOR = 1.0
OWN_INCLUDES = SYNONYM  # what counts as the reader's own words: also the synonyms (False: not)
# The typed phrase held as typed: idf(cases saying it) × Σ PHRASE_FIELDS[weight] × mentions (at
# most PHRASE_CAP a weight, as the index caps positions). Chosen on the tuning half (0.922).
PHRASE_FIELDS = {"A": 0.25, "B": 0.1, "C": 0.025}
PHRASE_CAP = 3
# A phrase the index holds as a word in this share of the library or more gains nothing (and costs
# no query): saying it tells no case from another.
COMMON_PHRASE = 0.5
# Past this many candidate cases the phrase is not read (a selective query has far fewer).
PHRASE_CANDIDATES = 600


def own_bonus(queryset, backend, plan: QueryPlan, counts: Counts, bonus: list | None = None) -> list:
    """``bonus`` (the engine's) with the reader's own words' bonuses added. Not for broad
    queries, whose first pages come from the top lists (which rank by the sum alone; there the
    own words weigh most already)."""
    bonus = list(bonus or [])
    own = all_tree(plan, counts, expand=OWN_INCLUDES)
    expanded = any(w.expansions for chunk in plan.chunks for w in chunk.words)
    if own is not None and expanded and not is_broad(estimates(plan, counts)[0]):
        bonus.append((own, OWN_WORDS_BONUS))
        # The words as typed above their synonyms: a case saying 少跑腿 before those saying
        # 最多跑一次 (a synonym's case holds the reader's topic, the typed word's holds it as asked).
        literal = typed_words(plan, counts)
        if literal is not None and literal != own:
            bonus.append((literal, LITERAL_FACTOR * node_idf(literal, counts)))
        amounts = phrase_amounts(queryset, backend, plan, counts)
        if amounts:
            bonus.append(CaseBonus(tuple(sorted(amounts.items()))))
    return bonus


def typed_phrases(plan: QueryPlan) -> list[str]:
    """Each chunk's phrase, folded: the words of its first reading of ideographs, joined (a
    question's form words are left out, 如何更好地开展帮办代办 -> 帮办代办; a pinyin chunk is
    the words it is read as, bangbandaiban -> 帮办代办, as for the search itself); none when a
    chunk has no such reading of two characters or more."""
    phrases = []
    for chunk in plan.chunks:
        texts = (fold("".join(w.token for w in reading)) for reading in chunk.readings)
        text = next((t for t in texts if len(t) > 1 and CJK_RUN.fullmatch(t)), None)
        if text is None:
            return []
        phrases.append(text)
    return phrases


def phrase_amounts(queryset, backend, plan: QueryPlan, counts: Counts) -> dict[int, float]:
    """{case id: bonus} of the cases holding every chunk of the query as typed (see the module)."""
    phrases = typed_phrases(plan)
    if not phrases or all(counts.share(p) >= COMMON_PHRASE for p in phrases):
        return {}  # a word most of the library says (便民服务) tells no case from another
    grams = tuple(dict.fromkeys(g for phrase in phrases for g in bigrams(phrase)))
    if not grams:
        return {}
    candidates = backend.match(queryset, grams[0] if len(grams) == 1 else ("and", grams))
    ids = list(candidates.values_list("pk", flat=True)[: PHRASE_CANDIDATES + 1])
    if not ids or len(ids) > PHRASE_CANDIDATES:
        return {}
    mentions = _mentions(queryset.model, ids, phrases)
    held = {
        pk: sum(PHRASE_FIELDS[f] * min(n, PHRASE_CAP) for f, n in m.items()) for pk, m in mentions.items()
    }
    held = {pk: h for pk, h in held.items() if h}
    weight = idf(len(held), counts.n)
    amounts = {pk: round(weight * amount, 9) for pk, amount in held.items()}
    return amounts


def _mentions(model, ids, phrases) -> dict[int, dict[str, int]]:
    """{case id: {weight: mentions}}: how often each case's text of each weight holds the
    phrases (the least of them, when there are several)."""
    cases = (
        model._base_manager.filter(pk__in=ids)
        .select_related("unit__prefecture")
        .prefetch_related("themes", "sections")
    )
    found = {}
    for case in cases:
        texts = {weight: fold(" ".join(t for t in parts if t)) for weight, parts in case_texts(case).items()}
        found[case.pk] = {w: min(text.count(p) for p in phrases) for w, text in texts.items()}
    return found
