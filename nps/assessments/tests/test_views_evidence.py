import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from nps.assessments.models import EvidenceFile

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% demo\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, return_url, name, content):
    return client.post(
        return_url + "indices/engaging-councillors/evidence/", {"file": SimpleUploadedFile(name, content)}
    )


def test_an_editor_uploads_a_pdf_and_colleagues_download_it_safely(client_for, editor, viewer, return_url):
    assert upload(client_for(editor), return_url, "Cabinet report.pdf", PDF).status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.name, evidence.content_type, evidence.size) == ("Cabinet_report.pdf", "application/pdf", len(PDF))
    response = client_for(viewer).get(return_url + f"indices/engaging-councillors/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Cabinet_report.pdf"'
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("persona", ["other_editor", "group_lead"])
def test_nobody_outside_the_council_gets_the_file(request, client_for, editor, return_url, persona):
    upload(client_for(editor), return_url, "report.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(return_url + f"indices/engaging-councillors/evidence/{evidence.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "The file must be one of: csv, docx"),
        ("fake.pdf", b"<html>not a pdf</html>", "is not a real .pdf file"),
        ("empty.txt", b"", "The submitted file is empty"),
    ],
)
def test_refused_files_get_a_clear_error(client_for, editor, return_url, name, content, message):
    response = upload(client_for(editor), return_url, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_files_over_the_limit_are_refused(client_for, editor, return_url, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = upload(client_for(editor), return_url, "big.pdf", PDF + b"0" * 2048)
    assert "The file must be smaller than" in response.content.decode()


def test_viewers_cannot_upload_or_remove(client_for, editor, viewer, return_url):
    assert upload(client_for(viewer), return_url, "report.pdf", PDF).status_code == 404
    upload(client_for(editor), return_url, "report.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    url = return_url + f"indices/engaging-councillors/evidence/{evidence.pk}/delete/"
    assert client_for(viewer).post(url).status_code == 404
    client_for(editor).post(url)
    assert not EvidenceFile.objects.exists()


def test_an_upload_the_database_refuses_leaves_no_file_behind(client_for, editor, return_url, tmp_path):
    from nps.core.models import AuditEvent
    from nps.testing import database_refuses

    with database_refuses("INSERT", AuditEvent):
        with pytest.raises(IntegrityError):
            upload(client_for(editor), return_url, "policy.pdf", PDF)
    assert not EvidenceFile.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_a_removal_the_database_refuses_keeps_the_file(client_for, editor, return_url, tmp_path):
    from nps.testing import database_refuses

    client = client_for(editor)
    upload(client, return_url, "policy.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    with database_refuses("DELETE", EvidenceFile):
        with pytest.raises(IntegrityError):
            client.post(return_url + f"indices/engaging-councillors/evidence/{evidence.pk}/delete/")
    with EvidenceFile.objects.get().file.open("rb") as kept:
        assert kept.read() == PDF
