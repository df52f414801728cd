"""Asking to be connected and the national team's decisions, with the emails each one sends."""

import pytest

from nps.accounts.preferences import set_connection_emails, set_round_reminders
from nps.community.connections import RequestRefused, decide_connection, request_connection
from nps.community.exemplars import withdraw_offer
from nps.community.models import ConnectionRequest, ConnectionStatus, ExemplarOffer
from nps.core.models import AuditEvent

from .conftest import INDEX

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(exemplar_a):
    return ExemplarOffer.objects.select_related("organisation").get()


@pytest.fixture
def ask(offer, council_b, other_editor, django_capture_on_commit_callbacks):
    def asked(message="How did you train members?"):
        with django_capture_on_commit_callbacks(execute=True):
            return request_connection(council_b, offer, message=message, by=other_editor)

    return asked


def decide(request, decision, admin, callbacks, note=""):
    with callbacks(execute=True):
        return decide_connection(request, decision, note=note, by=admin)


def test_asking_notifies_the_exemplar_the_council_and_the_national_team(ask, national_admin, mailoutbox):
    request = ask()
    assert (request.status, request.index_code, request.exemplar.name) == ("requested", INDEX, "Alderley")
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == ["alice@alderley.example", "charlie@brackenshire.example", "nadia@national.example"]
    exemplar_email = next(m for m in mailoutbox if m.to == ["alice@alderley.example"])
    assert exemplar_email.subject == "Brackenshire would like to learn from you"
    assert "How did you train members?" in exemplar_email.body
    assert "Engaging councillors" in exemplar_email.body
    assert AuditEvent.objects.filter(action="connection_requested").exists()


def test_every_email_is_plain_text_with_a_link_to_its_own_preferences(ask, national_admin, mailoutbox):
    ask()
    for message in mailoutbox:
        assert message.content_subtype == "plain" and not getattr(message, "alternatives", [])
        link = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert link.startswith("http://127.0.0.1:8000/email-preferences/") and link in message.body


def test_an_address_that_opted_out_gets_no_email(ask, national_admin, mailoutbox):
    set_connection_emails("Nadia@national.example", False, by=None)
    ask()
    assert "nadia@national.example" not in [message.to[0] for message in mailoutbox]
    assert len(mailoutbox) == 2


def test_opting_out_through_the_link_in_an_email_stops_the_next_ones(
    ask, national_admin, mailoutbox, client, django_capture_on_commit_callbacks
):
    request = ask()
    link = next(m for m in mailoutbox if m.to == ["alice@alderley.example"]).extra_headers["List-Unsubscribe"]
    client.post(link.strip("<>").removeprefix("http://127.0.0.1:8000"), {"emails": ["round_reminders"]})
    mailoutbox.clear()
    decide(request, "connect", national_admin, django_capture_on_commit_callbacks)
    assert [message.to for message in mailoutbox] == [["charlie@brackenshire.example"]]


def test_turning_off_round_reminders_leaves_connection_emails_on(ask, national_admin, mailoutbox):
    set_round_reminders("nadia@national.example", False, by=None)
    ask()
    assert "nadia@national.example" in [message.to[0] for message in mailoutbox]


def test_a_council_cannot_ask_twice_while_a_request_is_open(ask):
    ask()
    with pytest.raises(RequestRefused, match="already asked"):
        ask()


def test_a_council_cannot_ask_a_withdrawn_offer_or_itself(offer, council_a, council_b, editor, other_editor):
    with pytest.raises(RequestRefused, match="itself"):
        request_connection(council_a, offer, message="", by=editor)
    withdraw_offer(offer, by=editor)
    with pytest.raises(RequestRefused, match="no longer offers help"):
        request_connection(council_b, offer, message="", by=other_editor)


def test_connecting_shares_both_contacts_with_both_sides(
    ask, national_admin, mailoutbox, django_capture_on_commit_callbacks
):
    request = ask()
    mailoutbox.clear()
    decided = decide(request, "connect", national_admin, django_capture_on_commit_callbacks, note="Talk soon")
    assert (decided.status, decided.decided_by, decided.note) == ("connected", national_admin, "Talk soon")
    assert sorted(message.to[0] for message in mailoutbox) == ["alice@alderley.example", "charlie@brackenshire.example"]
    assert {message.subject for message in mailoutbox} == {"You are connected: Brackenshire and Alderley"}
    for message in mailoutbox:
        assert "Alice Alderley, alice@alderley.example" in message.body
        assert "Charlie, charlie@brackenshire.example" in message.body
        assert "Talk soon" in message.body


def test_declining_tells_the_council_that_asked(ask, national_admin, mailoutbox, django_capture_on_commit_callbacks):
    request = ask()
    mailoutbox.clear()
    decide(request, "decline", national_admin, django_capture_on_commit_callbacks, note="They are busy this year")
    assert [message.to for message in mailoutbox] == [["charlie@brackenshire.example"]]
    assert mailoutbox[0].subject == "Your request to be connected with Alderley was declined"
    assert "They are busy this year" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("status", "decision", "allowed"),
    [
        ("requested", "connect", True),
        ("requested", "decline", True),
        ("requested", "close", True),
        ("connected", "close", True),
        ("connected", "connect", False),
        ("connected", "decline", False),
        ("declined", "connect", False),
        ("closed", "connect", False),
        ("closed", "close", False),
        ("requested", "approve", False),
    ],
)
def test_which_decisions_each_state_allows(ask, national_admin, status, decision, allowed):
    request = ask()
    ConnectionRequest.objects.filter(pk=request.pk).update(status=status)
    if allowed:
        assert decide_connection(request, decision, note="", by=national_admin).status != status
    else:
        with pytest.raises(RequestRefused):
            decide_connection(request, decision, note="", by=national_admin)


def test_after_a_request_is_closed_the_council_may_ask_again(ask, national_admin):
    decide_connection(ask(), "close", note="", by=national_admin)
    assert ask().status == ConnectionStatus.REQUESTED
    assert ConnectionRequest.objects.count() == 2
