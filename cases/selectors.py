"""Read-side queries for the public case pages: the filtered list with its facet counts, a case's
neighbours in the notice's order and its related cases.

Every function here returns only published cases: drafts never reach a public page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

from django.db.models import Case as When_
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Lag, Lead
from django.http import QueryDict

from awards.selectors import public_units
from cases.filters import CaseFilter
from cases.models import Case, Theme
from cases.search import SearchOutcome, counting_hints, similarity
from portal import memo
from portal.query import parse_positive_int

# The filters shown as facets, in the order the list page shows them, with the field each counts on.
FACETS = {
    "tier": "tier__slug",
    "prefecture": "unit__prefecture__code",
    "level": "unit__level",
    "theme": "themes__slug",
}

SORTS = {
    "notice": "通报顺序",
    "prefecture": "按市（州）",
    "relevance": "相关度",
}

# An echoed bad value is cut to this many characters in the message.
MAX_ECHO = 30


def published_cases() -> QuerySet:
    return Case.objects.published()


def case_list_queryset() -> QuerySet:
    """Published cases with everything a list row shows, fetched in a fixed number of queries."""
    return published_cases().select_related("notice", "tier", "unit__prefecture").prefetch_related("themes")


def order_cases(queryset: QuerySet, sort: str) -> QuerySet:
    if sort == "prefecture":
        return queryset.order_by("unit__prefecture__order", "notice__issued_on", "tier__order", "number")
    if sort == "relevance":
        # apply_search already ordered by relevance; keep the notice order among equals.
        return queryset
    return queryset.in_notice_order()


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]

    @property
    def selected(self) -> list[FacetOption]:
        return [o for o in self.options if o.selected]

    @property
    def shown(self) -> list[FacetOption]:
        """The options a reader sees at once: those that find cases, and every selected one."""
        return [o for o in self.options if o.count or o.selected]

    @property
    def empty(self) -> list[FacetOption]:
        """Options that would find nothing with the other filters (behind "显示全部")."""
        return [o for o in self.options if not (o.count or o.selected)]


@dataclass
class ActiveFilter:
    name: str
    label: str
    value: str
    value_label: str


@dataclass
class CaseListing:
    filterset: CaseFilter
    facets: list[Facet]
    active: list[ActiveFilter]
    sort: str
    query: str
    outcome: SearchOutcome | None = None
    messages: list[str] = field(default_factory=list)
    # What the list's cases depend on besides the library: the cleaned filters (search words
    # included) and the sort. Pages and counts may be kept under it (portal.memo).
    key: tuple = ()
    # Builds the ordered queryset (runs the search): only when a page or count is not kept.
    build_queryset: Callable[[], QuerySet] | None = field(default=None, repr=False)

    @cached_property
    def queryset(self) -> QuerySet:
        return self.build_queryset()


def _echo(value: str) -> str:
    value = "".join(ch for ch in value if ch.isprintable())
    return value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + "…"


def clean_params(data: QueryDict, choices: dict | None = None) -> tuple[QueryDict, list[str]]:
    """Drop the values the filters cannot use, keeping the rest, and say in Chinese what was dropped.

    The API answers 400 on the same form errors; a reader of the HTML list gets the other filters.
    """
    probe = CaseFilter(data, queryset=Case.objects.none(), choices=choices)
    if probe.is_valid():
        return data, []
    cleaned = data.copy()
    messages = []
    for name in probe.form.errors:
        flt = probe.filters.get(name)
        if flt is None:
            continue
        label = flt.label
        values = data.getlist(name)
        if name == "q":
            # Null bytes and other control characters cannot be searched for.
            kept = ["".join(ch for ch in v if ch.isprintable() or ch.isspace()) for v in values]
            cleaned.setlist(name, kept[:1])
            messages.append("搜索词中含有无法识别的字符，已忽略这些字符。")
            continue
        if name == "unit":
            ids = [pk for pk in map(parse_positive_int, values) if pk is not None]
            valid = {str(pk) for pk in public_units().filter(pk__in=ids).values_list("pk", flat=True)}
        else:
            valid = {str(value) for value, _ in flt.extra.get("choices", [])}
        kept = [v for v in values if v in valid]
        for bad in values:
            # An empty value (``?tier=``) is no choice at all: drop it without a message.
            if bad.strip() and bad not in valid:
                messages.append(f"没有{label}为“{_echo(bad)}”的案例，已忽略这一筛选条件。")
        cleaned.setlist(name, kept)
    return cleaned, messages


# The facets that are a field of the case's own row (through foreign keys): one value per case, so
# their counts come from one GROUP BY over the combinations, and each facet's "other filters" among
# them are applied to the combinations in Python (``_row_facet_counts``).
ROW_FACETS = ("tier", "prefecture", "level")


def _narrowed(filterset: CaseFilter, base: QuerySet, skip: tuple[str, ...]) -> QuerySet:
    """``base`` with every active filter but ``skip`` (and the search, which ``base`` already ran)."""
    data = filterset.form.cleaned_data
    queryset = base
    for name, flt in filterset.filters.items():
        if name not in (*skip, "q"):
            queryset = flt.filter(queryset, data.get(name))
    # Each case once, however many rows a filter's joins gave it.
    return Case.objects.filter(pk__in=queryset.values("pk"))


def _row_facet_counts(filterset: CaseFilter, base: QuerySet) -> dict[str, dict[str, int]]:
    """How many cases each option of the tier, prefecture and level facets gives with all the *other*
    active filters applied, in one query: the cases matching every filter but these three, counted by
    (tier, prefecture, level); a facet's count sums the combinations the other two's choices allow."""
    data = filterset.form.cleaned_data
    fields = [FACETS[name] for name in ROW_FACETS]
    rows = [
        (tuple(row[f] for f in fields), row["n"])
        for row in _narrowed(filterset, base, ROW_FACETS).values(*fields).annotate(n=Count("pk")).order_by()
    ]
    chosen = {name: {str(v) for v in data.get(name) or []} for name in ROW_FACETS}
    counts: dict[str, dict[str, int]] = {name: {} for name in ROW_FACETS}
    for values, n in rows:
        for index, name in enumerate(ROW_FACETS):
            if all(
                not chosen[other] or str(values[j]) in chosen[other]
                for j, other in enumerate(ROW_FACETS)
                if other != name
            ):
                counts[name][values[index]] = counts[name].get(values[index], 0) + n
    return counts


def _facet_counts(filterset: CaseFilter, base: QuerySet, facet: str) -> dict[str, int]:
    """How many cases each option of ``facet`` gives with all the *other* active filters applied.

    ``base`` is already narrowed by the search, so the search runs once, not once per facet.
    """
    rows = _narrowed(filterset, base, (facet,)).values(FACETS[facet]).annotate(n=Count("pk")).order_by()
    return {row[FACETS[facet]]: row["n"] for row in rows}


def facet_counts(filterset: CaseFilter, base: QuerySet) -> dict[str, dict[str, int]]:
    """Every facet's counts (facet -> option value -> cases), in two queries whatever is selected."""
    counts = _row_facet_counts(filterset, base)
    counts.update({name: _facet_counts(filterset, base, name) for name in FACETS if name not in ROW_FACETS})
    return counts


def list_cases(data: QueryDict) -> CaseListing:
    """The public list: filters, facet counts and order, from the request's query string."""
    choices = CaseFilter.load_choices()  # once for every filter set below
    base = case_list_queryset()
    filterset = CaseFilter(data, queryset=base, choices=choices)
    messages = []
    if not filterset.is_valid():
        # Rare (a made-up value): one more filter set, with what could not be used left out.
        data, messages = clean_params(data, choices)
        filterset = CaseFilter(data, queryset=base, choices=choices)
        filterset.is_valid()
    cleaned = filterset.form.cleaned_data
    # The counts, the search and the pages depend only on the library and the cleaned filters
    # (search words included; the query as typed: what it is read as is the search's business).
    state = tuple(sorted((name, tuple(sorted(map(str, data.getlist(name))))) for name in filterset.filters))
    ran = {}  # the search as run in this request, when something was not kept

    def run():
        if not ran:
            ran["qs"], ran["outcome"] = filterset.qs, filterset.search_outcome
        return ran

    # A search is run once per library version (portal.memo): what it found is kept apart from
    # its queryset (whose SQL may name functions of this connection), and pages are kept below.
    searching = cleaned.get("q") not in (None, "")
    outcome = memo.get("search_outcome", state, lambda: _kept(run()["outcome"])) if searching else None
    query = outcome.query if outcome else ""

    sort = data.get("sort", "")
    if sort not in SORTS or (sort == "relevance" and not query):
        if sort:
            messages.append(f"无法按“{_echo(sort)}”排序，已按默认顺序排列。")
        sort = "relevance" if query else "notice"

    if outcome and outcome.truncated:
        messages.append(f"搜索词过长，只按前 {len(outcome.query)} 个字搜索。")

    facets = []
    active = []

    def count_facets():
        found = run()["outcome"]
        facet_base = base.filter(pk__in=found.queryset.values("pk")) if found else base
        with counting_hints(found.queryset if found else base):
            return facet_counts(filterset, facet_base)

    counts_by_facet = memo.get("facet_counts", state, count_facets)
    for name in FACETS:
        flt = filterset.filters[name]
        selected = [str(v) for v in cleaned.get(name) or []]
        counts = counts_by_facet[name]
        options = [
            FacetOption(
                value=str(value),
                label=str(label),
                count=counts.get(value, 0),
                selected=str(value) in selected,
            )
            for value, label in flt.extra["choices"]
        ]
        facets.append(Facet(name=name, label=str(flt.label), options=options))
        active += [
            ActiveFilter(name=name, label=str(flt.label), value=o.value, value_label=o.label)
            for o in options
            if o.selected
        ]
    for unit in cleaned.get("unit") or []:
        active.append(ActiveFilter(name="unit", label="单位", value=str(unit.pk), value_label=unit.name))
    for number in cleaned.get("notice") or []:
        active.append(ActiveFilter(name="notice", label="通报", value=number, value_label=number))

    return CaseListing(
        filterset=filterset,
        facets=facets,
        active=active,
        sort=sort,
        query=query,
        outcome=outcome,
        messages=messages,
        key=(state, sort),
        build_queryset=lambda: order_cases(run()["qs"], sort),
    )


def _kept(outcome: SearchOutcome | None) -> SearchOutcome | None:
    """What a search found, without its queryset: kept per library version and shared by requests
    (read only). The word counts stay (passages weigh their marks with them)."""
    return None if outcome is None else replace(outcome, queryset=None)


def neighbours(case: Case) -> tuple[dict | None, dict | None]:
    """The published cases before and after ``case`` in the notice's order (one query).

    The database numbers the order (LAG/LEAD over it) and returns only the two rows next to ``case``:
    at 20,000 cases, reading every row's title into Python to find them was most of a case page.
    """
    order = ["notice__issued_on", "tier__order", "number"]
    rows = list(
        published_cases()
        .annotate(
            before_pk=Window(Lag("pk"), order_by=[F(name).asc() for name in order]),
            after_pk=Window(Lead("pk"), order_by=[F(name).asc() for name in order]),
        )
        .filter(Q(after_pk=case.pk) | Q(before_pk=case.pk))
        .values("pk", "slug", "title", "number", "tier__name", "before_pk", "after_pk")
    )
    fields = ("pk", "slug", "title", "number", "tier__name")
    previous = next(({f: r[f] for f in fields} for r in rows if r["after_pk"] == case.pk), None)
    following = next(({f: r[f] for f in fields} for r in rows if r["before_pk"] == case.pk), None)
    return previous, following


def related_cases(case: Case, limit: int = 5) -> list[Case]:
    """Published cases to read next: the most similar texts (TF-IDF, stored when a case changes),
    topped up with cases sharing the most themes, then the same prefecture."""
    picked = similarity.related_cases(case, limit=limit)
    if len(picked) < limit:
        picked += _related_by_themes(case, exclude=[c.pk for c in picked], limit=limit - len(picked))
    return picked


def _related_by_themes(case: Case, *, exclude: list[int], limit: int) -> list[Case]:
    theme_ids = list(case.themes.values_list("pk", flat=True))
    queryset = (
        published_cases()
        .exclude(pk__in=[case.pk, *exclude])
        .annotate(
            shared_themes=Count("themes", filter=Q(themes__in=theme_ids), distinct=True),
            same_prefecture=When_(
                When(unit__prefecture_id=case.unit.prefecture_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(shared_themes__gt=0) | Q(same_prefecture=1))
        .select_related("tier", "unit__prefecture")
        .order_by("-shared_themes", "-same_prefecture", "notice__issued_on", "tier__order", "number")
    )
    return list(queryset[:limit])


def themes_with_counts() -> QuerySet:
    return Theme.objects.annotate(
        case_count=Count("cases", filter=Q(cases__status=Case.Status.PUBLISHED), distinct=True)
    ).order_by("order", "slug")


def case_last_published_change(case: Case) -> datetime:
    """When the public text of ``case`` last changed (an aware datetime): its ``updated`` time.

    The one place that says which field that is: case pages, list cards, the notice page and the
    Word download show "更新日期" through this function (and ``notice_last_published_change``).
    When published changes are recorded apart from drafts, only this function changes.
    """
    return case.updated


def notice_last_published_change(cases) -> datetime | None:
    """The latest ``case_last_published_change`` of ``cases`` (a notice's published cases); None if empty."""
    return max((case_last_published_change(case) for case in cases), default=None)
