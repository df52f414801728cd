"""Named changes to exemplar offers and the national team's marks; each runs in a transaction and writes the audit
trail."""

from django.db import transaction

from nps.accounts.models import User
from nps.community.models import ExemplarOffer, ExemplaryMark
from nps.community.queries import OFFERS, eligibility, index_titles
from nps.core.models import record
from nps.lib.caching import renew
from nps.organisations.models import Organisation

NOT_ELIGIBLE = (
    "{organisation} can offer help in {title} only where its latest submitted level is Leader or Innovator, "
    "or the national team has marked it exemplary"
)


class NotEligible(Exception):
    """The organisation may not offer help in some of the indices it chose."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def ineligible_messages(organisation: Organisation, index_codes: list[str]) -> list[str]:
    titles = index_titles(index_codes)
    return [
        NOT_ELIGIBLE.format(organisation=organisation.name, title=titles.get(code, code))
        for code, item in eligibility(organisation, index_codes).items()
        if not item.eligible
    ]


@transaction.atomic
def opt_in(
    organisation: Organisation,
    index_codes: list[str],
    *,
    contact_name: str,
    contact_email: str,
    note: str,
    by: User | None,
) -> list[ExemplarOffer]:
    """Offer help in each index (or update the offer's contact and note); refused where not eligible."""
    messages = ineligible_messages(organisation, index_codes)
    if messages:
        raise NotEligible(messages)
    offers = []
    values = {
        "contact_name": contact_name,
        "contact_email": contact_email.strip().lower(),
        "note": note,
        "active": True,
    }
    for code in index_codes:
        offer, _ = ExemplarOffer.objects.update_or_create(
            organisation=organisation,
            index_code=code,
            defaults=values,
            create_defaults={**values, "created_by": by},
        )
        offers.append(offer)
    renew(OFFERS)
    record(
        "exemplar_opted_in",
        f"Offered help as an exemplar in {', '.join(index_codes)}; contact {contact_name}",
        by=by,
        organisation=organisation,
    )
    return offers


@transaction.atomic
def withdraw_offer(offer: ExemplarOffer, *, by: User | None) -> None:
    """Stop offering help in the index: the offer is kept for the record and never suggested again."""
    ExemplarOffer.objects.filter(pk=offer.pk).update(active=False)
    offer.active = False
    renew(OFFERS)
    record(
        "exemplar_opted_out",
        f"Withdrew the offer of help in {offer.index_code}",
        by=by,
        organisation=offer.organisation,
    )


@transaction.atomic
def mark_exemplary(organisation: Organisation, index_code: str, *, by: User) -> ExemplaryMark:
    mark, _ = ExemplaryMark.objects.get_or_create(
        organisation=organisation, index_code=index_code, defaults={"marked_by": by}
    )
    record("exemplary_marked", f"Marked exemplary in {index_code}", by=by, organisation=organisation)
    return mark


@transaction.atomic
def remove_mark(mark: ExemplaryMark, *, by: User) -> None:
    """Remove the mark; an offer that rested on it alone is withdrawn."""
    organisation, code = mark.organisation, mark.index_code
    mark.delete()
    record("exemplary_unmarked", f"Removed the exemplary mark in {code}", by=by, organisation=organisation)
    if not eligibility(organisation, [code])[code].eligible:
        offer = ExemplarOffer.objects.filter(organisation=organisation, index_code=code, active=True).first()
        if offer is not None:
            withdraw_offer(offer, by=by)
