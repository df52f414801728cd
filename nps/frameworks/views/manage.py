"""Editing the strategy: drafts started from a published version or imported from a file, edited, previewed and
published. The national team manages the national strategy; a group's lead manages the group's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nps.accounts.permissions import AuthenticatedRequest, require_national_admin
from nps.frameworks import services
from nps.frameworks.forms import (
    ImportForm,
    IndexForm,
    NewVersionForm,
    RetireForm,
    StatementForm,
    ThemeForm,
    initial_for,
)
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import FrameworkVersion, Index
from nps.frameworks.queries import get_version_to_manage, visible_versions
from nps.frameworks.schema import MAX_FILE_BYTES, FrameworkFileError, decoded
from nps.frameworks.snapshots import index_data


def draft_or_read_only(request: AuthenticatedRequest, framework: str, version: str) -> FrameworkVersion:
    """The version to edit; a published one is shown read-only on the editor page (the caller redirects there)."""
    found = get_version_to_manage(request.user, framework, version)
    if found.is_published:
        messages.error(request, f"{found} is published and cannot change. Start a new version from it.")
    return found


def editor_redirect(version: FrameworkVersion) -> HttpResponse:
    return redirect("frameworks:edit_version", version.framework.code, version.code)


@login_required
def manage(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    versions = visible_versions(request.user).order_by("framework__owner", "framework__code", "-created_at")
    return render(request, "frameworks/manage.html", {"versions": versions, "import_form": ImportForm()})


@login_required
def new_version(request: AuthenticatedRequest, framework: str, version: str) -> HttpResponse:
    published = get_version_to_manage(request.user, framework, version)
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.create_draft(published, by=request.user, **form.cleaned_data)
        except FrameworkFileError as error:
            form.add_error("code", str(error.problems[0].message))
        else:
            messages.success(request, f"Started {draft}, a copy of {published}.")
            return editor_redirect(draft)
    return render(request, "frameworks/new_version.html", {"published": published, "form": form})


@login_required
def import_file(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            draft = load_framework_file(
                decoded(form.cleaned_data["file"].read(MAX_FILE_BYTES + 1)), as_draft=True, by=request.user
            )
        except FrameworkFileError as error:
            problems = error.problems
        else:
            messages.success(request, f"Imported {draft} as a draft.")
            return editor_redirect(draft)
    return render(
        request, "frameworks/import.html", {"form": form, "problems": problems}, status=400 if problems else 200
    )


@login_required
def edit_version(request: AuthenticatedRequest, framework: str, version: str) -> HttpResponse:
    found = get_version_to_manage(request.user, framework, version)
    themes = list(found.themes.all())
    indices = list(found.indices.select_related("theme"))
    return render(
        request,
        "frameworks/edit_version.html",
        {
            "version": found,
            "themes": [(theme, [i for i in indices if i.theme_id == theme.pk]) for theme in themes],
            "enablers": [index for index in indices if index.theme_id is None],
            "replacements": found.replacements.all(),
            "problems": services.publication_problems(found) if not found.is_published else [],
        },
    )


def get_index(version: FrameworkVersion, code: str) -> Index:
    return get_object_or_404(
        version.indices.select_related("theme").prefetch_related("statements__descriptors"), code=code
    )


@login_required
def edit_index(request: AuthenticatedRequest, framework: str, version: str, code: str | None = None) -> HttpResponse:
    found = draft_or_read_only(request, framework, version)
    if found.is_published:
        return editor_redirect(found)
    index = get_index(found, code) if code else None
    existing = index_data(index) if index else None
    form = IndexForm(
        request.POST or None, version=found, existing=existing, initial=initial_for(existing) if existing else {}
    )
    if request.method == "POST" and form.is_valid():
        services.save_index(found, form.index_data(), replacing=index, by=request.user)
        messages.success(request, f"Saved {form.cleaned_data['title']}.")
        return editor_redirect(found)
    return render(request, "frameworks/edit_index.html", {"version": found, "index": index, "form": form})


@login_required
def add_statement(request: AuthenticatedRequest, framework: str, version: str, code: str) -> HttpResponse:
    found = draft_or_read_only(request, framework, version)
    if found.is_published:
        return editor_redirect(found)
    index = get_index(found, code)
    form = StatementForm(request.POST or None, scale=found.scale)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_statement(index, form.statement_data(), by=request.user)
        except FrameworkFileError as error:
            form.add_error("code", error.problems[0].message.capitalize())
        else:
            messages.success(request, f"Added a statement to {index.title}.")
            return editor_redirect(found)
    return render(request, "frameworks/add_statement.html", {"version": found, "index": index, "form": form})


@login_required
@require_POST
def remove_statement(
    request: AuthenticatedRequest, framework: str, version: str, code: str, statement: str
) -> HttpResponse:
    found = draft_or_read_only(request, framework, version)
    if found.is_published:
        return editor_redirect(found)
    try:
        services.remove_statement(get_index(found, code), statement, by=request.user)
    except FrameworkFileError as error:
        messages.error(request, error.problems[0].message.capitalize())
    return editor_redirect(found)


@login_required
@require_POST
def move_statement(
    request: AuthenticatedRequest, framework: str, version: str, code: str, statement: str
) -> HttpResponse:
    found = draft_or_read_only(request, framework, version)
    if found.is_published:
        return editor_redirect(found)
    index = get_index(found, code)
    get_object_or_404(index.statements, code=statement)
    services.move_statement(index, statement, -1 if request.POST.get("direction") == "up" else 1, by=request.user)
    return redirect("frameworks:edit_index", framework, version, code)


@login_required
def retire_index(request: AuthenticatedRequest, framework: str, version: str, code: str) -> HttpResponse:
    """Asks first: where the version it follows had the index, what replaces it, then a page that says what retiring
    does; otherwise straight to that page, as nothing can replace it."""
    found = draft_or_read_only(request, framework, version)
    if found.is_published:
        return editor_redirect(found)
    index = get_index(found, code)
    replaceable = services.followed_version_with(index) is not None
    choices = [(other.code, other.title) for other in found.indices.exclude(pk=index.pk)] if replaceable else []
    form = RetireForm(request.POST if request.method == "POST" else None, choices=choices)  # may be empty
    if request.method == "POST" and form.is_valid() and "confirm" in request.POST:
        services.retire_index(index, form.cleaned_data["successors"], by=request.user)
        messages.success(request, f"Retired {index.title}.")
        return editor_redirect(found)
    if form.is_valid() or not replaceable:
        successors = form.cleaned_data["successors"] if replaceable else []
        context = {"version": found, "retirement": services.retirement(index, successors)}
        return render(request, "frameworks/retire_index_confirm.html", context)
    return render(request, "frameworks/retire_index.html", {"version": found, "index": index, "form": form})


@login_required
@require_POST
def move_index(request: AuthenticatedRequest, framework: str, version: str, code: str) -> HttpResponse:
    found = draft_or_read_only(request, framework, version)
    if found.is_published:
        return editor_redirect(found)
    services.move_index(get_index(found, code), -1 if request.POST.get("direction") == "up" else 1, by=request.user)
    return editor_redirect(found)


@login_required
def add_theme(request: AuthenticatedRequest, framework: str, version: str) -> HttpResponse:
    found = draft_or_read_only(request, framework, version)
    if found.is_published:
        return editor_redirect(found)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if found.themes.filter(code=form.cleaned_data["code"]).exists():
            form.add_error("code", "This version already has a theme with this code")
        else:
            services.add_theme(found, by=request.user, **form.cleaned_data)
            return editor_redirect(found)
    return render(request, "frameworks/add_theme.html", {"version": found, "form": form})


@login_required
@require_POST
def publish(request: AuthenticatedRequest, framework: str, version: str) -> HttpResponse:
    found = draft_or_read_only(request, framework, version)
    if found.is_published:
        return editor_redirect(found)
    try:
        services.publish_version(found, by=request.user)
    except FrameworkFileError as error:
        messages.error(request, f"{found} cannot be published yet: {len(error.problems)} problem(s) are listed below.")
    else:
        messages.success(request, f"Published {found}. It can no longer change.")
    return editor_redirect(found)


@login_required
@require_POST
def make_current(request: AuthenticatedRequest, framework: str, version: str) -> HttpResponse:
    found = get_version_to_manage(request.user, framework, version)
    try:
        services.make_current(found, by=request.user)
    except FrameworkFileError as error:
        messages.error(request, error.problems[0].message)
    else:
        messages.success(request, f"{found} is now the current version of {found.framework}.")
    return redirect("frameworks:versions")
