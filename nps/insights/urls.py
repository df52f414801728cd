from django.urls import path

from nps.insights.views import council, exports, group, national, public

app_name = "insights"
RETURN = "organisations/<str:gss_code>/rounds/<id:round_id>/"
urlpatterns = [
    path(RETURN + "dashboard/", council.dashboard, name="dashboard"),
    path(RETURN + "report/", council.report, name="council_report"),
    path(RETURN + "report.pdf", council.report_pdf, name="council_report_pdf"),
    path(RETURN + "export.csv", exports.return_csv, name="return_csv"),
    path(RETURN + "export-actions.csv", exports.return_actions_csv, name="return_actions_csv"),
    path(RETURN + "export.xlsx", exports.return_xlsx, name="return_xlsx"),
    path(RETURN + "export.json", exports.return_json, name="return_json"),
    path("groups/<str:gss_code>/rounds/", group.group_rounds, name="group_rounds"),
    path("groups/<str:gss_code>/rounds/<id:round_id>/", group.group_report, name="group_report"),
    path("groups/<str:gss_code>/rounds/<id:round_id>/report.pdf", group.group_report_pdf, name="group_report_pdf"),
    path("rounds/<id:round_id>/progress/", national.progress, name="progress"),
    path("rounds/<id:round_id>/report/", national.national_report, name="national_report"),
    path("rounds/<id:round_id>/report.pdf", national.national_report_pdf, name="national_report_pdf"),
    path("rounds/<id:round_id>/publish/", national.publish, name="publish"),
    path("rounds/<id:round_id>/publish/withdraw/", national.withdraw, name="withdraw"),
    path("rounds/<id:round_id>/returns.csv", exports.round_csv, name="round_csv"),
    path("rounds/<id:round_id>/returns.xlsx", exports.round_xlsx, name="round_xlsx"),
    path("rounds/<id:round_id>/returns.json", exports.round_json, name="round_json"),
    path("results/", public.results_list, name="results_list"),
    path("results/schema/", public.schema, name="results_schema"),
    path("results/schema.json", public.schema_json, name="results_schema_json"),
    path("results/<id:round_id>/", public.results, name="results"),
    path("results/<id:round_id>/figures.csv", public.results_csv, name="results_csv"),
    path("results/<id:round_id>/figures.json", public.results_json, name="results_json"),
]
