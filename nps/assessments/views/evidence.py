from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.evidence import ALLOWED, attach_evidence, remove_evidence
from nps.assessments.queries import get_answer, get_return_for_user
from nps.core.forms import GovukForm


class EvidenceFileForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"Up to 10 MB: {ALLOWED}",
        error_messages={"required": "Select a file to upload"},
    )


@login_required
@require_POST
def upload(request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    answer = get_answer(council_return, index_code)
    form = EvidenceFileForm(request.POST, request.FILES)
    if form.is_valid() and council_return.is_editable:
        try:
            evidence = attach_evidence(answer, form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"Added “{evidence.name}”.")
            return redirect("assessments:answer", gss_code, round_id, index_code)
    return render(
        request,
        "assessments/evidence_error.html",
        {"council_return": council_return, "answer": answer, "form": form},
        status=400,
    )


@login_required
def download(
    request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str, file_id: int
) -> FileResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    evidence = get_object_or_404(get_answer(council_return, index_code).files, pk=file_id)
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def delete(request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str, file_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    evidence = get_object_or_404(get_answer(council_return, index_code).files, pk=file_id)
    if council_return.is_editable:
        remove_evidence(evidence, by=request.user)
        messages.success(request, f"Removed “{evidence.name}”.")
    return redirect("assessments:answer", gss_code, round_id, index_code)
