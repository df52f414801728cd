"""A group's own strategy, derived from the national one and rebased when the national strategy moves on (rounds on it
are run from the assessments app)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nps.accounts.permissions import AuthenticatedRequest, get_group_for_lead
from nps.frameworks import services
from nps.frameworks.forms import NewVersionForm
from nps.frameworks.models import FrameworkVersion
from nps.frameworks.queries import current_national_version


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
