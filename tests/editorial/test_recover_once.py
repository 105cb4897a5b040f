"""恢复已删除的… is done once: a second POST (a double click, a second tab, a colleague at the same
moment) is told the record is back already — never a duplicate-key error. Sequential POSTs on
every database; two threads at once on PostgreSQL, where the two requests really overlap."""

import contextlib
import threading

import pytest
from django.db import connection

from awards.models import Unit
from cases.editorial import services
from cases.models import Case
from portal.admin import record_before_delete

from .browser import post_form
from .conftest import browser_for, make_user
from .steps import deleted_version, url

ALREADY = "已经恢复"


def delete_with_history(obj, user):
    pk = obj.pk
    record_before_delete([obj], user=user)
    type(obj).objects.get(pk=pk).delete()


def messages_after(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_second_recover_of_a_case_is_told_it_is_back(library):
    root = make_user("superuser")
    case = Case.objects.get(slug="2021-best-04")
    sections = case.sections.count()
    delete_with_history(case, root)
    version = deleted_version(Case, case.pk)
    first, second = browser_for(root), browser_for(make_user("superuser"))
    first_page = first.get(url("cases_case_recover", version.pk))
    second_page = second.get(url("cases_case_recover", version.pk))  # both saw the button

    assert post_form(first, first_page).status_code == 302
    response = post_form(second, second_page)
    assert ALREADY in messages_after(second, response)
    assert response["Location"] == url("cases_case_change", case.pk)
    assert Case.objects.get(pk=case.pk).sections.count() == sections


@pytest.mark.django_db
def test_the_service_refuses_a_second_recover_with_a_message(library):
    root = make_user("superuser")
    case = Case.objects.get(slug="2021-best-04")
    delete_with_history(case, root)
    version = deleted_version(Case, case.pk)
    services.case_recover(user=root, version=version)
    with pytest.raises(services.AlreadyRecoveredError) as error:
        services.case_recover(user=root, version=version)
    assert error.value.case.pk == case.pk


@pytest.mark.django_db
def test_a_second_recover_of_another_record_is_told_it_is_back(library):
    root = make_user("superuser")
    unit = Unit.objects.create(
        name="测试删除后恢复的单位", prefecture=Case.objects.first().unit.prefecture, level="prefecture"
    )
    delete_with_history(unit, root)
    version = deleted_version(Unit, unit.pk)
    first, second = browser_for(root), browser_for(root)
    first_page = first.get(url("awards_unit_recover", version.pk))
    second_page = second.get(url("awards_unit_recover", version.pk))
    assert post_form(first, first_page).status_code == 302
    assert ALREADY in messages_after(second, post_form(second, second_page))
    assert Unit.objects.filter(name="测试删除后恢复的单位").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two overlapping requests need PostgreSQL")
def test_two_recovers_at_the_same_moment_recover_once(transactional_library, monkeypatch):
    root = make_user("superuser")
    case = Case.objects.get(slug="2021-best-04")
    sections = case.sections.count()
    delete_with_history(case, root)
    version = deleted_version(Case, case.pk)
    clients = [browser_for(root), browser_for(root)]
    pages = [c.get(url("cases_case_recover", version.pk)) for c in clients]

    # Hold each request after it has planned (and found the case still deleted) until the other
    # has planned too, or two seconds have passed: the moment a duplicate insert would happen.
    both_planned = threading.Barrier(2, timeout=2)
    plan = services.case_recover_plan

    def planned(**kwargs):
        result = plan(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_planned.wait()
        return result

    monkeypatch.setattr(services, "case_recover_plan", planned)
    outcomes = [None, None]

    def post(i):
        try:
            outcomes[i] = post_form(clients[i], pages[i]).status_code
        except Exception as error:  # the test client re-raises a view's exception (a 500)
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes == [302, 302], outcomes
    assert Case.objects.filter(pk=case.pk).count() == 1
    assert Case.objects.get(pk=case.pk).sections.count() == sections
