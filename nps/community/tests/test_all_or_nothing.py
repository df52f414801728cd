"""Every change to exemplars, connection requests and case studies is all or nothing: when its audit event cannot be
written, none of it is kept and nobody is emailed."""

import pytest
from django.db import IntegrityError

from nps.community.case_studies import create_case_study, publish_case_study, unpublish_case_study, update_case_study
from nps.community.connections import decide_connection, request_connection
from nps.community.exemplars import mark_exemplary, opt_in, remove_mark, withdraw_offer
from nps.community.models import ExemplarOffer
from nps.core.models import AuditEvent
from nps.testing import database_refuses, database_rows

from .conftest import INDEX

pytestmark = pytest.mark.django_db
STORY = {"title": "Training members", "summary": "How we trained members.", "body": "First.\n\nSecond."}


def offering_help_again(get):
    council_a, editor = get("exemplar_a"), get("editor")
    contact = {"contact_name": "Al", "contact_email": "al@alderley.example", "note": ""}
    return lambda: opt_in(council_a, [INDEX], **contact, by=editor)


def withdrawing_an_offer(get):
    offer, editor = ExemplarOffer.objects.get(organisation=get("exemplar_a")), get("editor")
    return lambda: withdraw_offer(offer, by=editor)


def marking_exemplary(get):
    council_b, admin = get("council_b"), get("national_admin")
    return lambda: mark_exemplary(council_b, INDEX, by=admin)


def removing_a_mark(get):
    mark = mark_exemplary(get("council_b"), INDEX, by=get("national_admin"))
    return lambda: remove_mark(mark, by=get("national_admin"))


def asking_to_be_connected(get):
    offer, (council_b, other_editor) = ExemplarOffer.objects.get(organisation=get("exemplar_a")), get("requester")
    return lambda: request_connection(council_b, offer, message="How?", by=other_editor)


def deciding_a_request(get):
    offer, (council_b, other_editor) = ExemplarOffer.objects.get(organisation=get("exemplar_a")), get("requester")
    request = request_connection(council_b, offer, message="How?", by=other_editor)
    return lambda: decide_connection(request, "connect", note="Introduced.", by=get("national_admin"))


def drafting_a_case_study(get):
    admin = get("national_admin")
    return lambda: create_case_study(STORY, [INDEX], by=admin)


def editing_a_case_study(get):
    admin = get("national_admin")
    case_study = create_case_study(STORY, [INDEX], by=admin)
    return lambda: update_case_study(case_study, {**STORY, "title": "Renamed"}, [], by=admin)


def publishing_a_case_study(get):
    admin = get("national_admin")
    case_study = create_case_study(STORY, [INDEX], by=admin)
    return lambda: publish_case_study(case_study, by=admin)


def unpublishing_a_case_study(get):
    admin = get("national_admin")
    case_study = create_case_study(STORY, [INDEX], by=admin)
    publish_case_study(case_study, by=admin)
    return lambda: unpublish_case_study(case_study, by=admin)


@pytest.fixture
def requester(council_b, other_editor, national_admin):
    """Council B and its editor, who asks; the national team is there to be told."""
    return council_b, other_editor


@pytest.mark.parametrize(
    "prepare",
    [
        offering_help_again,
        withdrawing_an_offer,
        marking_exemplary,
        removing_a_mark,
        asking_to_be_connected,
        deciding_a_request,
        drafting_a_case_study,
        editing_a_case_study,
        publishing_a_case_study,
        unpublishing_a_case_study,
    ],
)
def test_a_change_whose_audit_event_cannot_be_written_leaves_nothing_behind(
    request, prepare, mailoutbox, django_capture_on_commit_callbacks
):
    change = prepare(request.getfixturevalue)
    mailoutbox.clear()
    before = database_rows()
    with django_capture_on_commit_callbacks(execute=True), database_refuses("INSERT", AuditEvent):
        with pytest.raises(IntegrityError):
            change()
    assert database_rows() == before
    assert mailoutbox == []
