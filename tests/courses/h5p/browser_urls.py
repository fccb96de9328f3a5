"""A minimal lesson-like page for the browser tests: the site's layout with
the H5P activity block for each content given in ``?c=<uuid>,<uuid>``."""

from django.template import engines
from django.urls import path

from courses.h5p.blocks import H5PActivityBlock
from courses.h5p.models import H5PContent
from training_platform.urls import urlpatterns as site_urlpatterns

TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Activities{% endblock %}'
    "{% block content %}<h1>Activities</h1>"
    "{% for html in blocks %}{{ html }}{% endfor %}{% endblock %}"
)


def activity_page(request):
    from django.http import HttpResponse

    block = H5PActivityBlock()
    rendered = []
    for value in request.GET.get("c", "").split(","):
        content = H5PContent.objects.get(uuid=value)
        block_value = block.to_python(
            {"content": content.pk, "title": "", "pass_threshold": None}
        )
        rendered.append(block.render(block_value, context={"request": request}))
    return HttpResponse(TEMPLATE.render({"blocks": rendered}, request))


urlpatterns = [path("test-activities/", activity_page), *site_urlpatterns]
