from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("start/<int:page_id>/", views.start, name="start"),
    path("attempt/<int:pk>/", views.attempt, name="attempt"),
    path("attempt/<int:pk>/save/", views.save, name="save"),
    path("attempt/<int:pk>/submit/", views.submit, name="submit"),
    path("attempt/<int:pk>/review/", views.review, name="review"),
]
