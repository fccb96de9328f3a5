from celery import shared_task
from django.core import management


@shared_task
def clear_expired_sessions():
    management.call_command("clearsessions")


@shared_task
def apply_retention():
    from .personal_data import retention_apply

    retention_apply()
