from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("feedback/<uuid:course_key>/", views.feedback, name="feedback"),
    path(
        "follow-up/<uuid:survey_key>/<str:token>/",
        views.follow_up,
        name="follow_up",
    ),
]
