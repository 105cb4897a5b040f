"""The index follows every edit in the same transaction, and related cases are precomputed."""

from django.core.management import call_command

from awards.models import Prefecture, Unit
from cases.models import Case, CaseSection, SearchDocument, Theme
from cases.search import apply_search
from cases.search.index import backend
from cases.search.similarity import related_case_ids, related_cases
from tests.editing import form_save


def found(query):
    return list(apply_search(Case.objects.all(), query).queryset.values_list("pk", flat=True))


def pengshan():
    return Case.objects.get(unit__county="彭山区")


def test_changed_title_is_found_at_once(library):
    case = pengshan()
    assert case.pk not in found("蜀道通衢")
    case.title = "蜀道通衢便民服务新探索"
    case.save()
    assert found("蜀道通衢")[0] == case.pk


def test_new_and_deleted_sections(library):
    case = pengshan()
    section = CaseSection.objects.create(
        case=case, order=99, heading="四、附记", paragraphs=["青龙湖畔的示范站点"]
    )
    assert case.pk in found("青龙湖畔")
    section.paragraphs = ["白鹭洲头的示范站点"]
    section.save()
    assert case.pk not in found("青龙湖畔") and case.pk in found("白鹭洲头")
    section.delete()
    assert case.pk not in found("白鹭洲头")


def test_theme_changes(library):
    case = pengshan()
    theme = Theme.objects.create(slug="river-boats", name="琥珀琉璃", order=99)
    assert case.pk not in found("琥珀琉璃")
    case.themes.add(theme)
    assert found("琥珀琉璃") == [case.pk]
    theme.name = "翡翠玛瑙"
    theme.save()
    assert found("翡翠玛瑙") == [case.pk] and not found("琥珀琉璃")
    theme.cases.remove(case)
    assert not found("翡翠玛瑙")
    case.themes.add(theme)
    theme.cases.clear()
    assert not found("翡翠玛瑙")
    case.themes.add(theme)
    theme.delete()
    assert not found("翡翠玛瑙")


def test_unit_and_prefecture_changes(library):
    case = pengshan()
    unit = case.unit
    unit.aliases = [*unit.aliases, "彭祖故里办事处"]
    unit.save()
    assert found("彭祖故里")[0] == case.pk
    prefecture = Prefecture.objects.get(short_name="眉山")
    prefecture.full_name = "眉州千载诗书城"
    prefecture.save()
    assert case.pk in found("千载诗书")


def test_deleted_case_leaves_the_index(library):
    case = Case.objects.get(unit__county="雁江区")
    case.errata.all().delete()
    pk = case.pk
    case.delete()
    assert not SearchDocument.objects.filter(case_id=pk).exists()
    assert pk not in found("柑橘")


def test_new_case_is_indexed(library):
    template = pengshan()
    unit = Unit.objects.get(county="雷波县")
    case = Case.objects.create(
        notice=template.notice,
        tier=template.tier,
        number=99,
        title="山鹰驿站把服务送到高山彝寨",
        unit=unit,
        slug="test-new-case",
        status=Case.Status.PUBLISHED,
    )
    assert found("山鹰驿站") == [case.pk]
    assert case.pk in found("雷波")


def test_rebuild_command(library):
    backend().clear()
    assert not found("彭山") and not SearchDocument.objects.exists()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SearchDocument.objects.count() == 44
    assert found("彭山")[0] == pengshan().pk


def test_related_cases_are_precomputed_and_sensible(library):
    case = Case.objects.get(unit__township="礼州镇")
    related = related_case_ids(case, limit=5)
    assert len(related) == 5 and case.pk not in related
    # The other 政务+金融 case from 西昌 is among the closest.
    dachang = Case.objects.get(unit__township="大兴乡")
    assert dachang.pk in related
    assert [c.pk for c in related_cases(case, limit=3)] == related[:3]
    for document in SearchDocument.objects.all():
        assert document.related, document.case_id


def test_a_bulk_delete_and_an_editorial_save_re_index_each_case_once(library, monkeypatch):
    """Each re-index refreshes the word counts of the whole library (0.3 s on PostgreSQL): a bulk
    delete of many sections once took minutes, one refresh per row."""
    from cases.editorial import case_snapshot
    from cases.search import index

    calls = []
    real = index.refresh_related
    monkeypatch.setattr(index, "refresh_related", lambda **kw: calls.append(kw) or real(**kw))
    cases = list(Case.objects.filter(sections__isnull=False).distinct()[:3])
    for case in cases:
        CaseSection.objects.create(case=case, order=98, heading="附", paragraphs=["琥珀湾的示范站点"])
    calls.clear()
    assert set(found("琥珀湾")) == {c.pk for c in cases}
    CaseSection.objects.filter(order=98).delete()
    assert len(calls) == 1 and calls[0]["changed"] == {c.pk for c in cases}
    assert not found("琥珀湾")

    case = cases[0]
    payload = case_snapshot(case)
    payload["fields"]["title"] = "琥珀湾便民服务"
    for section in payload["sections"]:
        section["paragraphs"] = [*section["paragraphs"], "琥珀湾"]
    calls.clear()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("chief-batch", password=None)
    form_save(user, case, payload, "改")
    assert len(calls) == 1 and found("琥珀湾") == [case.pk]
