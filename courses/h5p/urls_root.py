"""A URL configuration with only the H5P endpoints and no language prefix.

Django's LocaleMiddleware turns any 404 under a path without a language prefix
into a redirect to ``/<language>/...`` (which the page tree then answers). The
H5P endpoints point ``request.urlconf`` here so that their own 404 answers
(JSON for the API, bare for files) reach the client as they are."""

from django.urls import include, path

urlpatterns = [path("h5p/", include("courses.h5p.urls"))]
