"""Editors read the errata on the notice page; the public never sees them (issue 13)."""

import pytest
from django.contrib.auth import get_user_model

from cases.models import Erratum

ERRATA_HEADING = "勘误记录"


@pytest.fixture
def notice_url(library):
    return library.get_absolute_url()


def signed_in(client, **flags):
    user = get_user_model().objects.create_user("reader-" + "-".join(sorted(flags)), **flags)
    client.force_login(user)
    return client


def test_the_public_notice_page_has_no_errata(client, notice_url):
    page = client.get(notice_url).content.decode()
    assert ERRATA_HEADING not in page and "鄢家镇" not in page


def test_a_signed_in_reader_who_is_not_staff_sees_no_errata(client, notice_url):
    page = signed_in(client).get(notice_url).content.decode()
    assert ERRATA_HEADING not in page


def test_staff_read_every_erratum_with_where_what_and_why(client, notice_url, library):
    response = signed_in(client, is_staff=True).get(notice_url)
    page = response.content.decode()
    errata = list(library.errata.all())
    assert f"{ERRATA_HEADING}（{len(errata)} 条，仅工作人员可见）" in page
    assert page.count('<li id="erratum-') == len(errata)
    yanjia = Erratum.objects.get(original="鄯家镇")
    item = page[page.index(f'id="erratum-{yanjia.pk}"') :]
    item = item[: item.index("</li>")]
    for part in (yanjia.location, "鄯家镇", "鄢家镇", "最佳案例第5号", yanjia.get_kind_display()):
        assert part in item
    assert "罗江区所辖镇的名称是“鄢家镇”" in item
    assert "/admin/cases/erratum/" in page


def test_the_page_cache_keeps_staff_and_public_pages_apart(client, notice_url):
    public = client.__class__()
    assert ERRATA_HEADING not in public.get(notice_url).content.decode()  # now in the page cache
    staff = signed_in(client, is_staff=True)
    assert ERRATA_HEADING in staff.get(notice_url).content.decode()
    assert ERRATA_HEADING not in public.get(notice_url).content.decode()


def test_the_errata_list_costs_one_query(client, notice_url):
    staff = signed_in(client, is_staff=True)
    public_queries = _count_queries(client.__class__(), notice_url)
    staff_queries = _count_queries(staff, notice_url)
    # The session and user lookups of a signed-in request, and one query for all errata.
    assert staff_queries - public_queries <= 3


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
