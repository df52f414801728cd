"""A group's own strategy, derived from the national one, rebased when the national strategy moves on, and rounds
run for the group's members on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nps.accounts.permissions import AuthenticatedRequest, get_group_for_lead
from nps.assessments.forms import RoundForm
from nps.assessments.models import Round
from nps.assessments.rounds import RoundError, create_round, open_round
from nps.frameworks import services
from nps.frameworks.forms import NewVersionForm
from nps.frameworks.models import FrameworkVersion, VersionStatus
from nps.frameworks.queries import current_national_version
from nps.organisations.models import COUNCIL_KINDS


@login_required
def strategy(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    group = get_group_for_lead(request.user, gss_code)
    versions = list(
        FrameworkVersion.objects.filter(framework__owner=group)
        .select_related("framework", "parent")
        .order_by("-created_at")
    )
    national = current_national_version()
    latest = versions[0] if versions else None
    return render(
        request,
        "frameworks/regional.html",
        {
            "group": group,
            "versions": versions,
            "national": national,
            "latest": latest,
            "can_rebase": bool(latest and national and latest.parent_id != national.pk),
            "derive_form": NewVersionForm(initial={"title": f"{group.name} procurement strategy"}),
            "rounds": Round.objects.filter(run_by=group).order_by("-opens_on"),
        },
    )


@login_required
@require_POST
def derive(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    group = get_group_for_lead(request.user, gss_code)
    national = current_national_version()
    title = request.POST.get("title", "").strip() or f"{group.name} procurement strategy"
    if national is None:
        messages.error(request, "The national strategy has not been loaded yet.")
        return redirect("frameworks:regional", gss_code)
    draft = services.derive_strategy(group, national, title=title[:250], by=request.user)
    messages.success(
        request,
        f"Started {draft} from {national}: add your own indices, retire national ones, "
        "mark priorities, then publish it.",
    )
    return redirect("frameworks:edit_version", draft.framework.code, draft.code)


@login_required
@require_POST
def rebase(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    group = get_group_for_lead(request.user, gss_code)
    latest = FrameworkVersion.objects.filter(framework__owner=group).order_by("-created_at").first()
    national = current_national_version()
    if latest is None or national is None:
        return redirect("frameworks:regional", gss_code)
    draft = services.rebase_strategy(latest, national, by=request.user)
    messages.success(request, f"Started {draft} on {national}, keeping your own indices and priorities.")
    return redirect("frameworks:edit_version", draft.framework.code, draft.code)


@login_required
def new_round(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    """A round for the group's member councils on one of the group's published strategies."""
    group = get_group_for_lead(request.user, gss_code)
    versions = FrameworkVersion.objects.filter(framework__owner=group, status=VersionStatus.PUBLISHED)
    form = RoundForm(
        request.POST or None,
        versions=versions,
        rounds=Round.objects.filter(run_by=group),
        initial={"invited_kinds": [str(kind) for kind in COUNCIL_KINDS]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = create_round(run_by=group, by=request.user, **form.cleaned_data)
            invited = open_round(round_, by=request.user)
        except RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Opened {round_.name}: {invited} member councils invited.")
            return redirect("frameworks:regional", gss_code)
    return render(
        request, "frameworks/regional_round.html", {"group": group, "form": form, "has_strategy": versions.exists()}
    )
