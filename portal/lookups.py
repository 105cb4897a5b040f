"""``__in`` lookups on integer keys leave out the ids no column can hold.

A form field that checks several ids at once (a ModelMultipleChoiceField, the admin's search-select
box re-showing a submitted value) asks ``pk__in=[...]``. An id like 99999999999999999999999 made
that query raise OverflowError (a 500) on SQLite and a DataError on PostgreSQL; Django's own
``exact`` lookup already treats such a value as matching nothing. Here ``in`` does the same, on
every path: such an id matches no record, so the form says "选择一个有效的选项" in Chinese.
"""

from __future__ import annotations

from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


def _integer_range(field, connection):
    target = getattr(field, "target_field", None) if isinstance(field, ForeignKey) else field
    if not isinstance(target, IntegerField):
        return None
    return connection.ops.integer_field_range(target.get_internal_type())


class _InRange:
    def process_rhs(self, compiler, connection):
        bounds = _integer_range(self.lhs.output_field, connection) if self.rhs_is_direct_value() else None
        if bounds is not None:
            low, high = bounds
            kept = []
            for value in self.rhs:
                try:
                    number = int(value)
                except (TypeError, ValueError):
                    kept.append(value)
                    continue
                if (low is None or number >= low) and (high is None or number <= high):
                    kept.append(value)
            self.rhs = kept
        return super().process_rhs(compiler, connection)


class IntegerIn(_InRange, In):
    pass


class ForeignKeyIn(_InRange, RelatedIn):
    pass


def install() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignKey.register_lookup(ForeignKeyIn)
