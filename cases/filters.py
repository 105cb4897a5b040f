"""The one FilterSet for case lists: the public list page and the JSON API both use it.

OR within a filter (several values of one parameter), AND across filters. ``q`` goes through
``cases.search``; the search outcome is kept on the filterset (``search_outcome``) for the caller.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.fields import ModelMultipleChoiceField

from awards.models import AwardTier, Notice, Prefecture, Unit
from awards.selectors import public_units
from cases.models import Case, Theme
from cases.search import apply_search
from cases.search.outcome import narrowed_to
from portal import memo
from portal.query import parse_positive_int

# ``ordering`` values (a leading "-" reverses): API parameter -> model fields. "notice" is the order
# of the notice's attachments, the default when no ordering is asked for and there is no search.
ORDERINGS = {
    "notice": ("notice__issued_on", "tier__order", "number"),
    "updated": ("updated",),
    "title": ("title",),
    "page": ("page",),
    "prefecture": ("unit__prefecture__order", "unit__name"),
}


class IdChoiceField(ModelMultipleChoiceField):
    """Ids that are not whole numbers in ASCII digits within the database's range are invalid choices
    before any query runs (SQLite raises OverflowError on them, which would be a 500)."""

    def _check_values(self, value):
        for pk in value:
            if parse_positive_int(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdChoiceField


class PublicUnitFilter(IdMultipleChoiceFilter):
    """Public units only (awards.selectors.public_units): a unit with only drafts is "no such
    unit", its name never shown. (The class-level queryset names the model for the schema.)"""

    def get_queryset(self, request):
        return public_units()


class CaseOrderingFilter(django_filters.OrderingFilter):
    """Comma-separated orderings such as ``-updated,title``; an unknown value is a form error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fields", {name: name for name in ORDERINGS})
        kwargs.setdefault(
            "field_labels",
            {
                "notice": "通报顺序",
                "updated": "更新时间",
                "title": "标题",
                "page": "汇编页码",
                "prefecture": "市（州）",
            },
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        fields = []
        for param in [v for v in value or [] if v]:  # "ordering=," leaves empty items behind
            descending = param.startswith("-")
            for field in ORDERINGS[param[1:] if descending else param]:
                fields.append(f"-{field}" if descending else field)
        return qs.order_by(*fields, "pk") if fields else qs


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="搜索")
    tier = django_filters.MultipleChoiceFilter(
        field_name="tier__slug", label="奖项类别", choices=[], widget=forms.CheckboxSelectMultiple
    )
    prefecture = django_filters.MultipleChoiceFilter(
        field_name="unit__prefecture__code", label="市（州）", choices=[], widget=forms.CheckboxSelectMultiple
    )
    level = django_filters.MultipleChoiceFilter(
        field_name="unit__level",
        label="单位层级",
        choices=Unit.Level.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    theme = django_filters.MultipleChoiceFilter(
        field_name="themes__slug",
        label="主题",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    unit = PublicUnitFilter(field_name="unit", queryset=Unit.objects.all(), label="单位")
    notice = django_filters.MultipleChoiceFilter(field_name="notice__number", label="通报文号", choices=[])
    # Last, so that an explicit ordering replaces the relevance order of ``q``.
    ordering = CaseOrderingFilter(label="排序")

    class Meta:
        model = Case
        fields = ["q", "tier", "prefecture", "level", "theme", "unit", "notice", "ordering"]

    def __init__(self, *args, choices: dict | None = None, **kwargs):
        """``choices``: from ``load_choices()``, when the caller has loaded them already."""
        super().__init__(*args, **kwargs)
        self.search_outcome = None
        self.choices = choices if choices is not None else self.load_choices()
        for name, options in self.choices.items():
            flt = self.filters[name]
            flt.extra["choices"] = options
            # A form field built earlier on the class-level filter (the OpenAPI generator builds
            # one) is deep-copied with its empty choices; drop it so it is rebuilt with these.
            flt.__dict__.pop("_field", None)

    @staticmethod
    def load_choices() -> dict[str, list[tuple[str, str]]]:
        """The options of the data-driven filters: read once per library version (portal.memo)."""
        return memo.get("case_filter_choices", None, CaseFilter._read_choices)

    @staticmethod
    def _read_choices() -> dict[str, list[tuple[str, str]]]:
        # From the data, so next year's notice, tiers and themes need no code change.
        return {
            "tier": list(
                AwardTier.objects.exclude(slug=AwardTier.Slug.ORGANIZING)
                .values_list("slug", "name")
                .distinct()
            ),
            "prefecture": list(Prefecture.objects.values_list("code", "name")),
            "theme": list(Theme.objects.values_list("slug", "name")),
            "notice": [(n, n) for n in Notice.objects.values_list("number", flat=True)],
        }

    def get_form_class(self):
        """The form class, built once per library version (portal.memo): its fields depend only on
        the filters' options, and building them per request (with their widgets) was a measurable
        share of a list page. Each form still deep-copies its fields, so no request sees another's."""
        # Built for this filter set alone when nothing is kept now (no reads of the options then), or
        # when its options are not the library's current ones (a caller's own).
        if memo.generation() is None or self.choices is not CaseFilter.load_choices():
            return super().get_form_class()
        return memo.get("case_filter_form", None, super().get_form_class)

    def filter_queryset(self, queryset):
        """The filtered cases; the search's outcome then says what is true of them (one place for
        the list page and the API: ``narrowed_to``), when another filter narrowed its results."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if self.search_outcome is not None and any(data.get(name) for name in self.filters if name != "q"):
            self.search_outcome = narrowed_to(self.search_outcome, queryset)
        return queryset

    def filter_search(self, queryset, name, value):
        self.search_outcome = apply_search(queryset, value)
        return self.search_outcome.queryset
