"""Summary e-mails: the monthly one, exactly once per coordinator and month,
in the coordinator's language and only with their countries (E01); the
on-demand one for the dashboard's filters, at most once a minute."""

from datetime import date, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.utils import timezone

from training_platform.reports import services, summaries, tasks
from training_platform.reports.models import SummaryDelivery, SummaryKind

from .test_exports import make_export_data

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def summary_data(db):
    return make_export_data()


@pytest.fixture
def georgia_coordinator(db):
    from training_platform.accounts.factories import CoordinatorFactory
    from training_platform.accounts.models import Country

    return CoordinatorFactory(
        email="nino@example.org",
        full_name="Nino Coordinator",
        countries=list(Country.objects.filter(code="GE")),
        preferred_language="ru",
    )


def html_of(message) -> str:
    return next(
        content for content, kind in message.alternatives if kind == "text/html"
    )


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_previous_month():
    assert summaries.previous_month(date(2026, 11, 1)) == OCTOBER
    assert summaries.previous_month(date(2026, 1, 15)) == date(2025, 12, 1)


def test_each_coordinator_gets_one_monthly_summary(
    summary_data, coordinator, georgia_coordinator, administrator
):
    assert services.monthly_summaries_send(today=NOVEMBER) == 2
    assert len(to(coordinator.email)) == 1
    assert len(to(georgia_coordinator.email)) == 1
    assert to(administrator.email) == []
    assert len(mail.outbox) == 2
    assert services.monthly_summaries_send(today=NOVEMBER) == 0
    services.monthly_summary_send(coordinator_id=coordinator.pk, period=OCTOBER)
    assert len(mail.outbox) == 2
    deliveries = SummaryDelivery.objects.filter(kind=SummaryKind.MONTHLY)
    assert deliveries.count() == 2
    assert all(d.sent_at and d.period == OCTOBER for d in deliveries)


def test_the_beat_task_sends_once_per_month(summary_data, coordinator):
    tasks.send_monthly_summaries.delay()
    tasks.send_monthly_summaries.delay()
    assert len(to(coordinator.email)) == 1
    period = summaries.previous_month(timezone.localdate())
    assert SummaryDelivery.objects.get(coordinator=coordinator).period == period


def test_a_new_month_is_a_new_summary(summary_data, coordinator):
    services.monthly_summaries_send(today=NOVEMBER)
    services.monthly_summaries_send(today=date(2026, 12, 1))
    assert len(to(coordinator.email)) == 2


def test_the_summary_shows_only_the_coordinators_countries_E01(
    summary_data, coordinator
):
    services.monthly_summaries_send(today=NOVEMBER)
    (message,) = to(coordinator.email)
    for body in (message.body, html_of(message)):
        assert "Serbia" in body and "Albania" in body
        assert "Victim identification" in body
        assert "Georgia" not in body
        assert "Georgia-only course" not in body
    assert "October 2026" in message.subject
    assert "Your countries: Albania, Serbia" in message.body


def test_the_summary_carries_the_months_figures_and_hides_small_numbers(
    summary_data, coordinator
):
    services.monthly_summaries_send(today=NOVEMBER)
    (message,) = to(coordinator.email)
    text = message.body
    # September's 3 enrolments are hidden, so October's 11 (of 14) is
    # withheld; Albania's 1 completion would follow from Serbia's 6 and the
    # 7 completions, which are withheld too, in October as overall.
    month = text.split("In October 2026", 1)[1].split("In figures", 1)[0]
    assert "Enrolments: …" in month
    assert "Completions: …" in month
    overall = text.split("In figures", 1)[1].split("By country", 1)[0]
    assert "Learners: 11" in overall
    assert "Enrolments: 14" in overall
    by_country = text.split("By country", 1)[1].split("By course", 1)[0]
    assert "Serbia: Enrolments … · Completed …" in by_country
    assert "Albania: Enrolments < 5 · Completed < 5" in by_country
    assert "Numbers below 5 are shown as “< 5”." in text
    assert "some other numbers are hidden too (shown as “…”)" in text
    html = html_of(message)
    assert 'data-figure="month-enrolments"><strong>…</strong>' in html
    assert "&lt; 5" in html


def test_long_tables_are_cut_with_a_pointer_to_the_dashboard(
    summary_data, coordinator, monkeypatch
):
    monkeypatch.setattr(summaries, "TABLE_ROWS", 1)
    services.monthly_summaries_send(today=NOVEMBER)
    (message,) = to(coordinator.email)
    by_country = message.body.split("By country", 1)[1].split("By course", 1)[0]
    assert "Serbia" in by_country and "Albania" not in by_country
    assert "… and 1 more on the dashboard" in by_country
    assert html_of(message).count("… and 1 more on the dashboard") == 2


def test_the_summary_links_to_the_dashboard(summary_data, coordinator, settings):
    settings.SITE_URL = "https://training.example.org"
    services.monthly_summaries_send(today=NOVEMBER)
    (message,) = to(coordinator.email)
    assert "https://training.example.org/en/coordinator/" in message.body
    assert 'href="https://training.example.org/en/coordinator/"' in html_of(message)


def test_the_summary_is_in_the_coordinators_language(
    summary_data, georgia_coordinator, settings
):
    settings.SITE_URL = "https://training.example.org"
    services.monthly_summaries_send(today=NOVEMBER)
    (message,) = to(georgia_coordinator.email)
    assert "Записи на курсы" in message.body
    assert "Ваши страны:" in message.body
    assert "https://training.example.org/ru/coordinator/" in message.body
    assert 'lang="ru"' in html_of(message)
    assert "Serbia" not in message.body and "Сербия" not in message.body


def test_coordinators_without_countries_get_no_summary(summary_data):
    from training_platform.accounts.factories import CoordinatorFactory

    nobody = CoordinatorFactory(email="empty@example.org")
    inactive = CoordinatorFactory(email="gone@example.org", is_active=False)
    services.monthly_summaries_send(today=NOVEMBER)
    assert to(nobody.email) == []
    assert to(inactive.email) == []
    assert not services.monthly_summary_send(coordinator_id=nobody.pk, period=OCTOBER)
    assert mail.outbox == []


def test_a_failure_to_send_leaves_the_summary_to_retry(
    summary_data, coordinator, monkeypatch
):
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def down(self, *args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    with pytest.raises(SMTPException):
        services.monthly_summary_send(coordinator_id=coordinator.pk, period=OCTOBER)
    delivery = SummaryDelivery.objects.get(coordinator=coordinator)
    assert delivery.sent_at is None
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    assert services.monthly_summary_send(coordinator_id=coordinator.pk, period=OCTOBER)
    assert services.monthly_summaries_send(today=NOVEMBER) == 0
    assert len(to(coordinator.email)) == 1


# ---------------------------------------------------------------- on demand


@pytest.fixture
def signed_in(client, mfa):
    def login(user):
        mfa(user)
        client.force_login(user)
        return client

    return login


def ask(client, capture, query="country=RS"):
    with capture(execute=True):
        return client.post(f"/en/coordinator/summary/?{query}", follow=True)


def test_on_demand_summary_follows_the_dashboards_filters(
    summary_data, coordinator, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(coordinator)
    response = ask(client, django_capture_on_commit_callbacks, "country=RS&sex=male")
    assert response.redirect_chain[-1] == ("/en/coordinator/?country=RS&sex=male", 302)
    assert "The summary is on its way to coordinator@example.org." in (
        response.content.decode()
    )
    (message,) = to(coordinator.email)
    assert "Country: Serbia" in message.body
    assert "Sex: Male" in message.body
    assert "Albania" not in message.body.split("By country", 1)[1]
    assert "/en/coordinator/?country=RS&sex=male" in message.body
    delivery = SummaryDelivery.objects.get(coordinator=coordinator)
    assert delivery.kind == SummaryKind.ON_DEMAND and delivery.sent_at


def test_on_demand_summary_at_most_once_a_minute(
    summary_data, coordinator, signed_in, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    client = signed_in(coordinator)
    ask(client, django_capture_on_commit_callbacks)
    again = ask(client, django_capture_on_commit_callbacks)
    assert "Please wait a minute" in again.content.decode()
    assert len(mail.outbox) == 1
    # Without the cache, the recorded delivery still holds the limit.
    cache.clear()
    ask(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    SummaryDelivery.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    cache.clear()
    later = ask(client, django_capture_on_commit_callbacks)
    assert "on its way" in later.content.decode()
    assert len(mail.outbox) == 2


def test_the_limit_is_per_person(
    summary_data,
    coordinator,
    administrator,
    signed_in,
    django_capture_on_commit_callbacks,
):
    ask(signed_in(coordinator), django_capture_on_commit_callbacks)
    ask(signed_in(administrator), django_capture_on_commit_callbacks, "")
    assert len(to(coordinator.email)) == 1
    (message,) = to(administrator.email)
    assert "All countries." in message.body
    assert "Georgia" in message.body


def test_on_demand_summary_needs_a_post(summary_data, coordinator, signed_in):
    client = signed_in(coordinator)
    assert client.get("/en/coordinator/summary/").status_code == 405


def test_learners_cannot_ask_for_a_summary(summary_data, learner, client):
    client.force_login(learner)
    assert client.post("/en/coordinator/summary/").status_code == 403
    assert mail.outbox == []


def test_the_beat_schedule_names_registered_tasks():
    from django.conf import settings

    from training_platform.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in (
        "training_platform.reports.tasks.send_monthly_summaries",
        "training_platform.reports.tasks.purge_expired_exports",
    ):
        assert name in names
        assert name in app.tasks


def test_summary_filtered_by_project_names_it_and_has_a_project_table(
    summary_data, coordinator
):
    from courses.models import CoursePage, Project

    project = Project.objects.create(
        code="EU-7", name="Protection", donor="EU", start_date=date(2026, 1, 1)
    )
    course = CoursePage.objects.live().first()
    course.projects.add(project)
    course.save()
    context = summaries.summary_context(
        coordinator, period=NOVEMBER, query="project=EU-7"
    )
    assert ("Project", "EU-7 – Protection") in context["filters"]
    headings = [heading for heading, _rows, _more in context["tables"]]
    assert headings == ["By country", "By course", "By project"]
    (_heading, rows, _more) = context["tables"][2]
    assert [row["param"] for row in rows] == ["EU-7"]
