"""What the page and the API say was searched is what was searched: the readings put into the
query however it was spaced or cased, and never a suggestion of the text searched."""

import pytest
from rest_framework.test import APIClient

from cases.search.outcome import searched_text


@pytest.mark.parametrize(
    ("query", "readings", "searched"),
    [
        ("peng shan", [("pengshan", "彭山")], "彭山"),
        ("Peng Shan", [("pengshan", "彭山")], "彭山"),
        ("ya an", [("yaan", "雅安")], "雅安"),
        ("ya'an", [("yaan", "雅安")], "雅安"),
        ("peng-shan", [("pengshan", "彭山")], "彭山"),
        ("peng_shan 出生", [("pengshan", "彭山")], "彭山 出生"),
        ("村级代办点", [("村级代办点", "村级代办")], "村级代办"),
        ("容缺受里 凉山", [("容缺受里", "容缺受理")], "容缺受理 凉山"),
        ("凉山", [], "凉山"),
    ],
)
def test_the_searched_text_puts_in_every_reading_however_the_query_was_spaced(query, readings, searched):
    assert searched_text(query, readings) == searched


def test_a_piece_put_in_is_not_read_again():
    readings = [("政务服务网", "政务服务"), ("政务服务", "政务服务圈")]
    assert searched_text("政务服务网", readings) == "政务服务"


@pytest.mark.parametrize(
    "query", ["peng shan", "Peng Shan", "ya an", "ya'an", "peng-shan", "村级代办点", "容缺受里 凉山"]
)
def test_the_api_says_what_it_searched_as_its_readings_do(library, query):
    search = APIClient().get("/api/v1/cases/", {"q": query}).json()["search"]
    read = searched_text(query.lower() if query.isascii() else query, [])
    for reading in search["readings"]:
        read = searched_text(read, [(reading["typed"], reading["read_as"])])
    assert search["readings"]
    assert search["searched"] == search["corrected"] == read != query
    assert search["searched"] not in search["suggestions"]
