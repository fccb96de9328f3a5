from django.urls import path

from . import export_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("learners/", views.learner_list, name="learners"),
    path("learners/<int:pk>/", views.learner_record, name="learner"),
    path("learners/<int:pk>/erase/", views.learner_erase, name="learner_erase"),
    path("refresh/", views.refresh, name="refresh"),
    path("export/<slug:table>.<slug:fmt>", export_views.export, name="export"),
    path("exports/<int:pk>/", export_views.export_status, name="export_status"),
    path(
        "exports/<int:pk>/download/",
        export_views.export_download,
        name="export_download",
    ),
    path("project/", export_views.project_report_view, name="project_report"),
    path("summary/", export_views.summary_send, name="summary_send"),
    path("impact/", views.impact, name="impact"),
    path(
        "impact/<slug:kind>.xlsx",
        export_views.impact_export,
        name="impact_export",
    ),
]
