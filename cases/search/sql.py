"""The search's SQL vocabulary: table names, quoting, query rendering, the rank formula and
planner settings. A leaf: it imports nothing from the rest of the search package, so every
backend module can import it.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connections, transaction

# PostgreSQL: the index (weighted tsvector + head), its word counts and the per-word top lists.
DOCUMENT_TABLE = "cases_searchdocument"
GIN_INDEX = "cases_searchdocument_vector_gin"
TERMSTAT_TABLE = "cases_search_termstat"
IMPACT_TABLE = "cases_search_impact"
TOPLIST_TABLE = "cases_search_toplist"
DOCUMENT_COUNT = "#documents"  # cannot be a token: tokens are letters and digits only
# SQLite: the FTS5 table (rowid = case id; columns a/b/c = weights A/B/C, g = body pairs) and its
# vocabulary view.
FTS_TABLE = "cases_search_fts"
FTS_VOCAB = "cases_search_vocab"

# ts_rank_cd weights in the order {D, C, B, A}.
PG_RANK_WEIGHTS = "{0.02,0.1,0.4,1.0}"


def quote_pg(token: str) -> str:
    """A token as a tsquery/tsvector lexeme literal (quotes doubled, backslashes escaped)."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def quote_fts(token: str) -> str:
    """A token as an FTS5 string (operators inside are plain text)."""
    return '"' + token.replace('"', '""') + '"'


class QueryExpr:
    """A boolean query over tokens: ("and"|"or", [children]) or a token string."""

    @staticmethod
    def render(node, quote, and_op: str, or_op: str) -> str:
        if isinstance(node, str):
            return quote(node)
        op, children = node
        parts = [QueryExpr.render(c, quote, and_op, or_op) for c in children]
        if len(parts) == 1:
            return parts[0]
        return "(" + f" {and_op if op == 'and' else or_op} ".join(parts) + ")"

    @staticmethod
    def leaves(node):
        if isinstance(node, str):
            yield node
        else:
            for child in node[1]:
                yield from QueryExpr.leaves(child)


def rank_sql(column_sql: str, column_params, terms, weights: str) -> tuple[str, list]:
    """Σ idf × ts_rank_cd(weights, column, word) for (quoted word, idf) terms: the one rank
    formula, used by the ORM's rank and by the top lists' proof, so both compute the same values
    with the same floating-point operations."""
    parts, params = [], []
    for quoted, idf in terms:
        parts.append(f"%s * ts_rank_cd('{weights}'::float4[], {column_sql}, %s::tsquery)")
        params += [idf, *column_params, quoted]
    return "(" + " + ".join(parts) + ")", params


@contextmanager
def planner_settings(alias: str, **settings: str):
    """Run the block with PostgreSQL planner settings changed (SET LOCAL in a transaction of its
    own, or restored afterwards when inside an outer one). When the block fails, rolling back its
    transaction or savepoint undoes the settings."""
    connection = connections[alias]
    outer = connection.in_atomic_block
    names, values = list(settings), list(settings.values())
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            reads = ", ".join(["current_setting(%s)"] * len(names))
            writes = ", ".join(["set_config(%s, %s, true)"] * len(names))
            cursor.execute(
                f"SELECT {reads}, {writes}", [*names, *[x for pair in settings.items() for x in pair]]
            )
            previous = cursor.fetchone()[: len(names)]
        yield
        if outer and previous != tuple(values):
            with connection.cursor() as cursor:
                restore = ", ".join(["set_config(%s, %s, true)"] * len(names))
                pairs = [x for pair in zip(names, previous, strict=True) for x in pair]
                cursor.execute(f"SELECT {restore}", pairs)
