"""Streaming exports: CSV for Excel (semicolon, UTF-8 with BOM) and XLSX.

Rows come from a generator over ``queryset.iterator``; neither format holds the list in
memory. CSV is written line by line into the response. XLSX must be a zip, so xlsxwriter
writes it in constant-memory mode to a temporary file, which is then streamed and removed.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.functional import Promise

BOM = "\ufeff"
# A header is text or a lazy translation, written in the language of the request.
StrOrPromise = str | Promise


class _Line:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


# A cell starting with one of these is a formula to Excel: free text (names, case ids)
# must never run as one, so it is prefixed with an apostrophe, which Excel hides.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def csv_response(
    filename: str, header: Iterable[StrOrPromise], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    # The header in the request's language now: the lines are written after the view returns.
    titles = [str(title) for title in header]
    response = StreamingHttpResponse(
        _csv_lines(titles, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str, sheet: str, header: Iterable[StrOrPromise], rows: Iterable[Iterable[Any]]
) -> FileResponse:
    # Deleted when the response closes the file, after the last chunk is sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    dates = workbook.add_format({"num_format": "dd.mm.yyyy"})
    for col, title in enumerate(header):
        worksheet.write_string(0, col, str(title), bold)
        worksheet.set_column(col, col, 16)
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, dt.date):
                worksheet.write_datetime(row_index, col, value, dates)
            elif value is None:
                worksheet.write_blank(row_index, col, None)
            elif isinstance(value, str):
                # Identity numbers are text: a leading zero must survive.
                worksheet.write_string(row_index, col, value)
            else:
                worksheet.write(row_index, col, value)
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@dataclass(frozen=True)
class Export:
    """One report as a download: its file name (without the date), the sheet, the columns,
    and the persons it shows, for the access log."""

    filename: str
    sheet: str
    header: Iterable[StrOrPromise]
    rows: Iterable[Iterable[Any]]
    person_ids: Iterable[int]


def export_response(
    fmt: str, export: Export, log: Callable[[Iterable[int]], None]
) -> HttpResponseBase:
    """The report in ``fmt`` (csv or xlsx), its persons logged first; any other format is
    not found, and nothing is logged for it."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    log(export.person_ids)
    name = f"{export.filename}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(name, export.header, export.rows)
    return xlsx_response(name, export.sheet, export.header, export.rows)
