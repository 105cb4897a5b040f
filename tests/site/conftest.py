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


@pytest.fixture
def version_read_as_in_production(settings):
    """Query counts as a production process makes them: it reads the library version row at most once a
    second (``PAGE_CACHE_VERSION_SECONDS``), where tests read it on every request. A longer interval
    here keeps that amortised read out of the per-page count, even on a slow machine."""
    settings.PAGE_CACHE_VERSION_SECONDS = 60
