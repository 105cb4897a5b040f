"""The policy as a table: role × write × record → applies now / held for review / refused
(docs/editorial.md shows the same table). Real users in the real groups, real records."""

import copy

import pytest
from django.contrib.auth.models import AnonymousUser, User

from awards.models import Notice, Unit
from cases.editorial import Action, Outcome, decide
from cases.editorial.policy import unit_is_public
from cases.models import Case, CaseChange, Erratum, Theme

from .conftest import make_user

pytestmark = pytest.mark.django_db

A, H, R = Outcome.APPLY, Outcome.HOLD, Outcome.REFUSE


@pytest.fixture
def records(library):
    published = Case.objects.get(slug="2021-best-01")
    draft = Case.objects.get(slug="2021-best-02")
    draft.status = Case.Status.DRAFT
    draft.save()
    private_unit = next(
        u for u in Unit.objects.all() if u.cases.count() == 1 and not u.organizing_awards.exists()
    )
    private_unit.cases.update(status=Case.Status.DRAFT)
    return {
        "published": published,
        "draft": draft,
        "published_section": published.sections.first(),
        "draft_section": draft.sections.first(),
        "published_erratum": Erratum.objects.filter(case__status=Case.Status.PUBLISHED).first(),
        "theme": Theme.objects.first(),
        "public_unit": published.unit,
        "private_unit": private_unit,
        "notice": library,
    }


def _with(obj, **values):
    other = copy.copy(obj)
    for name, value in values.items():
        setattr(other, name, value)
    return other


# (write, how to build target and proposed from the records) -> expected for editor, publisher, superuser
CASES = [
    ("add a draft case", Action.ADD, lambda r: (None, _with(r["draft"], pk=None)), (A, A, A)),
    ("add a published case", Action.ADD, lambda r: (None, _with(r["published"], pk=None)), (R, A, A)),
    ("change a draft", Action.CHANGE, lambda r: (r["draft"], _with(r["draft"], title="新")), (A, A, A)),
    (
        "change a published case",
        Action.CHANGE,
        lambda r: (r["published"], _with(r["published"], title="新")),
        (H, A, A),
    ),
    (
        "publish by the form",
        Action.CHANGE,
        lambda r: (r["draft"], _with(r["draft"], status="published")),
        (R, A, A),
    ),
    ("revert a draft", Action.REVERT, lambda r: (r["draft"], r["draft"]), (A, A, A)),
    ("revert a published case", Action.REVERT, lambda r: (r["published"], r["published"]), (H, A, A)),
    ("recover a case", Action.RECOVER, lambda r: (None, r["published"]), (A, A, A)),
    ("delete a published case", Action.DELETE, lambda r: (r["published"], None), (R, R, A)),
    ("import a new row", Action.IMPORT_NEW, lambda r: (None, _with(r["draft"], pk=None)), (A, A, A)),
    ("import a row of a draft", Action.IMPORT_CHANGE, lambda r: (r["draft"], r["draft"]), (A, A, A)),
    (
        "import a row of a published case",
        Action.IMPORT_CHANGE,
        lambda r: (r["published"], r["published"]),
        (H, A, A),
    ),
    ("publish", Action.PUBLISH, lambda r: (r["draft"], None), (R, A, A)),
    ("unpublish", Action.UNPUBLISH, lambda r: (r["published"], None), (R, A, A)),
    ("publish a held change", Action.CHANGE_PUBLISH, lambda r: (r["published"], None), (R, A, A)),
    ("return a held change", Action.CHANGE_RETURN, lambda r: (r["published"], None), (R, A, A)),
    (
        "change a section of a draft",
        Action.CHANGE,
        lambda r: (r["draft_section"], r["draft_section"]),
        (A, A, A),
    ),
    (
        "change a published section",
        Action.CHANGE,
        lambda r: (r["published_section"], r["published_section"]),
        (H, A, A),
    ),
    (
        "add a section to a published case",
        Action.ADD,
        lambda r: (None, _with(r["published_section"], pk=None)),
        (H, A, A),
    ),
    ("delete a published section", Action.DELETE, lambda r: (r["published_section"], None), (H, A, A)),
    ("delete a section of a draft", Action.DELETE, lambda r: (r["draft_section"], None), (A, A, A)),
    (
        "move a published section to a draft",
        Action.CHANGE,
        lambda r: (r["published_section"], _with(r["published_section"], case_id=r["draft"].pk)),
        (R, A, A),
    ),
    (
        "revert a published section",
        Action.REVERT,
        lambda r: (r["published_section"], r["published_section"]),
        (H, A, A),
    ),
    (
        "change a published erratum",
        Action.CHANGE,
        lambda r: (r["published_erratum"], r["published_erratum"]),
        (H, A, A),
    ),
    ("delete a published erratum", Action.DELETE, lambda r: (r["published_erratum"], None), (R, R, A)),
    ("change a theme", Action.CHANGE, lambda r: (r["theme"], r["theme"]), (R, A, A)),
    ("add a theme", Action.ADD, lambda r: (None, Theme(slug="x", name="新主题")), (R, A, A)),
    ("change a public unit", Action.CHANGE, lambda r: (r["public_unit"], r["public_unit"]), (R, A, A)),
    (
        "change a unit not yet public",
        Action.CHANGE,
        lambda r: (r["private_unit"], r["private_unit"]),
        (A, A, A),
    ),
    ("add a unit", Action.ADD, lambda r: (None, _with(r["private_unit"], pk=None)), (A, A, A)),
    ("change the notice", Action.CHANGE, lambda r: (r["notice"], r["notice"]), (R, R, A)),
]


@pytest.mark.parametrize(("label", "action", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_policy_table(records, users, label, action, build, expected):
    target, proposed = build(records)
    for role, outcome in zip(("editor", "publisher", "superuser"), expected, strict=True):
        decision = decide(user=users[role], action=action, target=target, proposed=proposed)
        assert decision.outcome is outcome, (label, role, decision.message)
        if outcome is not A:
            assert decision.message, (label, role)


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_and_non_staff_are_refused_everything(records, action):
    case = records["published"]
    signed_in_reader = User.objects.create_user("reader", password=None)
    for user in (None, AnonymousUser(), User(username="unsaved"), signed_in_reader):
        decision = decide(user=user, action=action, target=case, proposed=case)
        assert decision.refused and "登录" in decision.message


def test_new_cases_of_editors_are_drafts_whatever_they_say(records):
    editor = make_user("editor")
    for action in (Action.ADD, Action.RECOVER, Action.IMPORT_NEW):
        assert decide(user=editor, action=action, proposed=_with(records["draft"], pk=None)).force_draft
    assert not decide(
        user=make_user("publisher"), action=Action.RECOVER, proposed=records["published"]
    ).force_draft


def test_a_case_with_a_held_change_cannot_be_deleted_until_it_is_decided(records):
    case = records["published"]
    CaseChange.objects.create(case=case, payload={}, base={}, based_on_version=case.version)
    decision = decide(user=make_user("superuser"), action=Action.DELETE, target=case)
    assert decision.refused and "待审核" in decision.message


def test_a_unit_is_public_through_a_published_case_or_an_award(records):
    assert unit_is_public(records["public_unit"])
    assert not unit_is_public(records["private_unit"])
    awarded = Unit.objects.filter(organizing_awards__isnull=False).first()
    awarded.cases.update(status=Case.Status.DRAFT)
    assert unit_is_public(awarded)


def test_every_admin_path_is_covered_by_the_table():
    """No Action is left without a row (a new write path must get one)."""
    covered = {c[1] for c in CASES}
    assert covered == set(Action)


def test_the_other_public_records_are_for_superusers(records):
    notice = Notice.objects.first()
    assert decide(user=make_user("publisher"), action=Action.CHANGE, target=notice, proposed=notice).refused
