"""Search over cases. The one package every caller goes through (public list, API, admin,
editorial writes).

Interface (stable; the implementation behind it may change):

    apply_search(queryset, query) -> SearchOutcome
        Narrows a Case queryset to the cases matching ``query`` and orders it by relevance
        (annotated ``search_rank``, higher is better). Empty or blank queries return the queryset
        unchanged. Never raises on user input. ``Case.objects.search(q)`` hands off to it.

    SearchOutcome fields: queryset, query (normalised, possibly cut), truncated (bool),
        partial (bool: some results hold only part of the query), full_matches (with partial:
        how many results hold all of it; they come first), corrected (the query searched instead,
        when a sure correction was used), suggestions (list[str]: "您是不是要找"), readings
        (list of (typed, read as): every word read as another, pinyin or a thesaurus word one
        character away; ``read_query`` puts them in), partial also when some cases are found only
        through related terms.

    is_partial_match(outcome, rank) -> bool
        Whether a listed case (its ``search_rank``) is one of the partial matches.

    highlight(case, query, limit=3) -> list[str]
        Up to ``limit`` HTML-escaped passages of the case's text with matches in <mark>.

    counting_hints(queryset) -> context manager
        Wrap counts over a search's matches in it (facet counts): the database may need hints
        to count a broad search's matches quickly.

    index_cases(ids), rebuild_index() -> int, suspended() and batched() -> context managers
        Keep the index current: re-index some cases (in the caller's transaction), rebuild it
        all, or skip per-row indexing inside a block of bulk writes (rebuild afterwards).

    warm_up()
        Load the segmenter, lexicon and converters (at process start).

How a query is read: it is normalised (width, case, control characters, traditional -> simplified,
the lexicon's phrase rewrites such as 政务+金融 -> 政务服务 金融), split into chunks at spaces and
punctuation (operator characters are plain text), and each chunk is segmented by
``cases.search.segmenter`` into content words reduced to their synonym group's canonical form. A
chunk matches a case when the case holds all its words, or, as a recall safety net, all the
character pairs of the chunk (so any literal string of two or more characters is found). All
chunks must match; when that finds nothing, any word may match and the outcome is marked
``partial``.

Modules (imports go one way, down this list; ``sql`` and ``text`` are leaves):

    engine          apply_search, corrections, partial matches
    outcome         SearchOutcome, what was searched (searched_text, searched_form, one_word),
                    is_partial_match, narrowed_to
    trees           match trees, any-word coverage and rank terms of a plan, given word counts
    snippets        highlight
    query           normalisation and the query plan
    index           what is indexed, index_cases, rebuild_index
    similarity      related cases
    backends/       postgres, sqlite (one per database), topk (PostgreSQL top lists), base
    segmenter       jieba behind a small protocol
    lexicon         stop words, domain words, synonym groups (data in ``data/``)
    text, sql       folding and character pairs; table names, quoting, rank SQL
    signal_handlers connected by ``CasesConfig.ready``; not imported here
"""

from cases.search.backends import counting_hints
from cases.search.engine import apply_search, warm_up
from cases.search.index import batched, index_cases, rebuild_index, suspended
from cases.search.outcome import SearchOutcome, is_partial_match
from cases.search.query import MAX_QUERY_LENGTH, normalize_query
from cases.search.snippets import highlight

__all__ = [
    "MAX_QUERY_LENGTH",
    "SearchOutcome",
    "apply_search",
    "batched",
    "counting_hints",
    "highlight",
    "index_cases",
    "is_partial_match",
    "normalize_query",
    "rebuild_index",
    "suspended",
    "warm_up",
]
