"""What a search found and how it read the query: ``SearchOutcome``, the text it searched
(``searched_text``; as the reader is told it, ``searched_form`` and ``one_word``), whether a listed
case is a partial match (``is_partial_match``) and the outcome narrowed by filters (``narrowed_to``).
Made by ``cases.search.engine``; read by the list page, the API and the snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q, QuerySet

from cases.search.query import build_plan, to_simplified
from cases.search.trees import Counts
from cases.search.trees import one_word as one_word_plan

# Every case holding the whole query carries this rank bonus when partial matches follow it.
FULL_MATCH_BONUS = 1000.0


@dataclass
class SearchOutcome:
    queryset: QuerySet
    query: str = ""
    truncated: bool = False
    partial: bool = False
    suggestions: list[str] = field(default_factory=list)
    corrected: str | None = None  # the query actually searched, when a typo was corrected
    # With ``partial``: how many results hold the whole query (they come first); the rest are
    # partial matches. None when every result holds it.
    full_matches: int | None = None
    surfaces: tuple[str, ...] = ()  # what to mark in passages
    # How telling each surface is (its idf in the library; see snippets.surface_weights): passages
    # holding a rare query word are shown before those holding only common ones.
    weights: dict[str, float] = field(default_factory=dict)
    # (typed, read as): each piece of the query searched as another word (pinyin, a thesaurus
    # word one character away: QueryPlan.readings); reported with ``corrected`` by the API and
    # the list page, so no reading is silent.
    readings: list[tuple[str, str]] = field(default_factory=list)
    # The word counts of the query searched (no query is made twice for them).
    counts: Counts | None = field(default=None, repr=False, compare=False)

    @property
    def read_query(self) -> str:
        """The query as searched: the correction, or the query with each reading put in."""
        return searched_text(self.corrected or self.query, self.readings)


def searched_text(query: str, readings: list[tuple[str, str]]) -> str:
    """``query`` with each reading put in (longest first), the one text the page's 已按“…”搜索
    and the API's ``searched``/``corrected`` show. A typed piece is found however it was spaced
    or cased (the plan's chunks are folded and joined: "Peng Shan" -> pengshan), and a piece
    already put in is not read again (村级代办点 -> 村级代办, though 村级代办 is in 村级代办点)."""
    pieces = [(query, False)]  # (text, already a reading)
    for typed, read_as in sorted(readings, key=lambda item: -len(item[0])):
        letters = [re.escape(ch) for ch in typed if ch.isalnum()]
        if not letters:
            continue
        # Between its letters, whatever the reading of the query skipped: spaces and marks (ya'an,
        # peng-shan, peng_shan), never a letter or ideograph.
        pattern = re.compile(r"[\W_]*".join(letters), re.IGNORECASE)
        for index, (text, done) in enumerate(pieces):
            found = None if done else pattern.search(text)
            if found:
                pieces[index : index + 1] = [
                    (text[: found.start()], False),
                    (read_as, True),
                    (text[found.end() :], False),
                ]
                break
    return "".join(text for text, _ in pieces)


def is_partial_match(outcome: SearchOutcome | None, rank: float | None) -> bool:
    """Whether a listed case (its ``search_rank``) holds only part of the query: every case of a
    partial outcome without full matches; after a few full matches, those ranked below
    FULL_MATCH_BONUS (every full match carries it)."""
    if outcome is None or not outcome.partial:
        return False
    if not outcome.full_matches:
        return True
    return (rank or 0.0) < FULL_MATCH_BONUS


def narrowed_to(outcome: SearchOutcome, queryset: QuerySet) -> SearchOutcome:
    """``outcome`` as true of ``queryset``: the search's results narrowed by filters (tier,
    prefecture...). The search ran over the whole library, so its count of full matches was the
    library's (帮办代办 with two filters: 2 results, "only 33 hold the word"); here it is counted
    among the results shown, and a list whose results all hold the query is no longer partial.
    One query, only for a partial outcome with full matches."""
    if not outcome.partial or not outcome.full_matches:
        return outcome
    counted = queryset.order_by().aggregate(
        total=Count("pk"), full=Count("pk", filter=Q(search_rank__gte=FULL_MATCH_BONUS))
    )
    full = counted["full"]
    if full >= counted["total"]:
        return replace(outcome, partial=False, full_matches=None)
    return replace(outcome, full_matches=full)


def searched_form(outcome) -> str:
    """The query as searched: the correction or readings put in (``read_query``), in simplified
    characters (a traditional query is searched in both forms, the simplified one ranks:
    便民服務 -> 便民服务), and a question as the content words it was read as (农村老人在哪里领养老金
    -> 农村 老人 领养老金: the question forms and function words are not searched)."""
    text = to_simplified(outcome.read_query)
    plan = build_plan(text)
    if not plan.question:
        return text
    words = [w.token for chunk in plan.chunks if chunk.readings for w in chunk.readings[0]]
    return " ".join(dict.fromkeys(words)) or text


def one_word(outcome) -> bool:
    """Whether the query searched is one word (then its full matches hold that word or a synonym,
    never "all the words", and its partial matches hold a related word)."""
    return one_word_plan(build_plan(outcome.corrected or outcome.read_query))
