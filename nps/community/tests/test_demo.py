"""The demonstration exemplars, requests and case studies, made over the real councils and the demonstration rounds."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from nps.community.demo import DemoCommunity, create_demo_community
from nps.community.models import CaseStudy, ConnectionRequest, ExemplarOffer
from nps.community.queries import current_indices, eligibility

pytestmark = pytest.mark.django_db
BOLTON, CORNWALL = "E08000001", "E06000052"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demonstration(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoCommunity]:
    """`nps setup` and `nps demo` (which makes the community demonstration), once for the module, rolled back
    afterwards; what the demonstration holds is counted by asking for it again."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        call_command("setup", stdout=io.StringIO())
        output = io.StringIO()
        call_command("demo", stdout=output)
        assert "36 exemplar offers, 2 connection requests, 4 case studies" in output.getvalue()
        yield create_demo_community()
        transaction.set_rollback(True)


def test_it_makes_a_few_exemplars_requests_and_case_studies(demonstration):
    assert not demonstration.created  # nps demo made them; asking again makes nothing new
    assert 10 <= demonstration.offers <= 3 * 12 and demonstration.requests == 2 and demonstration.case_studies == 4


def test_every_exemplar_is_eligible_and_labelled(demonstration):
    for offer in ExemplarOffer.objects.select_related("organisation"):
        assert eligibility(offer.organisation, [offer.index_code])[offer.index_code].eligible
        assert offer.is_demo and offer.note.startswith("Demonstration") and "Demonstration" in offer.contact_name
        assert offer.organisation.gss_code != BOLTON


def test_the_last_indices_have_no_exemplar_so_gaps_show(demonstration):
    offered = set(ExemplarOffer.objects.values_list("index_code", flat=True))
    assert [index.code for index in current_indices()[-2:] if index.code in offered] == []


def test_the_demonstration_editor_waits_and_another_council_is_connected(demonstration):
    statuses = dict(ConnectionRequest.objects.values_list("requester__gss_code", "status"))
    assert statuses == {BOLTON: "requested", CORNWALL: "connected"}
    assert all(request.is_demo for request in ConnectionRequest.objects.all())


def test_case_studies_are_labelled_and_the_public_sees_the_published_ones(demonstration):
    assert all(study.is_demo and study.title.startswith("Demonstration") for study in CaseStudy.objects.all())
    html = Client().get("/case-studies/").content.decode()
    assert "3 case studies" in html and html.count(">Demonstration</strong>") == 3


def test_running_it_again_creates_nothing(demonstration):
    again = create_demo_community()
    assert not again.created
    assert (again.offers, again.requests, again.case_studies) == (
        demonstration.offers,
        demonstration.requests,
        demonstration.case_studies,
    )
