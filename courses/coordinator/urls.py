from django.urls import path

from . import views

app_name = "courses_coordinator"

urlpatterns = [
    path("", views.enrolment_list, name="enrolments"),
    path("<int:pk>/approve/", views.enrolment_approve, name="approve"),
    path("<int:pk>/refuse/", views.enrolment_refuse, name="refuse"),
    path("<int:pk>/withdraw/", views.enrolment_withdraw, name="withdraw"),
    path("bulk/", views.bulk_upload, name="bulk_upload"),
    path("bulk/<int:pk>/", views.bulk_preview, name="bulk_preview"),
    path("bulk/<int:pk>/report.csv", views.bulk_report_csv, name="bulk_report_csv"),
    path("bulk/<int:pk>/report.xlsx", views.bulk_report_xlsx, name="bulk_report_xlsx"),
]
