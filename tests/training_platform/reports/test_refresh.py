"""Rebuilding the report tables: who may ask for it, that it is safe to run
twice or at once, and that a real worker runs it (services run)."""

import threading
import time

import pytest

from training_platform.reports.selectors import ReportFilters, report_for


@pytest.mark.django_db
def test_administrator_refreshes_now_and_coordinator_may_not(
    report_data, administrator, coordinator, staff_client
):
    from courses.models import Enrolment
    from training_platform.reports.models import ReportRefresh

    Enrolment.objects.filter(user=report_data.people["al_u1"]).update(
        status="withdrawn"
    )
    before = ReportRefresh.objects.get().pk
    client = staff_client(coordinator)
    response = client.post("/en/coordinator/refresh/?country=RS", follow=True)
    assert "Only administrators" in response.content.decode()
    assert ReportRefresh.objects.get().pk == before
    client = staff_client(administrator)
    response = client.post("/en/coordinator/refresh/?country=RS")
    assert response.status_code == 302
    assert response["Location"] == "/en/coordinator/?country=RS"
    assert ReportRefresh.objects.get().pk != before
    headline = report_for(administrator, ReportFilters()).headline
    assert headline["withdrawn"] == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_leave_one_consistent_set(report_data, administrator):
    """On PostgreSQL the second waits for the first (advisory lock): no
    duplicate key, no doubled figures."""
    from django.db import connection

    from training_platform.reports.services import report_refresh

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL runs refreshes concurrently")
    errors = []

    def run():
        try:
            report_refresh()
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    headline = report_for(administrator, ReportFilters()).headline
    assert (headline["enrolments"], headline["learners"]) == (8, 6)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_rebuilds_the_tables(report_data, real_celery):
    from training_platform.reports.models import ReportRefresh
    from training_platform.reports.tasks import refresh_reports

    before = ReportRefresh.objects.get().pk
    refresh_reports.delay()
    deadline = time.monotonic() + 30
    while ReportRefresh.objects.filter(pk=before).exists():
        assert time.monotonic() < deadline, "the worker did not refresh the tables"
        time.sleep(0.2)
