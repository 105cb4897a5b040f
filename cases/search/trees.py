"""The match trees of a query plan, weighed with the index's word counts: which alternatives of
each word the index holds (the word, its compound's parts, the thesaurus's words), the all-words
tree, the any-word fallback's units and thresholds, and the rank terms. Pure functions of the plan
and the counts; ``engine`` runs them through a backend.

A tree is a token, ("and", children) or ("or", children).

The rank is Σ weight × ts_rank_cd(token) (SQLite computes the same sum): a reader's own word
weighs its idf, a synonym from the thesaurus SYNONYM_FACTOR of its idf, a related term
RELATED_FACTOR, a compound's parts PART_FACTOR, so the reader's own words come first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cases.search.backends.base import BROAD_MATCHES, idf, is_broad
from cases.search.query import Chunk, QueryPlan, Word
from cases.search.thesaurus import SYNONYM

SYNONYM_FACTOR = 0.6
RELATED_FACTOR = 0.25
PART_FACTOR = 0.8
RANKED_EXPANSIONS = 6  # per word
# The any-word fallback (see _coverage): a case must hold this share of a chunk's idf weight, and
# words at least as telling as one found in COMMON_SHARE of the cases.
COVERAGE = 0.4
COMMON_SHARE = 0.7
QUESTION_UNKNOWN = 0.5
# ``expand`` value of the match trees: the reader's words (or all of a compound's parts) and their
# synonyms, without any synonym found in COMMON_SHARE of the cases. A case matching the
# all-words tree but not this one holds the query only through a related term or a very common
# word (网上办事 -> 政务服务): a partial match (see engine._split_loose).
TELLING = "telling"
# ``expand`` value of the match trees for the partial tail: every alternative (related terms and
# compound parts too) except those held by more than TAIL_SHARE of the library. A case found only
# through such a word (代办点 -> 便民服务中心, 一网通办 -> 政务服务, 授信 -> 金融) says nothing
# about the query: it is never listed after the telling matches (see engine._split_loose).
TAIL = "tail"
TAIL_SHARE = 0.5
# The tail of a query of one word (LONE_TAIL, see all_tree) and the any-word units of a question
# (see coverage): a related term (not a synonym) is then all a partial case may hold of the word,
# and it merely relates: listed only when held by no
# more than RELATED_TAIL_SHARE of the cases, or RELATED_TAIL_FACTOR times as many as the
# reader's word or one of its parts (办事指南 beside 双语服务, 一件事一次办 beside 新生儿落户,
# 上门服务 beside 老年人 list cases about something else; 产业发展 beside 农产品 does not).
LONE_TAIL = "lone tail"
RELATED_TAIL_SHARE = 0.2
RELATED_TAIL_FACTOR = 2.0
# The any-word fallback when a piece of the query is found nowhere (not as typed, nor through its
# parts, pairs or thesaurus words): that piece is what the query is about, so a word found in this
# share of the library or more (政务服务, 金融 beside 量子, 区块链) stands for nothing and lists no
# case; a rare one (雅安 量子, 宅基地 火星) still does. See _absent and coverage.
ABSENT_COMMON_SHARE = 0.3


@dataclass
@dataclass
class Counts:
    n: int
    df: dict[str, float]
    # Set for a broad query (see _narrowed): expansions that only widen it further are left out.
    narrow: bool = False

    def has(self, token: str) -> bool:
        return self.df.get(token, 0) > 0

    def share(self, token: str) -> float:
        return self.df.get(token, 0) / self.n

    def idf(self, token: str) -> float:
        return idf(self.df.get(token, 0), self.n)


def count_tokens(backend, plan: QueryPlan) -> Counts:
    n, shares = backend.document_frequencies(sorted(plan.tokens()))
    counts = Counts(n=n, df={t: share * n for t, share in shares.items()})
    # A query that would be broad with its expansions keeps only the synonyms of its rare words
    # (in a large library; the 44 cases never come near BROAD_MATCHES).
    counts.narrow = is_broad(estimates(plan, counts)[0])
    return counts


def held_parts(word: Word, counts: Counts) -> tuple[str, ...]:
    """The compound's parts (``segmenter.compound_parts``) the index holds, when they cover all
    its characters, or all but the last (低保户: 低保 held, 保户 not; see compound_parts) and
    still say something (政务局 is not every case that says 政务): else none."""
    held = tuple(p for p in word.parts if counts.has(p))
    if not held:
        return ()
    covered = [False] * len(word.token)
    for part in held:
        at = word.token.find(part)
        covered[at : at + len(part)] = [True] * len(part)
    if all(covered):
        return held
    if word.literal:
        return ()
    telling = min(counts.share(p) for p in held) < COMMON_SHARE
    return held if telling and len(word.token) > 2 and all(covered[:-1]) else ()


def word_alternatives(word: Word, counts: Counts, expand: bool = True) -> list:
    """What may stand for the word in a case, among what the index holds (``expand``: the
    thesaurus's words too; SYNONYM: its synonyms only; TELLING: see there)."""
    telling = expand == TELLING
    tail = expand in (TAIL, LONE_TAIL)
    limit = COMMON_SHARE if telling else TAIL_SHARE if tail else None

    def common(tokens, kind=SYNONYM) -> bool:
        if limit is None:
            return False
        if expand == LONE_TAIL and kind != SYNONYM:
            return min(counts.share(t) for t in tokens) > _related_limit(word, counts)
        return min(counts.share(t) for t in tokens) >= limit

    alternatives: list = []
    if counts.has(word.token):
        alternatives.append(word.token)
        # In the tail, a held compound is found through all its parts too (出生一件事: a case
        # saying 出生 and 一件事 apart holds the reader's words, more than a related term does).
        held = held_parts(word, counts) if tail else ()
        if held and len(held) > 1 and not common(held) and word.token not in held:
            alternatives.append(("and", held))
    elif word.parts and (held := held_parts(word, counts)) and not (tail and common(held)):
        alternatives.append(("and", held))  # the reader's own characters, all of them
    if counts.narrow and counts.df.get(word.token, 0) > BROAD_MATCHES:
        return alternatives  # the word alone is broad: its expansions add cost, not answers
    for tokens, kind in word.expansions:
        synonyms_only = expand in (SYNONYM, TELLING)
        if not expand or (synonyms_only and kind != SYNONYM) or (counts.narrow and kind != SYNONYM):
            continue
        if all(counts.has(t) for t in tokens) and not common(tokens, kind):
            alternatives.append(tokens[0] if len(tokens) == 1 else ("and", tokens))
    return alternatives


def _related_limit(word: Word, counts: Counts) -> float:
    """The share of the library a related term of ``word`` may hold and still stand in the tail:
    see RELATED_TAIL_SHARE (the word's parts count: 补贴 of 惠农补贴)."""
    own = [word.token] if counts.has(word.token) else []
    own += [p for p in word.parts if counts.has(p)]
    telling = [RELATED_TAIL_FACTOR * counts.share(t) for t in own if counts.share(t) < COMMON_SHARE]
    return min(TAIL_SHARE, max([RELATED_TAIL_SHARE, *telling]))


def word_node(word: Word, counts: Counts, expand: bool = True):
    alternatives = word_alternatives(word, counts, expand)
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else ("or", tuple(alternatives))


def chunk_node(chunk, counts: Counts, expand: bool = True):
    alternatives = []
    for reading in chunk.readings:
        nodes = [word_node(w, counts, expand) for w in reading]
        if nodes and all(n is not None for n in nodes):
            alternatives.append(nodes[0] if len(nodes) == 1 else ("and", tuple(nodes)))
    for grams in chunk.grams:
        if expand in (TAIL, LONE_TAIL) and min((counts.share(g) for g in grams), default=1.0) >= TAIL_SHARE:
            continue  # pairs every other case holds
        if all(counts.has(g) for g in grams):
            alternatives.append(grams[0] if len(grams) == 1 else ("and", grams))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else ("or", tuple(dict.fromkeys(alternatives)))


def rank_terms(plan: QueryPlan, counts: Counts, broad: bool = False) -> list[tuple[str, float]]:
    """(token, weight) pairs of the rank. A broad query (see backends.base.is_broad) ranks by the
    reader's own words alone: its first pages come from the per-word top lists, which several
    expansions per word would defeat (便民服务 over 20,000 cases: 450 ms instead of 20)."""
    weights: dict[str, float] = {}

    def add(token: str, weight: float) -> None:
        if counts.has(token):
            weights[token] = max(weights.get(token, 0.0), weight)

    for chunk in plan.chunks:
        words = [w for w in chunk.words if w.ranked]
        for word in words:
            add(word.token, counts.idf(word.token))
            if not counts.has(word.token):
                for part in word.parts:
                    add(part, PART_FACTOR * counts.idf(part))
            # An expansion never weighs more than the reader's own word would: a rare synonym
            # must not outrank the cases that use the reader's (common) word in their title.
            ceiling = counts.idf(word.token) if counts.has(word.token) else math.inf
            # Only the expansions held by most cases rank (each costs one ts_rank_cd per
            # matching case); all of them still match.
            known = [(t, k) for t, k in word.expansions if all(counts.has(x) for x in t)]
            known.sort(key=lambda item: -min(counts.share(x) for x in item[0]))
            for tokens, kind in known[: 0 if broad else RANKED_EXPANSIONS]:
                factor = SYNONYM_FACTOR if kind == SYNONYM else RELATED_FACTOR
                for token in tokens:
                    add(token, factor * min(counts.idf(token), ceiling) / len(tokens))
        if not any(counts.has(w.token) for w in words):
            # Only character pairs (a chunk of stop words and rare characters): rank by those.
            for grams in chunk.grams:
                for gram in grams:
                    add(gram, counts.idf(gram))
    return list(weights.items())


def estimates(plan: QueryPlan, counts: Counts) -> tuple[float, float, float]:
    """(at most, likely all-words, likely any-word) matches, words taken as independent."""
    shares = []
    for chunk in plan.chunks:
        share = 0.0
        for reading in chunk.readings:
            word_shares = []
            for word in reading:
                alternatives = word_alternatives(word, counts)
                leaves = [a if isinstance(a, str) else min(a[1], key=counts.share) for a in alternatives]
                word_shares.append(min(1.0, sum(counts.share(t) for t in leaves)))
            share = max(share, min(word_shares, default=0.0))
        for grams in chunk.grams:
            share = max(share, min((counts.share(g) for g in grams), default=0.0))
        shares.append(share)
    at_most = counts.n * min(shares, default=0.0)
    return at_most, counts.n * math.prod(shares), counts.n * min(1.0, sum(shares))


def coverage(plan: QueryPlan, counts: Counts, after_full: bool = False) -> list[tuple[list, float]]:
    """The any-word fallback, per chunk: its units (a word and what stands for it, weighted by
    the word's idf; a word the index lacks weighs most) and the weight a case must hold in it.

    A case qualifies when, for some chunk, it holds COVERAGE of the chunk's weight and at least
    as much as one word found in COMMON_SHARE of the cases. So one very common word (服务, 审批,
    人员) never qualifies alone (宅基地审批 must not return every case with 审批), a phrase that
    is mostly unknown words finds nothing (火锅底料配方), and of 彭山 柑橘 each chunk alone is an
    answer. Single characters are left out: 彭三 must not list every case with 三."""
    # After full matches, a partial one must hold at least a word fewer than TAIL_SHARE of the
    # cases hold (雅安 金融: not every case with 金融, 24 of 44, after the 3 holding both).
    telling = idf((TAIL_SHARE if after_full else COMMON_SHARE) * counts.n, counts.n)
    # With no full match, a word found nowhere makes the common words say nothing (see
    # ABSENT_COMMON_SHARE); a question's unknown words are how the reader says it (QUESTION_UNKNOWN).
    absent = not after_full and not plan.question and _absent(plan, counts)
    groups = []
    for chunk in _pooled(plan):
        units, total = [], 0.0
        words = [w for w in chunk.words if w.ranked and len(w.token) > 1]
        weighed = []
        for word in words:
            # Not through a word most cases hold: that alone tells nothing (TAIL).
            # Not through a related term that merely relates, in a question (LONE_TAIL).
            node = word_node(word, counts, expand=LONE_TAIL if plan.question else TAIL)
            weight = (
                counts.idf(word.token) if node is None or counts.has(word.token) else node_idf(node, counts)
            )
            if word.expansions and not (after_full and counts.share(word.token) >= TAIL_SHARE):
                # A concept of the field is the reader's topic: it weighs like an unknown word
                # (after full matches, unless most cases hold it: then it weighs its idf, and
                # 政务服务 alone does not list a case after those holding 互联网 and 政务服务).
                weight = max(weight, idf(0, counts.n))
            elif node is None and plan.question:
                # A question's word the library lacks (父母, 小孩) is more often how the reader
                # says it than what it is about: it weighs less, so the rest can still qualify.
                weight *= QUESTION_UNKNOWN
            weighed.append((word, node, weight))
        # (A question's words are pooled, not a compound: its rare filler words keep their weight.)
        for word, node, weight in weighed if plan.question else _rarer_weighs_more(weighed, counts):
            total += weight
            if node is not None and not (absent and _found_share(word, node, counts) >= ABSENT_COMMON_SHARE):
                units.append((node, weight))
        for grams in chunk.grams if words and after_full else ():
            # All the chunk's pairs, when they tell something (政务服务网: 务网), hold it as typed.
            if all(counts.has(g) for g in grams) and min(counts.share(g) for g in grams) < TAIL_SHARE:
                node = grams[0] if len(grams) == 1 else ("and", grams)
                units.append((node, max(total, node_idf(node, counts))))
        if not words:
            node = chunk_node(chunk, counts, expand=TAIL)
            weight = node_idf(node, counts) if node is not None else idf(0, counts.n)
            total += weight
            # A chunk of stop words or unknown runs, read through its pairs (方便 量子), obeys the
            # same absent-piece rule as a word.
            if node is not None and not (absent and node_share(node, counts) >= ABSENT_COMMON_SHARE):
                units.append((node, weight))
        if units:
            groups.append((units, max(COVERAGE * total, telling)))
    return groups


def _rarer_weighs_more(weighed: list, counts: Counts) -> list:
    """(word, node, weight) with each found word weighing at least as much as any found word of
    its chunk that is as common or more: a concept's boost (see coverage) must not make a rarer
    word of the same compound weigh less than it would typed apart (退役军人优待证: 优待证, held by
    2 cases, weighs as much as the concept 退役军人, so the cases holding it still qualify)."""
    found = [(_found_share(w, node, counts), weight) for w, node, weight in weighed if node is not None]
    lifted = []
    for word, node, weight in weighed:
        if node is not None:
            share = _found_share(word, node, counts)
            weight = max([weight, *(other for s, other in found if s >= share)])
        lifted.append((word, node, weight))
    return lifted


def _absent(plan: QueryPlan, counts: Counts) -> bool:
    """Whether a piece of the query (of two characters or more) is found nowhere: in none of its
    readings, not through parts, thesaurus words or character pairs (chunk_node)."""
    return any(len(c.text.replace(" ", "")) > 1 and chunk_node(c, counts) is None for c in plan.chunks)


def _found_share(word: Word, node, counts: Counts) -> float:
    """The share of the library a found word lists: its own, or (found only through its parts or
    thesaurus words) its stand-ins'."""
    return counts.share(word.token) if counts.has(word.token) else node_share(node, counts)


def _pooled(plan: QueryPlan):
    """The chunks the fallback weighs apart; a question's chunks are one sentence, pooled."""
    if not plan.question or len(plan.chunks) < 2:
        return plan.chunks
    words = {}
    for chunk in plan.chunks:
        for word in chunk.words:
            words.setdefault(word.token, word)
    return (Chunk(text=" ".join(c.text for c in plan.chunks), readings=(tuple(words.values()),), grams=()),)


def node_share(node, counts: Counts) -> float:
    """At most what share of the cases hold a word's stand-ins (an "and" counts its rarest)."""
    if isinstance(node, str):
        return counts.share(node)
    shares = [node_share(child, counts) for child in node[1]]
    return min(shares) if node[0] == "and" else min(1.0, sum(shares))


def node_idf(node, counts: Counts) -> float:
    """How telling a word's stand-ins are together."""
    return idf(node_share(node, counts) * counts.n, counts.n)


def one_word(plan: QueryPlan) -> bool:
    """Whether the query is one word: one chunk, each reading of it one word (a pinyin chunk's
    letters and the word they read as are readings of the same one word: zwfw, 政务服务)."""
    return len(plan.chunks) == 1 and all(len(r) == 1 for r in plan.chunks[0].readings)


def all_tree(plan: QueryPlan, counts: Counts, expand: bool = True):
    if expand == TAIL and one_word(plan):
        expand = LONE_TAIL
    nodes = [chunk_node(chunk, counts, expand) for chunk in plan.chunks]
    if not nodes or any(n is None for n in nodes):
        return None
    return nodes[0] if len(nodes) == 1 else ("and", tuple(nodes))


def typed_as_is(plan: QueryPlan, counts: Counts):
    """The all-words tree of the query's first reading of each chunk, without the thesaurus:
    None when the words as typed cannot all be found."""
    nodes = []
    for chunk in plan.chunks:
        words = [word_node(w, counts, expand=False) for w in chunk.readings[0]] if chunk.readings else []
        grams = [g for g in chunk.grams if all(counts.has(t) for t in g)]
        if (not words or None in words) and not grams:
            return None
        nodes.append(words or grams)
    return nodes


def typed_words(plan: QueryPlan, counts: Counts):
    """The words as typed, each held by the index as a whole word (not its parts or character
    pairs, which say less than a synonym: 手机 … 办事 is not 手机办事); None when not all held."""
    nodes = []
    for chunk in plan.chunks:
        # The first reading held whole (a pinyin chunk's is the word it was read as).
        held = [r for r in chunk.readings if r and all(counts.has(w.token) for w in r)]
        if not held:
            return None
        nodes += [w.token for w in held[0]]
    nodes = tuple(dict.fromkeys(nodes))
    return nodes[0] if len(nodes) == 1 else ("and", nodes)
