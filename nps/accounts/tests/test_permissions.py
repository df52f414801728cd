import pytest
from django.http import Http404

from nps.accounts.models import Role
from nps.accounts.permissions import can_edit, can_view, get_organisation_for_user, organisations_for
from nps.testing import make_user

pytestmark = pytest.mark.django_db

CASES = [
    # persona, may view council A's own data, may edit it
    ("editor", True, True),
    ("viewer", True, False),
    ("other_editor", False, False),
    ("group_lead", False, False),
    ("national_admin", True, False),
]


@pytest.mark.parametrize(("persona", "views", "edits"), CASES)
def test_who_may_see_and_change_council_a(request, council_a, persona, views, edits):
    user = request.getfixturevalue(persona)
    assert can_view(user, council_a) is views
    assert can_edit(user, council_a) is edits


@pytest.mark.parametrize(("persona", "views", "edits"), CASES)
def test_the_lookup_helper_gives_404_to_whoever_may_not(request, council_a, persona, views, edits):
    user = request.getfixturevalue(persona)
    for edit, allowed in [(False, views), (True, edits)]:
        if allowed:
            assert get_organisation_for_user(user, council_a.gss_code, edit=edit) == council_a
        else:
            with pytest.raises(Http404):
                get_organisation_for_user(user, council_a.gss_code, edit=edit)


def test_an_inactive_editor_sees_nothing(editor, council_a):
    editor.is_active = False
    editor.save()
    assert not can_view(editor, council_a)
    assert list(organisations_for(editor)) == []


def test_a_group_lead_may_see_and_change_their_groups_own_data(group_lead, group):
    assert can_view(group_lead, group) and can_edit(group_lead, group)


def test_people_see_only_their_own_organisations(editor, other_editor, council_a, council_b, national_admin):
    assert list(organisations_for(editor)) == [council_a]
    assert list(organisations_for(other_editor)) == [council_b]
    assert set(organisations_for(national_admin)) >= {council_a, council_b}


def test_a_respondent_role_lists_no_organisation(council_a):
    """Being asked for a view, or to review another council's return, is no way into the organisation's data."""
    respondent = make_user("rita@alderley.example", organisation=council_a, role=Role.RESPONDENT)
    assert list(organisations_for(respondent)) == []
    assert not can_view(respondent, council_a)
