import pytest

from nps.accounts.models import Membership, Role
from nps.assessments.models import Respondent, RespondentAnswer
from nps.assessments.respondents import invite_respondent
from nps.frameworks.models import Index
from nps.testing import emails_sent

pytestmark = pytest.mark.django_db


def codes(*names):
    return list(Index.objects.filter(code__in=names, version__code="2018"))


def test_the_editor_asks_a_colleague_who_already_has_access(client_for, editor, viewer, council_return, return_url):
    indices = codes("engaging-councillors", "working-with-partners")
    response = client_for(editor).post(
        return_url + "respondents/", {"email": viewer.email, "indices": [index.pk for index in indices]}
    )
    assert response.status_code == 302
    respondent = Respondent.objects.get()
    assert set(respondent.indices.all()) == set(indices)
    assert emails_sent()[-1].to == [viewer.email]
    assert return_url + "my-view/" in emails_sent()[-1].body


def test_a_colleague_without_an_account_gets_an_invitation_as_respondent(
    client_for, editor, council_return, return_url
):
    client_for(editor).post(
        return_url + "respondents/",
        {"email": "new.person@alderley.example", "indices": [codes("engaging-councillors")[0].pk]},
    )
    assert "/invitations/" in emails_sent()[-1].body


def test_asking_needs_at_least_one_index(client_for, editor, return_url):
    response = client_for(editor).post(return_url + "respondents/", {"email": "x@alderley.example"})
    assert "Choose at least one index" in response.content.decode()
    assert not Respondent.objects.exists()


def test_a_respondent_sees_and_answers_only_what_they_were_asked(
    client_for, editor, viewer, council_return, return_url
):
    invite_respondent(council_return, viewer.email, codes("engaging-councillors"), by=editor)
    client = client_for(viewer)
    assert "Engaging councillors" in client.get(return_url + "my-view/").content.decode()
    assert client.get(return_url + "my-view/working-with-partners/").status_code == 404
    response = client.post(return_url + "my-view/engaging-councillors/", {"current_level": 4, "comment": "Cabinet"})
    assert response.status_code == 302
    assert RespondentAnswer.objects.get().current_level == 4


def test_a_respondent_with_only_the_respondent_role_cannot_read_the_return(
    client_for, editor, council_return, return_url
):
    from nps.testing import make_user

    colleague = make_user("rita@alderley.example", organisation=council_return.organisation, role=Role.RESPONDENT)
    invite_respondent(council_return, colleague.email, codes("engaging-councillors"), by=editor)
    client = client_for(colleague)
    assert client.get(return_url + "my-view/").status_code == 200
    assert client.get(return_url).status_code == 404
    assert client.get(return_url + "indices/engaging-councillors/").status_code == 404


def test_nobody_else_can_use_someone_elses_request(
    client_for, editor, viewer, other_editor, council_return, return_url
):
    invite_respondent(council_return, other_editor.email, codes("engaging-councillors"), by=editor)
    assert client_for(other_editor).get(return_url + "my-view/").status_code == 404  # not a member of council A
    assert client_for(viewer).get(return_url + "my-view/").status_code == 404  # a member, but not asked


def test_the_editor_sees_views_side_by_side_with_the_spread(client_for, editor, viewer, council_return, return_url):
    from nps.testing import make_user

    other = make_user(
        "olive@alderley.example", organisation=council_return.organisation, role=Role.RESPONDENT, first_name="Olive"
    )
    index = codes("engaging-councillors")
    for person, level in [(viewer, 1), (other, 4)]:
        respondent = invite_respondent(council_return, person.email, index, by=editor)
        RespondentAnswer.objects.create(respondent=respondent, index=index[0], current_level=level)
    html = client_for(editor).get(return_url + "respondents/").content.decode()
    assert "1–4, median 1" in html
    assert html.count(">differs</strong>") == 2
    answer_page = client_for(editor).get(return_url + "indices/engaging-councillors/").content.decode()
    assert "Colleagues' views" in answer_page and "Differs by 2+ levels" in answer_page


def test_accepting_a_respondent_invitation_never_takes_a_role_away(client_for, editor, viewer, council_return):
    from nps.accounts.models import Invitation, hash_token
    from nps.accounts.services import accept_invitation

    invitation = Invitation.objects.create(
        organisation=council_return.organisation, email=viewer.email, role=Role.RESPONDENT, token_hash=hash_token("t")
    )
    accept_invitation(invitation, by=viewer)
    assert Membership.objects.get(user=viewer).role == Role.VIEWER
