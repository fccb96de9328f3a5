from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path(
        "staff/dates/<int:date_id>/register/",
        views.attendance_register,
        name="register",
    ),
    path("staff/dates/<int:date_id>/walk-in/", views.walk_in, name="walk_in"),
    path(
        "staff/sessions/<int:session_id>/paper-results/",
        views.paper_results,
        name="paper_results",
    ),
    path(
        "staff/sessions/<int:session_id>/bulk/",
        views.bulk_register,
        name="bulk_register",
    ),
    path("staff/dates/<int:date_id>/qr/", views.qr_code, name="qr"),
    path("dates/<int:date_id>/check-in/", views.check_in, name="check_in"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
