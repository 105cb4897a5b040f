"""The domain thesaurus: concept groups that widen a reader's words to the words the cases use.

Data, not code: ``cases/search/thesaurus.toml`` (reviewed by the editors; shown to them in
docs/thesaurus.md). Each ``[[concept]]`` table has ``id``, ``term`` (canonical), ``synonyms``
(match like the term), ``related`` (match with a lower weight) and an editor's ``note``.

    load_thesaurus(path=THESAURUS_FILE) -> Thesaurus          (raises ThesaurusError)
    get_thesaurus() -> Thesaurus                              (the file, loaded once)
    Thesaurus.expansions(word) -> [(other word, "synonym" | "related"), ...]

A query word that is the term or a synonym of a concept is widened to the concept's other terms
(as synonyms) and its related terms; a word that is only ``related`` somewhere widens to nothing
(a neighbouring need is not the reader's need). Words are compared folded (``text.fold``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from cases.search.pinyin import sound_the_same
from cases.search.text import fold

THESAURUS_FILE = Path(__file__).resolve().parent / "thesaurus.toml"

SYNONYM = "synonym"
RELATED = "related"


class ThesaurusError(ValueError):
    """The thesaurus file cannot be read as concept groups (the message says where, in Chinese)."""


@dataclass(frozen=True)
class Concept:
    id: str
    term: str
    synonyms: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    note: str = ""

    @property
    def own_words(self) -> tuple[str, ...]:
        """The term and its synonyms: the words that stand for this concept."""
        return (self.term, *self.synonyms)


@dataclass
class Thesaurus:
    concepts: list[Concept] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_word: dict[str, Concept] = {}
        self._related_in: dict[str, list[Concept]] = {}
        for concept in self.concepts:
            for word in concept.own_words:
                self._by_word.setdefault(fold(word), concept)
        for concept in self.concepts:
            for word in concept.related:
                if fold(word) not in self._by_word:
                    self._related_in.setdefault(fold(word), []).append(concept)

    def __len__(self) -> int:
        return len(self.concepts)

    def concept_of(self, word: str) -> Concept | None:
        return self._by_word.get(fold(word))

    def near(self, word: str) -> str | None:
        """A word the thesaurus names one character away from ``word`` (水电费 -> 水电气费,
        农商行 -> 农商银行; a changed character must sound the same, see _near_enough), for words of three characters or more that
        it does not name; a concept's own word before a related one."""
        word = fold(word)
        if len(word) < 3 or word in self._by_word or word in self._related_in:
            return None
        for names in (self._by_word, self._related_in):
            candidates = [w for w in names if len(w) >= 3 and abs(len(w) - len(word)) <= 1]
            found = process.extract(word, candidates, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
            for other, _, _ in sorted(found, key=lambda item: (item[1], item[2])):
                if _near_enough(word, other):
                    return other
        return None

    def expansions(self, word: str) -> list[tuple[str, str]]:
        """What may stand for ``word``, each with its kind, synonyms first.

        - the term or a synonym of a concept: the concept's other words as synonyms, its related
          words as related;
        - a word that is only ``related`` somewhere: the words of those concepts, as related (a
          neighbouring need, so with the lower weight);
        - a word one character from one of those (see ``near``): that word as a synonym, and
          what it stands for.
        """
        own = fold(word)
        found: dict[str, str] = {}
        concept = self.concept_of(own)
        if concept is None and own not in self._related_in:
            near = self.near(own)
            if near is None:
                return []
            found[near] = SYNONYM
            own = near
            concept = self.concept_of(own)
        if concept is None:
            for neighbour in self._related_in.get(own, []):
                for other in neighbour.own_words:
                    found.setdefault(fold(other), RELATED)
        else:
            for other in concept.own_words:
                found.setdefault(fold(other), SYNONYM)
            for other in concept.related:
                found.setdefault(fold(other), RELATED)
        found.pop(fold(word), None)
        return list(found.items())

    def words(self) -> set[str]:
        """Every word the file names (folded): the segmenter keeps them whole."""
        return {fold(w) for c in self.concepts for w in (*c.own_words, *c.related)}


def _near_enough(word: str, other: str) -> bool:
    """A character added or left out (水电费 ~ 水电气费), one changed in a word of four or more
    (手机办事 ~ 手机办理), or one changed in a shorter word to one that sounds the same (a slip
    of pinyin input); not any changed character in three: 农机站 is not 农综站, 快递员 not 快递点."""
    if len(word) != len(other) or len(word) >= 4:
        return True  # a character added or left out, or one changed in a word of four or more
    return all(sound_the_same(a, b) for a, b in zip(word, other, strict=True) if a != b)


def _words(value, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ThesaurusError(f"{where}：{name} 应为非空字符串的列表。")
    return tuple(v.strip() for v in value)


def load_thesaurus(path: Path = THESAURUS_FILE) -> Thesaurus:
    """Read the concept groups; a missing file is an empty thesaurus (search works without it)."""
    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return Thesaurus()
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ThesaurusError(f"无法读取主题词表 {path}：{exc}") from exc
    tables = data.get("concept", [])
    if not isinstance(tables, list):
        raise ThesaurusError(f"主题词表 {path}：concept 应为 [[concept]] 表的列表。")
    concepts = []
    for index, table in enumerate(tables, start=1):
        where = f"主题词表第 {index} 组"
        if not isinstance(table, dict):
            raise ThesaurusError(f"{where}：应为 [[concept]] 表。")
        term = table.get("term")
        if not isinstance(term, str) or not term.strip():
            raise ThesaurusError(f"{where}：缺少 term（规范词）。")
        concepts.append(
            Concept(
                id=str(table.get("id") or f"concept-{index}"),
                term=term.strip(),
                synonyms=_words(table.get("synonyms"), where, "synonyms"),
                related=_words(table.get("related"), where, "related"),
                note=str(table.get("note") or ""),
            )
        )
    return Thesaurus(concepts)


@lru_cache(maxsize=1)
def get_thesaurus() -> Thesaurus:
    return load_thesaurus()
