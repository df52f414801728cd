"""Downloads of returns as CSV, XLSX and JSON: a council's own return for its people, a round's for national admins."""

import tempfile
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, StreamingHttpResponse

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.queries import get_return_for_user, get_round_for_admin
from nps.insights.exports import Export, csv_pieces, in_blocks, json_pieces, return_export, round_export, write_workbook

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json"
SPOOL_SIZE = 1024 * 1024  # workbooks larger than this go to disk while they are written


def attachment(blocks: Iterator[bytes], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(blocks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(export: Export, table: str = "answers") -> StreamingHttpResponse:
    filename = export.filename if table == "answers" else f"{export.filename}-{table}"
    return attachment(in_blocks(csv_pieces(export.table(table))), CSV, f"{filename}.csv")


def json_response(export: Export) -> StreamingHttpResponse:
    return attachment(in_blocks(json_pieces(export)), JSON, f"{export.filename}.json")


def xlsx_response(export: Export) -> FileResponse:
    """openpyxl needs the whole file before it is sent, so the workbook goes to a temporary file first."""
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_SIZE)
    write_workbook(export, file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=f"{export.filename}.xlsx", content_type=XLSX)


@login_required
def return_csv(request: AuthenticatedRequest, gss_code: str, round_id: int) -> StreamingHttpResponse:
    return csv_response(return_export(get_return_for_user(request.user, gss_code, round_id)))


@login_required
def return_actions_csv(request: AuthenticatedRequest, gss_code: str, round_id: int) -> StreamingHttpResponse:
    return csv_response(return_export(get_return_for_user(request.user, gss_code, round_id)), "actions")


@login_required
def return_xlsx(request: AuthenticatedRequest, gss_code: str, round_id: int) -> FileResponse:
    return xlsx_response(return_export(get_return_for_user(request.user, gss_code, round_id)))


@login_required
def return_json(request: AuthenticatedRequest, gss_code: str, round_id: int) -> StreamingHttpResponse:
    return json_response(return_export(get_return_for_user(request.user, gss_code, round_id)))


@login_required
def round_csv(request: AuthenticatedRequest, round_id: int) -> StreamingHttpResponse:
    return csv_response(round_export(get_round_for_admin(request.user, round_id)))


@login_required
def round_xlsx(request: AuthenticatedRequest, round_id: int) -> FileResponse:
    return xlsx_response(round_export(get_round_for_admin(request.user, round_id)))


@login_required
def round_json(request: AuthenticatedRequest, round_id: int) -> StreamingHttpResponse:
    return json_response(round_export(get_round_for_admin(request.user, round_id)))
