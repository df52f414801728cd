"""Requests no page or API operation can read are answered 400, in words, and change nothing: an upload sent as
multipart without a boundary, and an address with a NUL character (which PostgreSQL cannot compare)."""

import pytest
from django.test import Client

from nps.accounts.services import create_api_token
from nps.assessments.models import EvidenceFile, Return
from nps.core.middleware import NUL_IN_ADDRESS
from nps.frameworks.models import FrameworkVersion
from nps.testing import make_open_round

pytestmark = pytest.mark.django_db
UPLOAD = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n--x--\r\n'
WITHOUT_BOUNDARY = ["multipart/form-data", "multipart/form-data; boundary=", 'multipart/form-data; boundary=""']
PAGE = b"Sorry, there is a problem with your request"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(params=[False, True], ids=["production", "development"])
def debug(request, settings):
    settings.DEBUG = request.param


@pytest.fixture
def evidence_url(council_a):
    council_return = Return.objects.get(round=make_open_round(council_a), organisation=council_a)
    return f"organisations/{council_a.gss_code}/rounds/{council_return.round_id}/indices/engaging-councillors/evidence/"


def token_client(user):
    return Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})


@pytest.mark.parametrize("content_type", WITHOUT_BOUNDARY)
def test_an_api_upload_without_a_boundary_is_a_json_400(debug, national_admin, editor, evidence_url, content_type):
    uploads = [
        (token_client(national_admin), "/api/v1/frameworks/import"),
        (token_client(editor), "/api/v1/" + evidence_url.replace("/indices/", "/answers/").removesuffix("/")),
    ]
    for client, url in uploads:
        response = client.post(url, UPLOAD, content_type=content_type)
        assert response.status_code == 400, url
        assert response.json()["detail"].startswith("The multipart body cannot be read (Invalid boundary in multipart")
    assert not EvidenceFile.objects.exists() and FrameworkVersion.objects.count() == 1  # NPS 2018 alone


@pytest.mark.parametrize("content_type", WITHOUT_BOUNDARY)
def test_a_page_upload_without_a_boundary_is_a_400_page(
    debug, client_for, national_admin, editor, evidence_url, content_type
):
    workbook_url = "/" + evidence_url.split("indices/")[0] + "workbook/"
    uploads = [
        (client_for(national_admin), "/strategy/manage/import/"),
        (client_for(editor), "/" + evidence_url),
        (client_for(editor), workbook_url),
    ]
    for client, url in uploads:
        response = client.post(url, UPLOAD, content_type=content_type)
        assert response.status_code == 400 and PAGE in response.content, url
    assert not EvidenceFile.objects.exists() and FrameworkVersion.objects.count() == 1  # NPS 2018 alone


def test_a_browser_upload_without_a_boundary_is_refused_before_its_csrf_token_is_read(editor, evidence_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.cookies["csrftoken"] = "a" * 32  # so the CSRF check goes on to read the form's token
    response = client.post("/" + evidence_url, UPLOAD, content_type="multipart/form-data")
    assert response.status_code == 400 and PAGE in response.content


@pytest.mark.parametrize(
    "address",
    ["/organisations/%00/", "/organisations/?q=%00", "/case-studies/?q=a%00b", "/strategy/%00/", "/rounds/?%00=1"],
)
def test_a_nul_character_in_a_page_address_is_a_400_page(debug, client, address):
    response = client.get(address)
    assert response.status_code == 400 and PAGE in response.content


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/organisations/%00",
        "/api/v1/organisations/?q=%00",
        "/api/v1/frameworks/changes?from=nps%00/2018",
        "/api/v1/community/case-studies?index=%00",
    ],
)
def test_a_nul_character_in_an_api_address_is_a_json_400(debug, client, address):
    response = client.get(address)
    assert (response.status_code, response.json()) == (400, {"detail": NUL_IN_ADDRESS})
