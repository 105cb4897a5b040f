"""Spreadsheet import and export pieces shared by the admin of every app (django-import-export).

Spreadsheet formulas: a cell that begins with = + - @ (or a tab / carriage return) would be run by
Excel, so export prefixes it with an apostrophe, the usual "this is text" mark, and import removes
exactly that apostrophe again (portal/text.py, shared with the open-data CSV). (import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only
drops a leading "=", which both loses data and leaves + - @ open.)
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.http import content_disposition_header
from import_export import resources
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

from portal.text import (  # one rule for every spreadsheet we write
    unescape_formula,
    xlsx_safe,
)


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


# What a Chinese Excel saves as "CSV" is GB18030 (GBK); "CSV UTF-8" carries a byte-order mark.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file: UTF-8 (with or without BOM), else GB18030 / GBK."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(
        "无法识别 CSV 文件的文字编码（支持 UTF-8 与 GBK/GB18030）。请在 Excel 中“另存为”"
        "“CSV UTF-8（逗号分隔）”或 Excel（.xlsx）后重新上传。"
    )


class CSV(base_formats.CSV):
    """CSV read as bytes (the encoding is detected, decode_csv) and written with a UTF-8 BOM, so a
    Chinese Excel opens the export without garbling it."""

    def is_binary(self):
        return True  # import-export then stores and reads the upload as bytes

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes | bytearray):
            in_stream = decode_csv(bytes(in_stream))
        try:
            return super().create_dataset(in_stream.lstrip("\ufeff"), **kwargs)
        except Exception as exc:
            raise ValueError("文件不是有效的 CSV 表格，无法读取。") from exc

    def export_data(self, dataset, **kwargs):
        return ("\ufeff" + super().export_data(dataset, **kwargs)).encode("utf-8")


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


class SpreadsheetAdminMixin:
    """For admins with import-export: exports named in Chinese with the date (案例-2026-11-30.xlsx),
    sent with a header every browser reads (RFC 6266 ``filename*``)."""

    def get_export_filename(self, request, queryset, file_format):
        name = str(self.model._meta.verbose_name_plural or self.model._meta.verbose_name)
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


def import_max_bytes() -> int:
    return getattr(settings, "CASE_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
