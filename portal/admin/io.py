"""Spreadsheet import and export pieces shared by the admin of every app (django-import-export).

Spreadsheet formulas: a cell that begins with = + - @ (or a tab / carriage return) would be run by
Excel, so export prefixes it with an apostrophe, the usual "this is text" mark, and import removes
exactly that apostrophe again (portal/text.py, shared with the open-data CSV). (import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only
drops a leading "=", which both loses data and leaves + - @ open.)
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

from portal.text import unescape_formula, xlsx_safe  # one rule for every spreadsheet we write


def text(value) -> str:
    """A cell as trimmed text (a whole float such as 3.0 as "3")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class XLSX(base_formats.XLSX):
    """The xlsx format with a clear error for a file that is not a spreadsheet."""

    def create_dataset(self, in_stream):
        try:
            return super().create_dataset(in_stream)
        except Exception as exc:  # openpyxl raises many kinds for a non-xlsx file
            raise ValueError("文件不是有效的 Excel（.xlsx）表格，无法读取。") from exc


class CSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        try:
            return super().create_dataset(in_stream, **kwargs)
        except Exception as exc:
            raise ValueError("文件不是有效的 CSV（UTF-8）表格，无法读取。") from exc


IMPORT_FORMATS = [XLSX, CSV]
EXPORT_FORMATS = [XLSX, CSV]


class EscapingResource(resources.ModelResource):
    """Formula escaping, and row errors named by their column (标题) instead of the model field."""

    def export_field(self, field, instance, **kwargs):
        return xlsx_safe(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for key in list(row.keys()):
            row[key] = unescape_formula(row[key])

    def _by_column(self, error: ValidationError) -> ValidationError:
        if not hasattr(error, "error_dict"):
            return error
        columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        labels = {
            f.name: str(f.verbose_name)
            for f in self._meta.model._meta.get_fields()
            if hasattr(f, "verbose_name")
        }
        return ValidationError(
            {columns.get(key, labels.get(key, key)): value for key, value in error.error_dict.items()}
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise self._by_column(error) from error


class ColumnExportForm(SelectableFieldsExportForm):
    """The export's column check boxes labelled with the spreadsheet's own column names (标题 …)."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field is not None and field.column_name else field_name


def import_max_bytes() -> int:
    return getattr(settings, "CASE_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
