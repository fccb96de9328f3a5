from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("data/", views.data, name="data"),
    path("data/<int:pk>/download/", views.data_download, name="data_download"),
    path("erase/", views.erase, name="erase"),
    path("consent/", views.consent, name="consent"),
]
