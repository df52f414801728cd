import pytest

pytestmark = pytest.mark.django_db


def test_national_admins_use_the_django_admin(client_for, national_admin):
    assert client_for(national_admin).get("/admin/").status_code == 200


@pytest.mark.parametrize("persona", ["editor", "viewer", "group_lead", "other_editor"])
def test_nobody_else_gets_into_the_admin(request, client_for, persona):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    response = client_for(user).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_admins_own_sign_in_page_sends_people_to_the_services(client):
    """Which limits attempts and asks for the second factor."""
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302 and response.url == "/account/sign-in/?next=/admin/accounts/user/"
