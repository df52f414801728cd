"""The case-study library: writing, publishing and finding case studies."""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from nps.accounts.models import User
from nps.community.models import CaseStudy, CaseStudyIndex, CaseStudyStatus
from nps.core.models import record

FIELDS = ["title", "slug", "summary", "body", "organisation", "level_reached", "links"]


class CaseStudyError(Exception):
    """A change to a case study that is not possible in its current state."""


def unique_slug(title: str, slug: str = "", *, exclude: int | None = None) -> str:
    """The slug asked for, or one made from the title, with a number added where another case study has it."""
    base = slugify(slug or title)[:180] or "case-study"
    others = CaseStudy.objects.exclude(pk=exclude) if exclude is not None else CaseStudy.objects.all()
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def set_indices(case_study: CaseStudy, index_codes: list[str]) -> None:
    case_study.indices.exclude(index_code__in=index_codes).delete()
    existing = set(case_study.indices.values_list("index_code", flat=True))
    CaseStudyIndex.objects.bulk_create(
        [CaseStudyIndex(case_study=case_study, index_code=code) for code in index_codes if code not in existing]
    )


@transaction.atomic
def create_case_study(values: dict[str, Any], index_codes: list[str], *, by: User | None) -> CaseStudy:
    """A new case study, in draft until published."""
    fields = {name: values[name] for name in FIELDS if name in values}
    fields["slug"] = unique_slug(fields["title"], fields.get("slug", ""))
    case_study = CaseStudy.objects.create(**fields, created_by=by)
    set_indices(case_study, index_codes)
    record("case_study_created", f"Drafted the case study “{case_study.title}”", by=by)
    return case_study


@transaction.atomic
def update_case_study(case_study: CaseStudy, values: dict[str, Any], index_codes: list[str], *, by: User) -> None:
    """Change the fields given; an empty slug keeps the case study's web address."""
    slug = values.get("slug") or case_study.slug
    for name in FIELDS:
        if name in values:
            setattr(case_study, name, values[name])
    case_study.slug = unique_slug(case_study.title, slug, exclude=case_study.pk)
    case_study.save()
    set_indices(case_study, index_codes)
    record("case_study_updated", f"Edited the case study “{case_study.title}”", by=by)


@transaction.atomic
def publish_case_study(case_study: CaseStudy, *, by: User) -> None:
    if case_study.is_published:
        raise CaseStudyError("This case study is already published.")
    case_study.status, case_study.published_at = CaseStudyStatus.PUBLISHED, timezone.now()
    case_study.save(update_fields=["status", "published_at", "updated_at"])
    record("case_study_published", f"Published the case study “{case_study.title}”", by=by)


@transaction.atomic
def unpublish_case_study(case_study: CaseStudy, *, by: User) -> None:
    """Take the case study back to draft: the public no longer sees it."""
    if not case_study.is_published:
        raise CaseStudyError("This case study is not published.")
    case_study.status, case_study.published_at = CaseStudyStatus.DRAFT, None
    case_study.save(update_fields=["status", "published_at", "updated_at"])
    record("case_study_unpublished", f"Took the case study “{case_study.title}” back to draft", by=by)


def case_studies() -> QuerySet[CaseStudy]:
    return CaseStudy.objects.select_related("organisation__region").prefetch_related("indices")


def published_case_studies() -> QuerySet[CaseStudy]:
    return case_studies().filter(status=CaseStudyStatus.PUBLISHED)


def filter_case_studies(
    found: QuerySet[CaseStudy],
    *,
    index_code: str = "",
    level: int | None = None,
    kind: str = "",
    region_code: str = "",
    text: str = "",
) -> QuerySet[CaseStudy]:
    """Case studies about an index, at a level reached, by the type and region of their council, or with words."""
    if index_code:
        found = found.filter(indices__index_code=index_code)
    if level:
        found = found.filter(level_reached=level)
    if kind:
        found = found.filter(organisation__kind=kind)
    if region_code:
        found = found.filter(organisation__region__code=region_code)
    if text.strip():
        words = text.strip()
        found = found.filter(Q(title__icontains=words) | Q(summary__icontains=words) | Q(body__icontains=words))
    return found.distinct()
