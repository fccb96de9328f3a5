from django.urls import include, path
from refsite import views
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("bare/", views.bare),
    path("lms/", include("wagtail_lms.urls")),
    path("", include(wagtail_urls)),
]
