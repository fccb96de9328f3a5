"""Summary e-mails for coordinators: the headline figures of their countries
(overall and for one month), a table by country and one by course, with
small numbers hidden, and a link to the dashboard. Figures come from
``selectors.report_for`` for the person the e-mail goes to, so that it never
shows a country outside their scope. Sending, once, is in ``services``."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from training_platform.accounts import roles
from training_platform.accounts.selectors import countries_visible_to

from . import selectors, suppression
from .exports import params_of, query_dict
from .forms import ReportFilterForm

# Rows of each table in the e-mail; the dashboard has the rest.
TABLE_ROWS = 30


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    first = month_start(day)
    if first.month == 1:
        return first.replace(year=first.year - 1, month=12)
    return first.replace(month=first.month - 1)


def summary_context(viewer, *, period: date, query="") -> dict:
    """What the summary shows, in the active language."""
    data = query_dict(query)
    form = ReportFilterForm(data or None, viewer=viewer)
    limit = suppression.threshold()
    report = suppression.suppress_report(
        selectors.report_for(viewer, form.filters()), limit
    )
    month = next(
        (row for row in report.months if row["key"] == period),
        {"key": period, "enrolments": 0, "completed": 0},
    )
    tables = []
    for name, heading, _field in selectors.SECTIONS:
        if name in ("country", "course") or (
            name == "project" and report.breakdowns[name]
        ):
            rows = report.breakdowns[name]
            tables.append(
                (
                    str(heading),
                    rows[:TABLE_ROWS],
                    max(0, len(rows) - TABLE_ROWS),
                )
            )
    dashboard = reverse("reports:dashboard")
    encoded = query_dict(params_of(data)).urlencode()
    return {
        "viewer": viewer,
        "period": period,
        "all_countries": roles.is_administrator(viewer),
        "countries": [c.localized_name for c in countries_visible_to(viewer)],
        "filters": form.described(),
        "refreshed_at": report.refreshed_at,
        "headline": report.headline,
        "in_month": month,
        "tables": tables,
        "threshold": limit,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "dashboard_url": f"{settings.SITE_URL}{dashboard}"
        + (f"?{encoded}" if encoded else ""),
    }


def summary_message(
    viewer, *, period: date, language: str, query="", monthly: bool = False
) -> EmailMultiAlternatives:
    """The summary e-mail to ``viewer`` (plain text and HTML), written in
    ``language``."""
    with translation.override(language):
        context = summary_context(viewer, period=period, query=query)
        context["monthly"] = monthly
        subject = " ".join(
            render_to_string("reports/email/summary_subject.txt", context).split()
        )
        text = render_to_string("reports/email/summary.txt", context)
        html = render_to_string("reports/email/summary.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[viewer.email])
    message.attach_alternative(html, "text/html")
    return message


MONTHLY = "coordinator_monthly_summary"


def _monthly_context(notification):
    period = date.fromisoformat(notification.context["period"])
    context = summary_context(notification.recipient, period=period)
    context["monthly"] = True
    return context


def register_events():
    """The coordinators' monthly summary, sent through the notifications
    module (the same words as the on-demand summary)."""
    from django.utils.translation import gettext_lazy as _

    from training_platform.notifications import registry

    registry.register(
        MONTHLY,
        label=_("Coordinators' monthly summary"),
        template="reports/email/monthly",
        context=_monthly_context,
    )
