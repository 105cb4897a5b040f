"""What a search actually searched, as the reader is told it: the API's ``searched`` field and the
list page's notice of partial matches (``engine`` leaves the wording to this module)."""

from __future__ import annotations

from cases.search.query import build_plan, to_simplified
from cases.search.trees import one_word as plan_is_one_word


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
    return plan_is_one_word(build_plan(outcome.corrected or outcome.read_query))
