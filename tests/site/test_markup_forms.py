"""Every form a public page opens is closed: an unclosed form (the case page's 纠错 form once was)
takes in the controls after it."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/cases/", "/cases/?q=凉山", "/cases/2021-best-01/", "/feedback/", "/statistics/"]


class FormNesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth, self.worst, self.unmatched = 0, 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
            self.worst = max(self.worst, self.depth)

    def handle_endtag(self, tag):
        if tag == "form":
            if self.depth == 0:
                self.unmatched += 1
            self.depth = max(0, self.depth - 1)


@pytest.mark.parametrize("path", PAGES)
def test_every_form_on_a_public_page_is_closed_and_none_nests(client, library, path):
    response = client.get(path)
    assert response.status_code == 200
    parser = FormNesting()
    parser.feed(response.content.decode())
    assert (parser.depth, parser.worst <= 1, parser.unmatched) == (0, True, 0), path
