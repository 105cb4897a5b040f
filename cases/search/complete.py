"""Autocomplete for the search boxes: case titles, places and search terms for what a reader has
typed so far (Chinese or pinyin).

    complete(text, limit=8) -> (query, [Completion, ...])

Places and terms match from their start (or by pinyin: pengs -> 彭山, ywtb -> 一网通办); titles
match anywhere. The candidates are read from the database once per process and library version
(``portal.memo``: the durable version in the database that every committed edit replaces, so neither a
Redis flush nor an outage can bring back candidates older than an edit), so an answer takes a few
milliseconds. ``read_input`` is the one reading of what was typed: ``complete`` answers from it, and
the page cache keys the answer on it (two spellings that read the same share one entry).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.urls import reverse
from pypinyin import Style, lazy_pinyin

from cases.search.pinyin import LETTERS, PinyinIndex, reading
from cases.search.query import normalize_query, to_simplified
from cases.search.segmenter import get_segmenter
from cases.search.text import fold
from cases.search.thesaurus import get_thesaurus
from portal import memo

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
        # All folded titles in one string: str.find scans 20,000 titles in well under a millisecond.
        self.blob = "\n".join(folded for folded, _, _ in titles)
        self.starts = [0]
        for folded, _, _ in titles[:-1]:
            self.starts.append(self.starts[-1] + len(folded) + 1)
        self.named = {**{t: TERM for t in terms}, **{p: PLACE for p in places}}
        self.sorted = sorted((fold(w), w) for w in self.named)
        self.pinyin = PinyinIndex(self.named)

    def titles_holding(self, key: str, limit: int) -> list[int]:
        """Indexes of the first ``limit`` titles holding ``key``, in the notice's order."""
        found: list[int] = []
        at = self.blob.find(key)
        while at >= 0 and len(found) < limit:
            index = bisect.bisect_right(self.starts, at) - 1
            found.append(index)
            at = self.blob.find(
                key, self.starts[index + 1] if index + 1 < len(self.starts) else len(self.blob)
            )
        return found

    def by_pinyin(self, letters: str, limit: int) -> list[str]:
        """Places and terms whose pinyin starts with ``letters``, best first: the word read
        exactly so (liangshan -> 凉山), then those whose usual reading starts so, then those
        whose initials do, then rarer readings (广 read yan); places before terms in each, then
        shorter before longer (ya -> 雅安 before 广元; liang -> 凉山 before 粮补)."""
        found = self.pinyin.complete(letters, limit=8 * limit)
        return sorted(found, key=lambda w: (_pinyin_rank(w, letters), self.named[w] != PLACE, len(w), w))[
            :limit
        ]

    def starting(self, prefix: str) -> list[str]:
        found = []
        start = bisect.bisect_left(self.sorted, (prefix, ""))
        for key, word in self.sorted[start:]:
            if not key.startswith(prefix):
                break
            found.append(word)
        # Places before terms, shorter before longer: 凉 -> 凉山 before 凉山彝族自治州.
        return sorted(found, key=lambda w: (self.named[w] != PLACE, len(w), w))


def _pinyin_rank(word: str, letters: str) -> int:
    usual = reading(word)
    if usual == letters:
        return 0
    if usual.startswith(letters):
        return 1
    if "".join(s[0] for s in lazy_pinyin(word, style=Style.NORMAL, errors="ignore")).startswith(letters):
        return 2
    return 3


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
    return memo.get(
        "search_completion_candidates",
        alias,
        lambda: _load(apps.get_model("cases", "Case").objects.db_manager(alias).published()),
    )


def read_input(raw: str | None) -> str:
    """What was typed, as the suggestions read it: normalised (``normalize_query``), at most MAX_INPUT
    characters. The answer depends on this alone."""
    query, _ = normalize_query((raw or "")[: MAX_INPUT * 2])
    return query[:MAX_INPUT]


def complete(raw: str | None, limit: int = 8, using: str = "default") -> tuple[str, list[Completion]]:
    query = read_input(raw)
    text = fold(to_simplified(query)).strip()
    if not text:
        return query, []
    candidates = _candidates(using)
    letters = text.replace(" ", "")
    named = candidates.by_pinyin(letters, limit) if LETTERS.fullmatch(letters) else candidates.starting(text)
    indexes: list[int] = []
    for key in dict.fromkeys([text, *named[:1]]):
        if "\n" not in key:
            indexes += [i for i in candidates.titles_holding(key, MAX_TITLES) if i not in indexes]
    titles = [Completion(*candidates.titles[i][1:2], TITLE, candidates.titles[i][2]) for i in sorted(indexes)]
    titles = titles[:MAX_TITLES]
    list_url = reverse("cases:list")
    found = [
        Completion(w, candidates.named[w], f"{list_url}?{urlencode({'q': w})}")
        for w in named[: limit - len(titles)]
    ]
    return query, found + titles[: limit - len(found)]
