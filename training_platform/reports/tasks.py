"""Thin tasks: they take ids, call a service and are safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def refresh_reports():
    services.report_refresh()
