from django.urls import path

from nps.assessments.views import (
    actions,
    evidence,
    outreach,
    reorganisation,
    respondents,
    returns,
    reviews,
    rounds,
    signoff,
    validation,
    workbook,
)

app_name = "assessments"
RETURN = "organisations/<str:gss_code>/rounds/<id:round_id>/"
INDEX = RETURN + "indices/<slug:index_code>/"
urlpatterns = [
    path("reorganisations/", reorganisation.reorganisations, name="reorganisations"),
    path("reorganisations/rename/", reorganisation.rename, name="rename_code"),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/new/", rounds.new_round, name="new_round"),
    path("groups/<str:gss_code>/rounds/new/", rounds.new_group_round, name="new_group_round"),
    path("rounds/<id:round_id>/", rounds.round_detail, name="round"),
    path("rounds/<id:round_id>/open/", outreach.open_and_invite, name="open_round"),
    path("rounds/<id:round_id>/invitations/", outreach.round_invitations, name="round_invitations"),
    path("rounds/<id:round_id>/invitations/send/", outreach.send_round_invitations, name="send_invitations"),
    path("rounds/<id:round_id>/invitations/resend/", outreach.resend_round_emails, name="resend_emails"),
    path("rounds/<id:round_id>/close/", rounds.close, name="close_round"),
    path("rounds/<id:round_id>/share-early/", rounds.share_early_setting, name="share_early"),
    path("rounds/<id:round_id>/deadline/", rounds.deadline, name="deadline"),
    path("rounds/<id:round_id>/returns/<str:gss_code>/reopen/", rounds.reopen, name="reopen"),
    path("returns/", returns.my_returns, name="my_returns"),
    path(RETURN, returns.overview, name="overview"),
    path(RETURN + "workbook.xlsx", workbook.download, name="workbook_download"),
    path(RETURN + "workbook/", workbook.upload, name="workbook_upload"),
    path(RETURN + "respondents/", respondents.respondents, name="respondents"),
    path(RETURN + "my-view/", respondents.my_view, name="my_view"),
    path(RETURN + "my-view/<slug:index_code>/", respondents.my_view_index, name="my_view_index"),
    path(INDEX, returns.answer, name="answer"),
    path(INDEX + "history/", returns.history, name="history"),
    path(INDEX + "evidence/", evidence.upload, name="upload_evidence"),
    path(INDEX + "evidence/<id:file_id>/", evidence.download, name="evidence"),
    path(INDEX + "evidence/<id:file_id>/delete/", evidence.delete, name="delete_evidence"),
    path(INDEX + "actions/new/", actions.new_action, name="new_action"),
    path("organisations/<str:gss_code>/actions/", actions.action_list, name="actions"),
    path("organisations/<str:gss_code>/actions/<id:action_id>/", actions.edit_action, name="edit_action"),
    # National validation and queries (issue 9, part 4)
    path("rounds/<id:round_id>/returns/<str:gss_code>/validation/", validation.return_validation, name="validation"),
    path(
        "rounds/<id:round_id>/returns/<str:gss_code>/indices/<slug:index_code>/query/",
        validation.ask,
        name="ask_query",
    ),
    path(INDEX + "queries/<id:query_id>/", validation.respond, name="respond"),
    # Peer review (issue 9, part 3): the council asks, withdraws and resolves; the reviewer reads and finds.
    path(RETURN + "reviews/", reviews.return_reviews, name="return_reviews"),
    path(RETURN + "reviews/new/", reviews.ask, name="ask_review"),
    path(RETURN + "reviews/<id:review_id>/withdraw/", reviews.withdraw, name="withdraw_review"),
    path(RETURN + "reviews/findings/<id:finding_id>/resolve/", reviews.resolve, name="resolve_finding"),
    path("reviews/", reviews.my_reviews, name="my_reviews"),
    path("reviews/<id:review_id>/", reviews.review, name="review"),
    path("reviews/<id:review_id>/complete/", reviews.complete, name="complete_review"),
    path("reviews/<id:review_id>/indices/<slug:index_code>/", reviews.review_index, name="review_index"),
    path(
        "reviews/<id:review_id>/indices/<slug:index_code>/evidence/<id:file_id>/",
        reviews.review_evidence,
        name="review_evidence",
    ),
    # Issue 9, parts 1 and 2: the check page, confirming prefilled answers, and sign-off
    path(RETURN + "submit/", signoff.check, name="submit"),
    path(RETURN + "send-for-sign-off/", signoff.send, name="send_for_sign_off"),
    path(RETURN + "sign-off/", signoff.approve, name="sign_off"),
    path(RETURN + "send-back/", signoff.send_back_page, name="send_back"),
    path(INDEX + "confirm/", signoff.confirm, name="confirm_answer"),
]
