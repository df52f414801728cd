from django.urls import path

from nps.community.views import case_studies, exemplars, national

app_name = "community"
COUNCIL = "community/organisations/<str:gss_code>/"
urlpatterns = [
    path("community/", exemplars.home, name="home"),
    path(COUNCIL, exemplars.council, name="council"),
    path(COUNCIL + "offer/", exemplars.offer, name="offer"),
    path(COUNCIL + "offers/<slug:index_code>/withdraw/", exemplars.withdraw, name="withdraw"),
    path(COUNCIL + "connect/<str:exemplar_gss_code>/<slug:index_code>/", exemplars.connect, name="connect"),
    path(COUNCIL + "rounds/<id:round_id>/exemplars/", exemplars.suggestions, name="suggestions"),
    path("community/connections/", national.connections, name="connections"),
    path("community/connections/<id:request_id>/", national.connection, name="connection"),
    path("community/support/", national.support, name="support"),
    path("community/exemplary/", national.marks, name="marks"),
    path("community/exemplary/<id:mark_id>/remove/", national.remove, name="remove_mark"),
    path("community/case-studies/", case_studies.manage, name="manage_case_studies"),
    path("community/case-studies/new/", case_studies.new, name="new_case_study"),
    path("community/case-studies/<id:case_study_id>/", case_studies.edit, name="edit_case_study"),
    path("community/case-studies/<id:case_study_id>/publish/", case_studies.publish, name="publish_case_study"),
    path("case-studies/", case_studies.library, name="library"),
    path("case-studies/<slug:slug>/", case_studies.case_study, name="case_study"),
]
