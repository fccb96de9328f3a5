"""Exports of the report tables and learner lists, and summary e-mails."""

from django.http import Http404


def export(request, table, fmt):
    raise Http404


def export_status(request, pk):
    raise Http404


def export_download(request, pk):
    raise Http404


def summary_send(request):
    raise Http404
