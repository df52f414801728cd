"""`nps round`: the national team's routine work from the command line, through the pages' own services."""

import json
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from nps.assessments.answers import submit_return
from nps.assessments.models import Return, Round, RoundStatus
from nps.core.models import AuditEvent
from nps.testing import answer_everything, emails_sent, load_nps_2018, make_open_round

pytestmark = pytest.mark.django_db


def run(*arguments: str) -> str:
    output = StringIO()
    call_command("round", *arguments, stdout=output)
    return output.getvalue()


def refusal(*arguments: str) -> CommandError:
    with pytest.raises(CommandError) as refused:
        run(*arguments)
    return refused.value


def test_a_round_is_created_opened_with_invitations_closed_and_published(council_a, editor, national_admin):
    load_nps_2018()
    by = ["--by", national_admin.email]
    created = run(
        "create", "--name", "2027 diagnostic", "--framework", "nps/2018", "--opens-on", "2027-01-04",
        "--deadline", "2027-03-31", "--kinds", council_a.kind, *by,
    )  # fmt: skip
    round_ = Round.objects.get(name="2027 diagnostic")
    assert created == f"Created round {round_.pk}: 2027 diagnostic.\n"
    assert "Opened 2027 diagnostic: 1 returns." in run("open", str(round_.pk), "--invite", *by)
    assert [message.to for message in emails_sent()] == [[editor.email]]
    assert run("returns", str(round_.pk)) == f"not_started\t{council_a.gss_code}\t{council_a.name}\n"
    assert run("returns", str(round_.pk), "--status", "submitted") == ""
    run("close", str(round_.pk), *by)
    assert "Published 2027 diagnostic; public from now." in run("publish", str(round_.pk), *by)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED and round_.published_at
    assert set(AuditEvent.objects.filter(actor=national_admin).values_list("action", flat=True)) >= {
        "round_created",
        "round_invitations_sent",
        "results_published",
    }


def test_a_step_the_rules_refuse_exits_1_with_the_pages_reason(council_a, national_admin):
    round_ = make_open_round(council_a)
    refused = refusal("publish", str(round_.pk), "--by", national_admin.email)
    assert refused.returncode == 1 and str(refused) == "Close the round before publishing its results."


def test_an_unknown_round_or_someone_not_in_the_national_team_exits_2(council_a, editor, national_admin):
    round_ = make_open_round(council_a)
    unknown = refusal("close", "999999", "--by", national_admin.email)
    assert unknown.returncode == 2 and "There is no round 999999" in str(unknown)
    not_national = refusal("close", str(round_.pk), "--by", editor.email)
    assert not_national.returncode == 2 and "is not an active national admin" in str(not_national)
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.OPEN


@pytest.fixture
def submitted(council_a, editor):
    round_ = make_open_round(council_a)
    council_return = Return.objects.get(round=round_, organisation=council_a)
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    return round_


def test_the_exports_are_written_to_files_in_each_format(submitted, council_a, tmp_path):
    for extension in ("csv", "xlsx", "json"):
        output = tmp_path / f"returns.{extension}"
        assert run("export", str(submitted.pk), "--format", extension, "--output", str(output)) == f"Wrote {output}.\n"
    assert council_a.gss_code in (tmp_path / "returns.csv").read_text().splitlines()[1]
    assert json.loads((tmp_path / "returns.json").read_text())["returns"] == 1
    assert openpyxl.load_workbook(tmp_path / "returns.xlsx").sheetnames == ["About", "Answers"]


def test_the_national_report_is_written_as_html_and_pdf(submitted, national_admin, tmp_path):
    by = ["--by", national_admin.email]
    run("report", str(submitted.pk), "--format", "html", "--output", str(tmp_path / "report.html"), *by)
    run("report", str(submitted.pk), "--format", "pdf", "--output", str(tmp_path / "report.pdf"), *by)
    assert "2026 diagnostic" in (tmp_path / "report.html").read_text()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
