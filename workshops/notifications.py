"""The one place workshop e-mails are sent from (plain text, with an optional
calendar attachment), so that sending can move to a shared notifications
module in one step."""

from django.core.mail import EmailMessage


def send(*, to, subject, body, calendar=None, calendar_method="REQUEST"):
    message = EmailMessage(subject=subject, body=body, to=[to])
    if calendar is not None:
        message.attach(
            "invite.ics",
            calendar,
            f'text/calendar; charset="utf-8"; method={calendar_method}',
        )
    message.send()
