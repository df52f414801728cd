import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from nps.core.models import AuditEvent
from nps.testing import set_up_two_factor

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


def test_the_national_team_turns_off_two_factor_for_someone_who_lost_their_phone_and_codes(
    client_for, national_admin, editor
):
    set_up_two_factor(editor)
    device = TOTPDevice.objects.get(user=editor)
    client = client_for(national_admin)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert "Authenticator app (Alice)" in page and device.key not in page
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    event = AuditEvent.objects.get(action="two_factor_turned_off")
    assert event.actor == national_admin and editor.email in event.description
