import datetime

import pytest
import time_machine

from nps.assessments.actions import plan_action
from nps.assessments.answers import save_answer
from nps.assessments.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def gap(council_return, editor):
    answer = council_return.answers.get(index__code="engaging-councillors")
    return save_answer(answer, {"current_level": 2, "target_level": 4}, expected_version=0, by=editor)


def test_an_editor_plans_an_action_toward_the_next_level(client_for, editor, gap, return_url):
    url = return_url + "indices/engaging-councillors/actions/new/"
    page = client_for(editor).get(url).content.decode()
    assert "Councillor engagement is delivering better results on some projects." in page  # Mature, the next level
    response = client_for(editor).post(
        url,
        {
            "title": "Member training",
            "owner": "Head of procurement",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2027",
            "status": "planned",
            "aim_level": 3,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.title, action.aim_level, action.created_by) == ("Member training", 3, editor)


@pytest.mark.parametrize("persona", ["viewer", "other_editor", "group_lead", "national_admin"])
def test_only_the_councils_editors_plan_actions(request, client_for, gap, return_url, persona):
    client = client_for(request.getfixturevalue(persona))
    url = return_url + "indices/engaging-councillors/actions/new/"
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url,
            {
                "title": "x",
                "owner": "y",
                "due_date_0": "1",
                "due_date_1": "1",
                "due_date_2": "2027",
                "aim_level": 3,
                "status": "planned",
            },
        ).status_code
        == 404
    )
    assert not Action.objects.exists()


def test_the_action_list_flags_overdue_actions(client_for, editor, viewer, gap, council_a):
    plan_action(gap, title="Late one", owner="A", due_date=datetime.date(2026, 1, 1), aim_level=3, by=editor)
    plan_action(gap, title="Future one", owner="B", due_date=datetime.date(2030, 1, 1), aim_level=3, by=editor)
    with time_machine.travel(datetime.datetime(2026, 11, 26, tzinfo=datetime.UTC)):
        html = client_for(viewer).get(f"/organisations/{council_a.gss_code}/actions/").content.decode()
    assert "1 action overdue" in html
    assert html.count(">Overdue</strong>") == 1


@pytest.mark.parametrize(("persona", "status"), [("other_editor", 404), ("group_lead", 404), ("viewer", 200)])
def test_the_action_list_is_for_the_council_only(request, client_for, council_a, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/organisations/{council_a.gss_code}/actions/").status_code == status


def test_an_editor_marks_an_action_done(client_for, editor, other_editor, gap, council_a):
    action = plan_action(gap, title="Training", owner="A", due_date=datetime.date(2027, 1, 1), aim_level=3, by=editor)
    url = f"/organisations/{council_a.gss_code}/actions/{action.pk}/"
    data = {
        "title": "Training",
        "owner": "A",
        "due_date_0": "1",
        "due_date_1": "1",
        "due_date_2": "2027",
        "status": "done",
        "aim_level": 3,
    }
    assert client_for(other_editor).post(url, data).status_code == 404
    client_for(editor).post(url, data)
    assert Action.objects.get().status == "done"
