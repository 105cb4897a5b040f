"""The case form's sections and errata as staff use them (issue 18 items 2, 3 and 7): reordering
is one atomic save, an editor's section changes are held and publishable, errata fit the page and
take their notice from the case."""

import pytest

from cases.models import Case, CaseChange

from .browser import post_form
from .steps import change_case, inline_prefix, public_page, url

pytestmark = pytest.mark.django_db


def swap(a, b):
    def edit(page):
        pa, pb = inline_prefix(page, a.pk), inline_prefix(page, b.pk)
        return {f"{pa}-order": b.order, f"{pb}-order": a.order}

    return edit


def orders(case):
    return list(case.sections.order_by("order").values_list("pk", flat=True))


def publish(client, change):
    page = client.get(url("cases_case_change_detail", change.case_id, change.pk))
    return post_form(client, page, button="发布")


def test_publisher_swaps_two_sections_in_one_save(browsers, reader):
    case = Case.objects.get(slug="2021-best-02")
    first, second, third = list(case.sections.order_by("order"))[:3]
    response = change_case(browsers["publisher"], case, edit=swap(second, third))
    assert response.status_code == 302
    assert orders(case)[:3] == [first.pk, third.pk, second.pk]
    html = public_page(reader, case)
    assert html.index(third.heading) < html.index(second.heading)


def test_two_sections_with_the_same_order_are_a_form_error(browsers):
    case = Case.objects.get(slug="2021-best-02")
    first, second = list(case.sections.order_by("order"))[:2]
    before = orders(case)

    def same(page):
        return {f"{inline_prefix(page, second.pk)}-order": first.order}

    response = change_case(browsers["publisher"], case, edit=same)
    assert response.status_code == 200
    assert "顺序相同" in response.content.decode()
    assert orders(case) == before


def test_an_editors_reorder_of_a_published_case_is_held_and_publishes(browsers, reader):
    case = Case.objects.get(slug="2021-best-02")
    first, second, third = list(case.sections.order_by("order"))[:3]
    change_case(browsers["editor"], case, edit=swap(second, third))
    assert orders(case)[:3] == [first.pk, second.pk, third.pk]  # held
    change = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    publish(browsers["publisher"], change)
    change.refresh_from_db()
    assert change.state == CaseChange.State.PUBLISHED
    assert orders(case)[:3] == [first.pk, third.pk, second.pk]


def new_section_row(case, count: int) -> dict:
    """The case form's data for one more section row (四、编辑新增) after its ``count`` sections."""
    return {
        "sections-TOTAL_FORMS": count + 1,
        f"sections-{count}-order": 50,
        f"sections-{count}-heading": "四、编辑新增",
        f"sections-{count}-paragraphs": "新增的一段。",
        f"sections-{count}-case": case.pk,
    }


def test_a_section_an_editor_adds_to_a_published_case_is_held_and_publishes(browsers, reader):
    case = Case.objects.get(slug="2021-best-03")
    count = case.sections.count()

    def add(page):
        return new_section_row(case, count)

    change_case(browsers["editor"], case, edit=add)
    assert case.sections.count() == count
    change = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    publish(browsers["publisher"], change)
    assert case.sections.filter(heading="四、编辑新增", paragraphs=["新增的一段。"]).exists()
    assert "四、编辑新增" in public_page(reader, case)


def test_erratum_inline_is_stacked_and_takes_the_notice_from_the_case(browsers):
    case = Case.objects.get(slug="2021-best-04")
    page = browsers["publisher"].get(url("cases_case_change", case.pk))
    html = page.content.decode()
    assert 'id="errata-group"' in html
    assert "tabular" not in html.split('id="errata-group"', 1)[1][:400]
    count = case.errata.count()

    def add(page):
        return {
            "errata-TOTAL_FORMS": count + 1,
            f"errata-{count}-kind": "spelling",
            f"errata-{count}-location": "正文第2段",
            f"errata-{count}-original": "登纪",
            f"errata-{count}-corrected": "登记",
            f"errata-{count}-reason": "错别字",
            f"errata-{count}-notice": "",
            f"errata-{count}-case": case.pk,
        }

    response = change_case(browsers["publisher"], case, edit=add)
    assert response.status_code == 302, response.content.decode()[:2000]
    erratum = case.errata.get(original="登纪")
    assert erratum.notice_id == case.notice_id


def test_an_erratum_error_is_shown_beside_its_field(browsers):
    case = Case.objects.get(slug="2021-best-04")
    count = case.errata.count()

    def add(page):
        return {
            "errata-TOTAL_FORMS": count + 1,
            f"errata-{count}-kind": "spelling",
            f"errata-{count}-location": "正文第2段",
            f"errata-{count}-original": "相同",
            f"errata-{count}-corrected": "相同",
            f"errata-{count}-reason": "",
            f"errata-{count}-case": case.pk,
        }

    response = change_case(browsers["publisher"], case, edit=add)
    assert response.status_code == 200
    html = response.content.decode()
    # The stacked inline puts each field's error in that field's own row.
    row = html.split('class="form-row errors field-reason', 1)[1].split('class="form-row', 1)[0]
    assert "errorlist" in row


def test_paragraph_boundaries_are_visible_and_the_textarea_fits_the_text(browsers):
    case = Case.objects.get(slug="2021-best-02")
    section = max(case.sections.all(), key=lambda s: len(s.paragraphs))
    page = browsers["editor"].get(url("cases_case_change", case.pk))
    formset = page.context["inline_admin_formsets"][0].formset
    form = next(f for f in formset.forms if f.instance.pk == section.pk)
    shown = form["paragraphs"].value()
    rendered = form.fields["paragraphs"].prepare_value(shown)
    assert rendered == "\n\n".join(section.paragraphs)  # an empty line between paragraphs
    rows = int(form.fields["paragraphs"].widget.attrs["rows"])
    assert rows >= sum(len(p) for p in section.paragraphs) // 40
    # The empty lines are not stored: saving unchanged changes nothing.
    assert not form.fields["paragraphs"].has_changed(section.paragraphs, rendered)
    assert form.fields["paragraphs"].clean(rendered) == section.paragraphs


def test_the_form_shows_an_editors_pending_sections_and_saving_it_again_adds_nothing(browsers):
    case = Case.objects.get(slug="2021-best-03")
    count = case.sections.count()
    first = case.sections.order_by("order").first()

    def add(page):
        return {**new_section_row(case, count), f"{inline_prefix(page, first.pk)}-heading": "改过的标题"}

    response = change_case(browsers["editor"], case, edit=add)
    assert response["Location"] == url("cases_case_change", case.pk)
    page = browsers["editor"].get(response["Location"])
    html = page.content.decode()
    assert "四、编辑新增" in html and "新增的一段。" in html and 'value="改过的标题"' in html
    assert 'id="own-pending-note"' in html
    # Saving the prefilled form unchanged submits nothing new and keeps the one pending change.
    again = post_form(browsers["editor"], page, form_id="case_form")
    messages = [str(m) for m in browsers["editor"].get(again["Location"]).context["messages"]]
    assert any("没有新的修改" in m for m in messages)
    (change,) = CaseChange.objects.filter(case=case, state=CaseChange.State.PENDING)
    assert any(s["heading"] == "四、编辑新增" for s in change.payload["sections"])
    # A further edit replaces the submission; the earlier one is closed with a note.
    page = browsers["editor"].get(url("cases_case_change", case.pk))
    post_form(browsers["editor"], page, form_id="case_form", changes={"title": case.title + "（再改）"})
    pending = CaseChange.objects.get(case=case, state=CaseChange.State.PENDING)
    assert pending.pk != change.pk
    assert any(s["heading"] == "四、编辑新增" for s in pending.payload["sections"])
    change.refresh_from_db()
    assert change.state == CaseChange.State.RETURNED and "取代" in change.note


def test_a_publisher_is_warned_before_saving_over_a_pending_change(browsers):
    case = Case.objects.get(slug="2021-best-02")
    change_case(browsers["editor"], case, {"title": case.title + "（编辑）"})
    html = browsers["publisher"].get(url("cases_case_change", case.pk)).content.decode()
    note = html.split('id="other-pending-note"', 1)[1].split("</div>", 1)[0]
    assert "另有 1 项待审核的修改" in note and "将不能直接发布" in note
