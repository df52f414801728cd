from django.urls import path

from nps.accounts import session_views, single_sign_on, two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/email-preferences/", views.account_email_preferences, name="account_email_preferences"),
    path("account/api-tokens/", views.api_tokens, name="api_tokens"),
    path("account/api-tokens/<id:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("account/sign-in/code/", two_factor_views.sign_in_code, name="sign_in_code"),
    path("account/sign-in/recovery-code/", two_factor_views.sign_in_recovery_code, name="sign_in_recovery_code"),
    path("account/sign-in/organisation/", single_sign_on.start, name="single_sign_on"),
    path("account/sign-in/organisation/callback/", single_sign_on.callback, name="single_sign_on_callback"),
    path("account/two-factor/", two_factor_views.two_factor_status, name="two_factor"),
    path("account/two-factor/set-up/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/recovery-codes/", two_factor_views.new_recovery_codes, name="new_recovery_codes"),
    path("account/two-factor/turn-off/", two_factor_views.turn_off_two_factor, name="turn_off_two_factor"),
    path("account/sessions/", session_views.signed_in_sessions, name="sessions"),
    path("account/sessions/<id:session_id>/sign-out/", session_views.sign_out_session, name="sign_out_session"),
    path("account/sessions/sign-out-others/", session_views.sign_out_other_sessions, name="sign_out_other_sessions"),
    path("people/<id:user_id>/end-sessions/", session_views.end_sessions, name="end_sessions"),
    path("organisations/<str:gss_code>/team/", views.team, name="team"),
    path("organisations/<str:gss_code>/team/<id:membership_id>/remove/", views.remove_member, name="remove_member"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("email-preferences/<str:token>/", views.email_preferences, name="email_preferences"),
]
