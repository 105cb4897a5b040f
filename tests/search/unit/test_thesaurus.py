"""The thesaurus loader (cases/search/thesaurus.py) on small files of its own; the real file's
shape is checked by tests/search/test_thesaurus_file.py."""

import pytest

from cases.search.thesaurus import RELATED, SYNONYM, ThesaurusError, get_thesaurus, load_thesaurus

SAMPLE = """
[[concept]]
id = "postal"
term = "寄递物流"
synonyms = ["快递", "邮寄", "ＡＢ岗"]
related = ["农村电商"]
note = "for editors"

[[concept]]
id = "credit"
term = "信贷"
synonyms = ["贷款"]
related = ["农村电商", "征信"]
"""


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "thesaurus.toml"
    path.write_text(SAMPLE, encoding="utf-8")
    return load_thesaurus(path)


def test_a_term_or_synonym_widens_to_its_group(sample):
    assert len(sample) == 2
    assert dict(sample.expansions("快递")) == {
        "寄递物流": SYNONYM,
        "邮寄": SYNONYM,
        "ab岗": SYNONYM,
        "农村电商": RELATED,
    }
    assert sample.concept_of("邮寄").id == "postal" and sample.concepts[0].note == "for editors"


def test_a_word_only_related_widens_to_those_groups_as_related(sample):
    assert dict(sample.expansions("农村电商")) == {
        "寄递物流": RELATED,
        "快递": RELATED,
        "邮寄": RELATED,
        "ab岗": RELATED,
        "信贷": RELATED,
        "贷款": RELATED,
    }


def test_a_word_one_character_away_reads_as_that_word(sample):
    assert dict(sample.expansions("寄递物流网"))["寄递物流"] == SYNONYM
    assert sample.near("量子计算") is None and sample.expansions("量子") == []
    assert sample.near("快") is None  # too short to guess


def test_words_are_folded_and_listed_for_the_segmenter(sample):
    assert {"ab岗", "寄递物流", "征信"} <= sample.words()


def test_a_missing_file_is_an_empty_thesaurus(tmp_path):
    assert len(load_thesaurus(tmp_path / "none.toml")) == 0


@pytest.mark.parametrize(
    "text",
    [
        "[[concept]]\nid = 'x'\n",  # no term
        "[[concept]]\nterm = '快递'\nsynonyms = '邮寄'\n",  # not a list
        "[[concept]]\nterm = '快递'\nsynonyms = ['']\n",  # empty word
        "[[concept]\n",  # not TOML
        "concept = 3\n",
    ],
)
def test_a_broken_file_is_refused_with_a_chinese_message(tmp_path, text):
    path = tmp_path / "thesaurus.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThesaurusError, match="主题词表"):
        load_thesaurus(path)


def test_the_real_file_loads():
    thesaurus = get_thesaurus()
    assert 80 <= len(thesaurus) <= 150
    assert thesaurus.concept_of("寄递") is thesaurus.concept_of("快递")
