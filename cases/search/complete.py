"""Autocomplete for the search boxes: case titles, places and search terms for what a reader has
typed so far (Chinese or pinyin).

    complete(text, limit=8) -> (query, [Completion, ...])

Places and terms match from their start (or by pinyin: pengs -> 彭山, ywtb -> 一网通办); titles
match anywhere. The candidates are read from the database once and kept until a case changes
(one cheap query per call checks that), so an answer takes a few milliseconds.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, Max
from django.urls import reverse

from cases.search.pinyin import LETTERS, PinyinIndex
from cases.search.query import normalize_query, to_simplified
from cases.search.segmenter import get_segmenter
from cases.search.text import fold
from cases.search.thesaurus import get_thesaurus

MAX_TITLES = 4
MAX_INPUT = 50

TITLE, PLACE, TERM = "title", "place", "term"


@dataclass(frozen=True)
class Completion:
    text: str
    kind: str  # title | place | term
    url: str


class _Candidates:
    def __init__(self, titles, places, terms) -> None:
        self.titles = titles  # [(folded title, title, url)]
        self.named = {**{t: TERM for t in terms}, **{p: PLACE for p in places}}
        self.sorted = sorted((fold(w), w) for w in self.named)
        self.pinyin = PinyinIndex(self.named)

    def starting(self, prefix: str) -> list[str]:
        found = []
        start = bisect.bisect_left(self.sorted, (prefix, ""))
        for key, word in self.sorted[start:]:
            if not key.startswith(prefix):
                break
            found.append(word)
        # Places before terms, shorter before longer: 凉 -> 凉山 before 凉山彝族自治州.
        return sorted(found, key=lambda w: (self.named[w] != PLACE, len(w), w))


_lock = threading.Lock()
_state: dict[str, tuple[tuple, _Candidates]] = {}


def _version(published) -> tuple:
    row = published.aggregate(n=Count("pk"), latest=Max("updated"))
    return row["n"], row["latest"]


def _load(published) -> _Candidates:
    titles = [
        (fold(title), title, reverse("cases:detail", args=[slug]))
        for title, slug in published.in_notice_order().values_list("title", "slug")
    ]
    places = set(get_segmenter().lexicon.places)
    for county, township, prefecture in published.values_list(
        "unit__county", "unit__township", "unit__prefecture__name"
    ):
        places |= {p for p in (county, township, prefecture) if p}
    lexicon = get_segmenter().lexicon
    terms = {w for w in lexicon.terms if len(w) >= 2}
    terms |= {fold(c.term) for c in get_thesaurus().concepts}
    return _Candidates(titles, places, terms)


def _candidates(alias: str) -> _Candidates:
    published = apps.get_model("cases", "Case").objects.db_manager(alias).published()
    version = _version(published)
    cached = _state.get(alias)
    if cached and cached[0] == version:
        return cached[1]
    with _lock:
        candidates = _load(published)
        _state[alias] = (version, candidates)
        return candidates


def complete(raw: str | None, limit: int = 8, using: str = "default") -> tuple[str, list[Completion]]:
    query, _ = normalize_query((raw or "")[: MAX_INPUT * 2])
    query = query[:MAX_INPUT]
    text = fold(to_simplified(query)).strip()
    if not text:
        return query, []
    candidates = _candidates(using)
    letters = text.replace(" ", "")
    if LETTERS.fullmatch(letters):
        named = candidates.pinyin.complete(letters, limit=limit)
    else:
        named = candidates.starting(text)
    keys = [text, *named[:1]]
    titles = [
        Completion(title, TITLE, url)
        for folded, title, url in candidates.titles
        if any(k in folded for k in keys)
    ][:MAX_TITLES]
    list_url = reverse("cases:list")
    found = [
        Completion(w, candidates.named[w], f"{list_url}?{urlencode({'q': w})}")
        for w in named[: limit - len(titles)]
    ]
    return query, found + titles[: limit - len(found)]
