"""What both backends share: how telling a word is (idf) and when a query counts as broad."""

from __future__ import annotations

import math
from dataclasses import dataclass

from portal import memo

# Expected matches above which only the head fields rank (see is_broad).
BROAD_MATCHES = 500
# The PostgreSQL rank weights (sql.PG_RANK_WEIGHTS) for the SQLite columns a (A), b (B), c (C).
FIELD_WEIGHTS = (1.0, 0.4, 0.1)


def is_broad(expected: float) -> bool:
    """Whether a query is expected to match more than BROAD_MATCHES cases; those are ranked by
    the head fields alone (title, unit, place, themes, lead), which keeps a query such as 便民服务
    over 100,000 cases fast and changes nothing for selective queries."""
    return expected > BROAD_MATCHES


def idf(df: float, n: int) -> float:
    """BM25-style inverse document frequency, never negative: a word in every case still counts
    a little, a rare word (a place, a brand) a lot."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def memoised_frequencies(backend, tokens, read) -> tuple[int, dict[str, float]]:
    """``read(tokens)`` (the backend's word counts: (cases, {token: share})) once per library
    version and database (``portal.memo``): a search page asks for the same words again and
    again, and the counts change only with the library (every indexed save is such a change)."""
    tokens = tuple(sorted(set(tokens)))
    n, shares = memo.get("search:frequencies", (backend.connection.alias, tokens), lambda: read(tokens))
    return n, dict(shares)


def index_changed(backend) -> None:
    """Called by every write to the index (documents written, deleted, cleared): word counts
    memoised before it are not served after it (``portal.memo.forget``; a save of a case does so
    too, but raw writes such as a rebuild or a clear send no signal)."""
    memo.forget(backend.connection.alias)


@dataclass(frozen=True)
class CaseBonus:
    """An item of a search's ``bonus`` list: amounts added to the rank of named cases ((case id,
    amount) pairs), for what the index cannot tell (a phrase held as typed: see search.own)."""

    amounts: tuple[tuple[int, float], ...]


def split_bonus(bonus) -> tuple[list, dict[int, float]]:
    """([(tree, amount)], {case id: amount}) of a ``bonus`` list."""
    trees, cases = [], {}
    for item in bonus or ():
        if isinstance(item, CaseBonus):
            for pk, amount in item.amounts:
                cases[pk] = cases.get(pk, 0.0) + amount
        else:
            trees.append(item)
    return trees, cases
