"""Colleagues' own views: inviting respondents and recording what each of them thinks."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from nps.accounts.models import Membership, Role, User
from nps.accounts.services import invite_person
from nps.assessments.answers import require_editable
from nps.assessments.models import Respondent, RespondentAnswer, Return
from nps.core.models import record
from nps.core.outbox import queue_mail
from nps.frameworks.models import Index


@transaction.atomic
def invite_respondent(council_return: Return, email: str, indices: list[Index], *, by: User) -> Respondent:
    """Ask a colleague for their own view of some indices. A colleague without access gets a sign-up invitation."""
    require_editable(council_return)
    email = email.strip().lower()
    respondent, _ = Respondent.objects.update_or_create(
        council_return=council_return, email=email, defaults={"invited_by": by}
    )
    respondent.indices.set(indices)
    organisation = council_return.organisation
    if Membership.objects.filter(user__email__iexact=email, organisation=organisation).exists():
        send_respondent_email(respondent, by)
    else:
        invite_person(organisation, email, Role.RESPONDENT, by=by)
    record(
        "respondent_invited",
        f"Asked {email} for their view of {len(indices)} indices in {council_return.round}",
        by=by,
        organisation=organisation,
    )
    return respondent


def send_respondent_email(respondent: Respondent, by: User) -> None:
    council_return = respondent.council_return
    link = settings.SITE_URL + reverse(
        "assessments:my_view", args=[council_return.organisation.gss_code, council_return.round_id]
    )
    context = {"respondent": respondent, "council_return": council_return, "link": link, "invited_by": by}
    queue_mail(
        f"Your view is wanted: {council_return.round.name}",
        render_to_string("assessments/email/respondent.txt", context),
        respondent.email,
    )


def respondent_for(user: User, council_return: Return) -> Respondent | None:
    """The user's respondent invitation for this return, if they were asked and belong to the organisation."""
    if not Membership.objects.filter(user=user, organisation=council_return.organisation).exists():
        return None
    respondent = council_return.respondents.filter(email__iexact=user.email).first()
    if respondent is not None and respondent.user_id is None:
        respondent.user = user
        respondent.save(update_fields=["user"])
    return respondent


def save_view(
    respondent: Respondent, index: Index, *, current_level: int | None, not_applicable: bool, comment: str
) -> RespondentAnswer:
    require_editable(respondent.council_return)
    view, _ = RespondentAnswer.objects.update_or_create(
        respondent=respondent,
        index=index,
        defaults={
            "current_level": None if not_applicable else current_level,
            "not_applicable": not_applicable,
            "comment": comment,
        },
    )
    return view
