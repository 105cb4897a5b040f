"""The shape of the domain thesaurus (cases/search/thesaurus.toml), read as the engine reads it.

No database: the file is data that editors change by hand, so these checks guard every edit. The
case texts come from the committed library fixture, the same texts the library loads.
"""

import json
import re
import tomllib
from collections import defaultdict

import pytest
from django.conf import settings

from tests.search.thesaurus_table import (
    DOC,
    END,
    START,
    THESAURUS,
    load_concepts,
    render_table,
    replace_table,
)

KEYS = {"id", "term", "synonyms", "related", "note"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HAN = re.compile(r"[\u3400-\u9fff]")
# Words in (nearly) every case: as a synonym they would make any expanded query return the library.
GENERIC = {
    "服务", "办理", "办事", "群众", "便民", "政务", "审批", "窗口", "事项", "行政审批",
    "便民服务", "政务服务", "企业", "基层", "改革", "建设", "工作", "创新", "试点", "下沉",
    "满意度", "考核", "引导", "村", "镇", "社区",
}  # fmt: skip


@pytest.fixture(scope="module")
def concepts():
    with THESAURUS.open("rb") as handle:
        data = tomllib.load(handle)
    assert set(data) == {"concept"}, "the file holds only [[concept]] tables"
    return data["concept"]


@pytest.fixture(scope="module")
def case_texts():
    """Title, titles in the compendium, summary and every section of each case, by case pk."""
    rows = json.loads(settings.LIBRARY_FIXTURE.read_text(encoding="utf-8"))
    texts = {}
    for row in rows:
        if row["model"] == "cases.case":
            fields = row["fields"]
            aliases = fields.get("title_aliases") or []
            parts = [fields["title"], fields.get("title_in_compendium", ""), fields["summary"], *aliases]
            texts[row["pk"]] = "\n".join(parts)
    for row in rows:
        if row["model"] == "cases.casesection":
            fields = row["fields"]
            texts[fields["case"]] += "\n" + fields["heading"] + "\n" + "\n".join(fields["paragraphs"])
    return texts


def _own_words(concept):
    return [concept["term"], *concept["synonyms"]]


def _all_words(concept):
    return [*_own_words(concept), *concept.get("related", [])]


def test_thesaurus_holds_between_80_and_150_groups(concepts):
    assert 80 <= len(concepts) <= 150


def test_every_group_has_only_known_keys_of_the_right_types(concepts):
    for concept in concepts:
        assert set(concept) <= KEYS, concept.get("id")
        assert {"id", "term", "synonyms"} <= set(concept), concept.get("id")
        assert isinstance(concept["term"], str), concept["id"]
        for key in ("synonyms", "related"):
            value = concept.get(key, [])
            assert isinstance(value, list) and all(isinstance(w, str) for w in value), (concept["id"], key)
        assert isinstance(concept.get("note", ""), str), concept["id"]


def test_every_group_has_an_ascii_slug_id_that_no_other_group_uses(concepts):
    ids = [concept["id"] for concept in concepts]
    assert all(SLUG.fullmatch(i) for i in ids), [i for i in ids if not SLUG.fullmatch(i)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_group_has_a_non_empty_term_and_at_least_one_synonym(concepts):
    for concept in concepts:
        assert concept["term"].strip(), concept["id"]
        assert concept["synonyms"], concept["id"]


def test_no_word_is_the_term_or_a_synonym_of_two_groups(concepts):
    groups_of = defaultdict(list)
    for concept in concepts:
        for word in _own_words(concept):
            groups_of[word].append(concept["id"])
    assert {w: ids for w, ids in groups_of.items() if len(ids) > 1} == {}


def test_no_group_repeats_a_word_or_lists_its_own_words_as_related(concepts):
    for concept in concepts:
        words = _all_words(concept)
        assert len(words) == len(set(words)), (concept["id"], sorted(w for w in words if words.count(w) > 1))


def test_every_word_is_a_chinese_string_without_whitespace(concepts):
    bad = [
        (concept["id"], word)
        for concept in concepts
        for word in _all_words(concept)
        if not word or re.search(r"\s", word) or not HAN.search(word)
    ]
    assert bad == []


def test_generic_words_are_never_a_term_or_synonym(concepts):
    used = {(c["id"], w) for c in concepts for w in _own_words(c) if w in GENERIC}
    assert used == set()


def test_every_group_is_found_in_at_least_one_case_text(concepts, case_texts):
    assert len(case_texts) == 44
    missing = [
        concept["id"]
        for concept in concepts
        if not any(word in text for word in _own_words(concept) for text in case_texts.values())
    ]
    assert missing == []


def test_docs_table_is_the_one_generated_from_the_file():
    document = DOC.read_text(encoding="utf-8")
    assert replace_table(document, render_table(load_concepts())) == document, (
        "docs/thesaurus.md is out of date: run python -m tests.search.thesaurus_table"
    )


def test_table_generator_lists_every_group_and_replaces_only_between_the_markers(concepts):
    table = render_table(concepts)
    assert all(f"| `{concept['id']}` | {concept['term']} |" in table for concept in concepts)
    document = f"before\n{START}\nstale rows\n{END}\nafter\n"
    assert replace_table(document, table) == f"before\n{START}\n{table}\n{END}\nafter\n"


def test_table_generator_refuses_a_document_without_its_markers():
    with pytest.raises(ValueError):
        replace_table("no markers here", "| table |")
    with pytest.raises(ValueError):
        replace_table(f"{END}\n{START}", "| table |")
