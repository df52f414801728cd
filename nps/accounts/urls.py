from django.urls import path

from nps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/email-preferences/", views.account_email_preferences, name="account_email_preferences"),
    path("account/api-tokens/", views.api_tokens, name="api_tokens"),
    path("account/api-tokens/<id:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("organisations/<str:gss_code>/team/", views.team, name="team"),
    path("organisations/<str:gss_code>/team/<id:membership_id>/remove/", views.remove_member, name="remove_member"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("email-preferences/<str:token>/", views.email_preferences, name="email_preferences"),
]
