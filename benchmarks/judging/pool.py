"""Pool the judged set's queries: the union of the top 20 of several independent rankers.

Usage (from the project root, the library loaded into the database that DATABASE_URL names):

    python3 dev.py install judging          # pypinyin, for the pinyin ranker
    DJANGO_DEBUG=1 DATABASE_URL=sqlite:///db.sqlite3 .venv/bin/python manage.py migrate
    DJANGO_DEBUG=1 DATABASE_URL=sqlite:///db.sqlite3 .venv/bin/python manage.py load_library
    DJANGO_DEBUG=1 DATABASE_URL=sqlite:///db.sqlite3 .venv/bin/python benchmarks/judging/pool.py

Reads benchmarks/judging/queries.json (written before pooling) and writes benchmarks/judging/pools.json:
``{"depth": 20, "rankers": {...}, "queries": [{query, kind, stands_for?, pool: [slug], by_ranker: {name: [slug]}}]}``.

Rankers (each returns at most ``DEPTH`` published cases, best first):

- ``engine``: the project's search, ``cases.search.apply_search`` as it stood when the set was judged.
- ``substring``: plain case-insensitive substring match of the query (each space-separated part must
  occur) over the case's text; ranked by the number of occurrences.
- ``bm25``: Okapi BM25 (k1 = 1.2, b = 0.75) over character bigrams of the same text (letters and
  digits as whole lowercase words).
- ``pinyin``: for queries written in Latin letters only: the query is read as full pinyin (with or
  without spaces) or as initials against a lexicon built from the library itself (segmenter words,
  quoted terms, place and unit names, each with its toneless pinyin and initials); the Chinese words
  found are ranked like ``substring``.
- ``intended_*``: for variant, pinyin and typo queries, the three rankers above run again on the form
  the query stands for (``stands_for``), since such a query is graded as that form.
- ``manual``: the assessor's manual run (benchmarks/judging/manual_runs.json, written before grading):
  the phrasings the assessor would try for the same need, substring-matched (any phrasing; ``_`` joins
  parts that must all occur) and ranked by occurrences, so that a need worded unlike the cases still
  gets a full pool.

The committed pools.json is the record of what was graded: re-running this after the search has
changed gives other ``engine`` pools (the other rankers do not change while the library does not).

"Text of a case" here: title and its recorded variants, unit name and aliases, prefecture (name, full
and short names), county, township, summary, section headings and paragraphs.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/, for the shared start-up
import _django  # noqa: E402

DEPTH = 20

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_CJK}]+|[0-9a-z]+")
_LATIN_QUERY = re.compile(r"^[a-z' ]+$")
_QUOTED = re.compile(f'[“"「]([{_CJK}0-9a-zA-Z+·]{{2,12}})[”"」]')


def case_texts() -> dict[str, str]:
    """``{slug: text}`` for the published cases, the fields listed in the module docstring."""
    from cases.models import Case

    texts = {}
    cases = Case.objects.published().select_related("unit__prefecture").prefetch_related("sections")
    for case in cases:
        unit, prefecture = case.unit, case.unit.prefecture
        parts = [case.title, *case.title_aliases, case.title_in_compendium, unit.name, *unit.aliases]
        parts += [prefecture.name, prefecture.full_name, prefecture.short_name, unit.county, unit.township]
        parts.append(case.summary)
        for section in case.sections.all():
            parts.append(section.heading)
            parts.extend(section.paragraphs)
        texts[case.slug] = "\n".join(p for p in parts if p).lower()
    return texts


def tokens(text: str) -> list[str]:
    out = []
    for run in _TOKEN.findall(text.lower()):
        if run[0].isascii() or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


class Bm25:
    def __init__(self, texts: dict[str, str], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.tf = {slug: Counter(tokens(text)) for slug, text in texts.items()}
        self.length = {slug: sum(tf.values()) for slug, tf in self.tf.items()}
        self.avg = sum(self.length.values()) / len(self.length)
        df = Counter(term for tf in self.tf.values() for term in tf)
        n = len(self.tf)
        self.idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}

    def rank(self, query: str) -> list[str]:
        terms = tokens(query)
        scores = {}
        for slug, tf in self.tf.items():
            score = 0.0
            for term in terms:
                f = tf.get(term, 0)
                if f:
                    norm = self.k1 * (1 - self.b + self.b * self.length[slug] / self.avg)
                    score += self.idf[term] * f * (self.k1 + 1) / (f + norm)
            if score > 0:
                scores[slug] = score
        return sorted(scores, key=lambda s: (-scores[s], s))[:DEPTH]


def substring_rank(texts: dict[str, str], query: str) -> list[str]:
    parts = [p for p in query.lower().split() if p]
    if not parts:
        return []
    scores = {}
    for slug, text in texts.items():
        counts = [text.count(p) for p in parts]
        if all(counts):
            scores[slug] = sum(counts)
    return sorted(scores, key=lambda s: (-scores[s], s))[:DEPTH]


def words_rank(texts: dict[str, str], alternatives: list[list[str]]) -> list[str]:
    """Each inner list is one query piece's candidate words (any may occur); every piece must occur."""
    scores = {}
    for slug, text in texts.items():
        counts = [sum(text.count(w) for w in words) for words in alternatives]
        if counts and all(counts):
            scores[slug] = sum(counts)
    return sorted(scores, key=lambda s: (-scores[s], s))[:DEPTH]


class PinyinLexicon:
    """Chinese words of the library indexed by toneless full pinyin and by initials."""

    def __init__(self, texts: dict[str, str], extra_words: set[str]):
        import jieba
        from pypinyin import lazy_pinyin

        frequency = Counter()
        for text in texts.values():
            for run in re.findall(f"[{_CJK}]+", text):
                frequency.update(w for w in jieba.cut_for_search(run) if len(w) >= 2)
            frequency.update(_QUOTED.findall(text))
        for word in extra_words:
            frequency[word] += 1
        self.full: dict[str, Counter] = defaultdict(Counter)
        self.initials: dict[str, Counter] = defaultdict(Counter)
        for word, count in frequency.items():
            if not re.fullmatch(f"[{_CJK}]+", word):
                continue
            syllables = lazy_pinyin(word)
            self.full["".join(syllables)][word] += count
            self.initials["".join(s[0] for s in syllables if s)][word] += count

    def words(self, piece: str) -> list[str]:
        """Words whose full pinyin is ``piece``; failing that, whose initials are (3+ letters)."""
        found = self.full.get(piece)
        if not found and len(piece) >= 3:
            found = self.initials.get(piece)
        return [w for w, _ in found.most_common(5)] if found else []

    def segment(self, letters: str) -> list[list[str]]:
        """Split a run of letters into the fewest lexicon pinyin pieces (whole run first)."""
        whole = self.words(letters)
        if whole:
            return [whole]
        best: list[list[str] | None] = [None] * (len(letters) + 1)
        best[0] = []
        for end in range(1, len(letters) + 1):
            for start in range(end):
                if best[start] is None:
                    continue
                words = self.full.get(letters[start:end])
                if not words:
                    continue
                candidate = [*best[start], [w for w, _ in words.most_common(5)]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
        return best[-1] or []

    def read(self, query: str) -> list[list[str]]:
        query = query.lower().replace("'", " ")
        joined = query.replace(" ", "")
        whole = self.words(joined)
        if whole:
            return [whole]
        pieces: list[list[str]] = []
        for part in query.split():
            found = self.segment(part)
            if not found:
                return []
            pieces.extend(found)
        return pieces


def lexicon_extras() -> set[str]:
    from awards.models import Prefecture, Unit
    from cases.models import Theme

    words = set()
    for p in Prefecture.objects.all():
        words |= {p.name, p.full_name, p.short_name}
    for u in Unit.objects.all():
        words |= {u.name, u.county, u.township, *u.aliases}
        words |= {w[:-1] for w in (u.county, u.township) if len(w) >= 3}
    words |= {t.name for t in Theme.objects.all()}
    return {w for w in words if w}


def engine_rank(query: str) -> list[str]:
    from cases.models import Case
    from cases.search import apply_search

    outcome = apply_search(Case.objects.published(), query)
    return list(outcome.queryset.values_list("slug", flat=True)[:DEPTH])


def manual_rank(texts: dict[str, str], phrasings: list[str]) -> list[str]:
    scores = {}
    for slug, text in texts.items():
        total = 0
        for phrasing in phrasings:
            counts = [text.count(part.lower()) for part in phrasing.split("_")]
            if all(counts):
                total += sum(counts)
        if total:
            scores[slug] = total
    return sorted(scores, key=lambda s: (-scores[s], s))[:DEPTH]


def pool_query(item: dict, texts, bm25, lexicon, manual: dict[str, list[str]]) -> dict:
    query = item["query"]
    by_ranker = {
        "engine": engine_rank(query),
        "substring": substring_rank(texts, query),
        "bm25": bm25.rank(query),
    }
    if _LATIN_QUERY.match(query.lower()):
        reading = lexicon.read(query)
        by_ranker["pinyin"] = words_rank(texts, reading)
        item = {**item, "pinyin_reading": reading}
    intended = item.get("stands_for")
    if intended and intended != query:
        by_ranker["intended_engine"] = engine_rank(intended)
        by_ranker["intended_substring"] = substring_rank(texts, intended)
        by_ranker["intended_bm25"] = bm25.rank(intended)
    if query in manual:
        by_ranker["manual"] = manual_rank(texts, manual[query])
    pool = sorted({slug for ranked in by_ranker.values() for slug in ranked})
    return {**item, "pool": pool, "by_ranker": by_ranker}


def main() -> None:
    _django.setup()
    texts = case_texts()
    if len(texts) != 44:
        sys.exit(f"expected the 44 published cases, found {len(texts)}: run load_library first")
    bm25 = Bm25(texts)
    lexicon = PinyinLexicon(texts, lexicon_extras())
    queries = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))["queries"]
    manual = json.loads((HERE / "manual_runs.json").read_text(encoding="utf-8"))["runs"]
    pooled = [pool_query(item, texts, bm25, lexicon, manual) for item in queries]
    out = {
        "depth": DEPTH,
        "rankers": [
            "engine",
            "substring",
            "bm25",
            "pinyin",
            "intended_engine",
            "intended_substring",
            "intended_bm25",
            "manual",
        ],
        "queries": pooled,
    }
    (HERE / "pools.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sizes = [len(q["pool"]) for q in pooled]
    print(
        f"{len(pooled)} queries pooled; pool size min {min(sizes)}, mean {sum(sizes) / len(sizes):.1f}, max {max(sizes)}"
    )


if __name__ == "__main__":
    main()
