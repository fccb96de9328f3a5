"""The learner's own certificates, under /<language>/certificates/."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/certificate.pdf", views.download, {"kind": "pdf"}, name="pdf"),
    path("<int:pk>/certificate.png", views.download, {"kind": "png"}, name="png"),
]
