import pytest

from cases.models import Case


@pytest.fixture
def facts(library):
    """Each published case's filterable facts, read straight from the models (not the selectors)."""
    rows = {}
    for case in Case.objects.filter(status=Case.Status.PUBLISHED).select_related("tier", "unit__prefecture"):
        rows[case.slug] = {
            "tier": case.tier.slug,
            "prefecture": case.unit.prefecture.code,
            "level": case.unit.level,
            "theme": set(case.themes.values_list("slug", flat=True)),
        }
    return rows


def expected_slugs(facts, selected: dict[str, list[str]]) -> set[str]:
    """OR within a filter, AND across filters, computed in Python over the facts."""

    def keep(row):
        for name, values in selected.items():
            if not values:
                continue
            have = row[name] if name == "theme" else {row[name]}
            if not have & set(values):
                return False
        return True

    return {slug for slug, row in facts.items() if keep(row)}
