from django.urls import path

from nps.frameworks.views import manage, public, regional

app_name = "frameworks"
VERSION = "<slug:framework>/<str:version>/"
MANAGE = "manage/" + VERSION
urlpatterns = [
    path("", public.overview, name="overview"),
    path("versions/", public.version_list, name="versions"),
    path("versions/" + VERSION, public.version_detail, name="version"),
    path("versions/" + VERSION + "strategy.yaml", public.version_file, name="version_file"),
    path("versions/" + VERSION + "<slug:code>/", public.version_index, name="version_index"),
    path("changes/", public.changes, name="changes"),
    path("crosswalks/", public.crosswalks, name="crosswalks"),
    path("manage/", manage.manage, name="manage"),
    path("manage/import/", manage.import_file, name="import"),
    path(MANAGE, manage.edit_version, name="edit_version"),
    path(MANAGE + "new-version/", manage.new_version, name="new_version"),
    path(MANAGE + "indices/new/", manage.edit_index, name="add_index"),
    path(MANAGE + "indices/<slug:code>/", manage.edit_index, name="edit_index"),
    path(MANAGE + "indices/<slug:code>/statements/new/", manage.add_statement, name="add_statement"),
    path(
        MANAGE + "indices/<slug:code>/statements/<str:statement>/remove/",
        manage.remove_statement,
        name="remove_statement",
    ),
    path(MANAGE + "indices/<slug:code>/statements/<str:statement>/move/", manage.move_statement, name="move_statement"),
    path(MANAGE + "indices/<slug:code>/retire/", manage.retire_index, name="retire_index"),
    path(MANAGE + "indices/<slug:code>/move/", manage.move_index, name="move_index"),
    path(MANAGE + "themes/new/", manage.add_theme, name="add_theme"),
    path(MANAGE + "publish/", manage.publish, name="publish"),
    path(MANAGE + "make-current/", manage.make_current, name="make_current"),
    path("regional/<str:gss_code>/", regional.strategy, name="regional"),
    path("regional/<str:gss_code>/derive/", regional.derive, name="derive"),
    path("regional/<str:gss_code>/rebase/", regional.rebase, name="rebase"),
    path("<slug:code>/", public.index_detail, name="index"),
]
