"""Reading a query: normalisation, chunks, segmentation into canonical words, and the boolean
plan the backends match (see ``cases.search`` for how a query is read)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC

from cases.search.segmenter import get_segmenter
from cases.search.sql import QueryExpr
from cases.search.text import CJK_CLASS, bigrams, fold

MAX_QUERY_LENGTH = 100
_CHUNK_SPLIT = re.compile(f"[^{CJK_CLASS}0-9a-z]+")


@dataclass
class QueryPlan:
    all_terms: tuple | None  # boolean tree for "every chunk matches"
    any_term: tuple | None  # boolean tree for "some word matches"
    words: list[str]  # canonical words, in query order: what the rank counts
    surfaces: list[str]  # strings to mark in passages
    chunks: list[str]  # the query's pieces between spaces and punctuation


def normalize_query(raw: str | None) -> tuple[str, bool]:
    """Width-fold, drop control characters, collapse white space, cut to MAX_QUERY_LENGTH."""
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else str(raw or ""))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH].strip(), truncated


@lru_cache(maxsize=1)
def _t2s():
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def _chunks(text: str) -> list[str]:
    return [c for c in _CHUNK_SPLIT.split(text) if c]


def _chunk_alternatives(chunk: str, segmenter) -> tuple[list, list[str], list[str]]:
    words = list(dict.fromkeys(segmenter.query_words(chunk)))
    grams = list(dict.fromkeys(bigrams(chunk)))
    alternatives = []
    if words:
        alternatives.append(("and", tuple(words)))
    if grams and grams != words:
        alternatives.append(("and", tuple(grams)))
    surfaces = [chunk]
    for word in segmenter.query_words(chunk, canonical=False) + words:
        surfaces += segmenter.lexicon.groups.get(word, [word])
    return alternatives, words, surfaces


@lru_cache(maxsize=2048)
def build_plan(query: str) -> QueryPlan:
    segmenter = get_segmenter()
    rewrite = segmenter.lexicon.rewrite
    simplified = _chunks(rewrite(fold(to_simplified(query))))
    # The query as typed is searched too: the converter turns some proper names into other
    # characters (硃碛 -> 朱碛), and a traditional form the source itself uses must still match.
    typed = _chunks(rewrite(fold(query)))
    if len(typed) != len(simplified):
        typed = simplified
    chunk_nodes, any_nodes, words, surfaces, chunks = [], [], [], [], []
    for chunk, typed_chunk in zip(simplified, typed, strict=True):
        alternatives, chunk_words, chunk_surfaces = _chunk_alternatives(chunk, segmenter)
        if typed_chunk != chunk:
            more, more_words, more_surfaces = _chunk_alternatives(typed_chunk, segmenter)
            alternatives += [a for a in more if a not in alternatives]
            # Only known variants rank: other words of the typed form would make a traditional
            # query rank differently from its simplified form.
            lexicon = segmenter.lexicon
            chunk_words += [w for w in more_words if w in lexicon.groups and w not in chunk_words]
            chunk_surfaces += more_surfaces
        if not alternatives:
            continue
        chunk_nodes.append(("or", tuple(alternatives)))
        # Any-word matching ignores single characters: 彭三 must not list every case with 三.
        any_nodes += [w for w in chunk_words if len(w) > 1]
        any_nodes += [a for a in alternatives if a[1] != tuple(chunk_words)]
        chunks.append(chunk)
        words += [w for w in chunk_words if w not in words]
        surfaces += chunk_surfaces
    if not chunk_nodes:
        return QueryPlan(None, None, [], [], [])
    if not words:
        # Only character pairs (e.g. a chunk of stop words and rare characters): rank by those.
        words = [leaf for node in chunk_nodes for leaf in QueryExpr.leaves(node)]
    return QueryPlan(
        all_terms=("and", tuple(chunk_nodes)),
        any_term=("or", tuple(dict.fromkeys(any_nodes))),
        words=list(dict.fromkeys(words)),
        surfaces=list(dict.fromkeys(s for s in surfaces if s)),
        chunks=chunks,
    )
