"""The offline workbook: download a return as an .xlsx, and upload it back filled in."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.answers import ReturnLocked
from nps.assessments.queries import get_return_for_user, return_depends_on
from nps.assessments.workbook import CONTENT_TYPE, MAX_BYTES, build_workbook, workbook_filename
from nps.assessments.workbook_upload import WorkbookInvalid, check_upload, upload_workbook
from nps.core.forms import GovukForm
from nps.lib.caching import cached_bytes


class WorkbookForm(GovukForm):
    workbook = forms.FileField(
        label="Upload the filled-in workbook",
        help_text=f"The Excel workbook (.xlsx) downloaded from here, up to {MAX_BYTES // (1024 * 1024)} MB",
        error_messages={"required": "Select the workbook to upload", "empty": "The selected file is empty"},
    )

    def clean_workbook(self) -> bytes:
        return check_upload(self.cleaned_data["workbook"])


@login_required
def download(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    upload_url = request.build_absolute_uri(reverse("assessments:workbook_upload", args=[gss_code, round_id]))
    workbook = cached_bytes(
        "workbook",
        [*return_depends_on(council_return), upload_url],
        lambda: build_workbook(council_return, upload_url=upload_url),
    )
    response = HttpResponse(workbook, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workbook_filename(council_return)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def upload(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    form = WorkbookForm(request.POST, request.FILES) if request.method == "POST" else WorkbookForm()
    if request.method == "POST" and council_return.is_editable and form.is_valid():
        try:
            updates = upload_workbook(council_return, form.cleaned_data["workbook"], by=request.user)
        except WorkbookInvalid as error:
            for problem in error.shown():
                form.add_error("workbook", problem)
        except ReturnLocked as error:
            form.add_error("workbook", str(error))
        else:
            context = {"council_return": council_return, "updates": updates}
            return render(request, "assessments/workbook_uploaded.html", context)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "assessments/workbook_upload.html", {"council_return": council_return, "form": form}, status=status
    )
