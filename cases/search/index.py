"""The search index: what text of a case is searchable, with which weight, and keeping it current.

Weights (PostgreSQL letters; the SQLite FTS5 table has one column per weight):
    A  title, title in the compendium, title aliases, themes
    B  unit name and aliases, prefecture / county / township names, lead (导语)
    C  section headings and paragraphs
``head`` holds the A and B part alone: a query that matches a large share of a big library is
ranked by it (see cases.search.backends.base.BROAD_MATCHES).
Besides the segmented words, every CJK character pair of the text is stored (without positions in
the body, so it costs little) so that any literal string of two or more characters is found.

Writes happen in the caller's transaction: ``index_cases`` runs from signal handlers on every save,
``rebuild_index`` after bulk loads and from the ``rebuild_search_index`` command.
"""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.db import connections, router

from cases.search.backends import backend_for
from cases.search.segmenter import get_segmenter
from cases.search.similarity import FULL_REFRESH_MAX, refresh_related
from cases.search.text import bigrams

WEIGHTS = ("A", "B", "C")
# Positions kept per word and weight. Capping the body keeps a case that merely mentions a word
# many times from outranking the case that is about it, and keeps the stored vectors small.
POSITION_CAP = {"A": 4, "B": 4, "C": 3}
# How much each weight counts for the related-cases similarity.
TERM_WEIGHT = {"A": 3.0, "B": 2.0, "C": 1.0}
MAX_TERMS = 120
MAX_POSITION = 16383  # PostgreSQL's limit for tsvector positions
# PostgreSQL refuses a tsvector over 1 MB; past this estimate of its size, body words and pairs
# are left out (a case that long is still saved and found by its other words). Each token is
# also cut to text.MAX_TOKEN_LENGTH characters, below the 2 KB lexeme limit.
VECTOR_BUDGET = 900_000
BULK_THRESHOLD = 5000  # above this many cases a rebuild drops and recreates the GIN index


@dataclass
class IndexedDoc:
    case_id: int
    slots: dict[str, list[list[str]]]  # weight -> token slots (a slot's tokens share a position)
    grams: dict[str, list[str]] = field(default_factory=dict)  # weight -> bigrams
    terms: dict[str, float] = field(default_factory=dict)

    def pg_vectors(self) -> tuple[str, str]:
        """tsvector literals: the whole text (positions and weights; body pairs without
        positions, they only serve matching) and its head (weights A and B only), which is small
        enough to rank tens of thousands of matches quickly."""
        entries: dict[str, list[str]] = {}
        head_tokens: set[str] = set()
        position = 0
        for weight in WEIGHTS:
            cap = POSITION_CAP[weight]
            seen: dict[str, int] = {}
            stream = list(self.slots.get(weight, ()))
            if weight != "C":
                stream += [(g,) for g in self.grams.get(weight, ())]
            for slot in stream:
                position += 1
                label = f"{min(position, MAX_POSITION)}{weight}"
                for token in slot:
                    count = seen.get(token, 0)
                    if count < cap:
                        seen[token] = count + 1
                        found = entries.get(token)
                        if found is None:
                            entries[token] = [label]
                        else:
                            found.append(label)
            if weight != "C":
                # Words only: the head ranks broad queries, whose words are words.
                head_tokens.update(t for slot in self.slots.get(weight, ()) for t in slot)
            position += 8  # no phrase spans two fields
        full, size = [], 0
        for token, labels in entries.items():
            cost = len(token.encode()) + 2 * len(labels) + 8
            if size + cost > VECTOR_BUDGET and labels[0][-1] == "C":
                continue
            size += cost
            full.append(f"'{token}':{','.join(labels)}")
        for gram in self.grams.get("C", ()):
            if gram not in entries and size + 14 <= VECTOR_BUDGET:
                size += 14
                full.append(f"'{gram}'")
        head = []
        for token in head_tokens:
            labels = [label for label in entries[token] if label[-1] != "C"]
            head.append(f"'{token}':{','.join(labels)}")
        return " ".join(full), " ".join(head)

    def fts_columns(self) -> tuple[str, str, str, str]:
        """Columns a, b (words and pairs), c (words), g (body pairs) of the SQLite FTS5 table,
        each token capped like the PostgreSQL positions so both backends rank alike."""
        columns = []
        for weight in WEIGHTS:
            counts: Counter = Counter()
            # A slot's tokens share one position: a token twice in a slot (服务 in
            # 省政务服务和公共资源交易服务中心's sub-words) is one PostgreSQL position, so one here.
            tokens = [t for slot in self.slots.get(weight, []) for t in dict.fromkeys(slot)]
            if weight != "C":
                tokens += self.grams.get(weight, [])
            kept = []
            for token in tokens:
                if counts[token] < POSITION_CAP[weight]:
                    counts[token] += 1
                    kept.append(token)
            columns.append(" ".join(kept))
        return columns[0], columns[1], columns[2], " ".join(self.grams.get("C", []))


def case_texts(case) -> dict[str, list[str]]:
    """The searchable text of a case by weight (expects unit/prefecture/themes/sections loaded)."""
    unit = case.unit
    prefecture = unit.prefecture
    lead_paragraphs, body = [], []
    for section in case.sections.all():
        if section.heading:
            body.append(section.heading)
            body += section.paragraphs
        else:
            lead_paragraphs += section.paragraphs
    lead = [case.summary] if case.summary else []
    body += [p for p in lead_paragraphs if p.strip() != (case.summary or "").strip()]
    if not lead:
        lead = lead_paragraphs[:1]
        body = [p for p in body if p not in lead]
    return {
        # Themes are the editors' word for what a case is about: they weigh like its title.
        "A": [
            case.title,
            case.title_in_compendium,
            *(case.title_aliases or []),
            *(t.name for t in case.themes.all()),
        ],
        "B": [
            unit.name,
            *(unit.aliases or []),
            prefecture.name,
            prefecture.full_name,
            prefecture.short_name,
            unit.county,
            unit.township,
            *lead,
        ],
        "C": body,
    }


def build_doc(case_id: int, texts: dict[str, list[str]]) -> IndexedDoc:
    segmenter = get_segmenter()
    slots: dict[str, list[list[str]]] = {}
    grams: dict[str, list[str]] = {}
    terms: Counter = Counter()
    for weight in WEIGHTS:
        weight_slots: list[list[str]] = []
        weight_grams: list[str] = []
        for text in texts.get(weight, []):
            if not text:
                continue
            # One segmentation per paragraph, cached: repeated paragraphs cost nothing.
            weight_slots += segmenter.index_tokens(text)
            weight_grams += _bigrams(text)
        slots[weight] = weight_slots
        if weight == "C":
            grams[weight] = list(dict.fromkeys(weight_grams))
        else:
            # A pair that is also a word of the field would count twice.
            words = {t for slot in weight_slots for t in slot}
            grams[weight] = [g for g in weight_grams if g not in words]
        for slot in weight_slots:
            if len(slot[0]) > 1:
                terms[segmenter.lexicon.canon(slot[0])] += TERM_WEIGHT[weight]
    top = dict(terms.most_common(MAX_TERMS))
    return IndexedDoc(case_id=case_id, slots=slots, grams=grams, terms=top)


@lru_cache(maxsize=200_000)
def _bigrams(text: str) -> tuple[str, ...]:
    return tuple(bigrams(text))


def _case_model():
    # By name: cases.models imports this package (CaseQuerySet.search), so it cannot be imported here.
    return apps.get_model("cases", "Case")


def cases_with_text(ids=None):
    qs = _case_model().objects.select_related("unit__prefecture").prefetch_related("themes", "sections")
    return qs.filter(pk__in=ids) if ids is not None else qs


def backend(using: str | None = None):
    return backend_for(connections[using or router.db_for_write(_model())])


def _model():
    return apps.get_model("cases", "SearchDocument")


def index_cases(ids) -> None:
    """Re-index the given cases (deleted ones drop out); then refresh related cases."""
    ids = {int(i) for i in ids if i is not None}
    if not ids or _suspended():
        return
    pending = getattr(_state, "batch", None)
    if pending is not None:
        pending.update(ids)
        return
    docs = [build_doc(case.pk, case_texts(case)) for case in cases_with_text(ids)]
    be = backend()
    be.write(docs)
    be.delete(ids - {d.case_id for d in docs})
    if _document_count() <= FULL_REFRESH_MAX:
        # Cheap in a library this size; larger ones refresh with rebuild_search_index.
        be.refresh_statistics()
    refresh_related(changed=ids)


def _document_count() -> int:
    return _model().objects.count()


def rebuild_index(batch_size: int = 500) -> int:
    """Index every case from scratch; returns the number of cases indexed."""
    be = backend()
    be.clear()
    bulk = _case_model().objects.count() > BULK_THRESHOLD
    if bulk:
        be.begin_bulk()
    total = 0
    batch = []
    for case in cases_with_text().iterator(chunk_size=batch_size):
        batch.append(build_doc(case.pk, case_texts(case)))
        if len(batch) >= batch_size:
            be.write(batch, fresh=True)
            total += len(batch)
            batch = []
    if batch:
        be.write(batch, fresh=True)
        total += len(batch)
    if bulk:
        be.end_bulk()
    else:
        be.analyze()
    refresh_related()
    return total


_state = threading.local()


def _suspended() -> bool:
    return getattr(_state, "suspended", 0) > 0


@contextmanager
def batched():
    """Collect the cases that ``index_cases`` is asked for inside the block and index them once at
    its end: a bulk delete sends one signal per row, and each re-index refreshes the word counts
    of the whole library (about 0.3 s on PostgreSQL), so 150 sections took most of a minute."""
    if getattr(_state, "batch", None) is not None:
        yield  # the outermost block indexes
        return
    _state.batch = pending = set()
    try:
        yield
    finally:
        _state.batch = None
    if not connections[router.db_for_write(_model())].needs_rollback:  # a dry run rolls back
        index_cases(pending)


@contextmanager
def suspended():
    """Skip per-row indexing inside the block (bulk writes); the caller rebuilds afterwards."""
    _state.suspended = getattr(_state, "suspended", 0) + 1
    try:
        yield
    finally:
        _state.suspended -= 1
