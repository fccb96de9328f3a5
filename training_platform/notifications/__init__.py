"""One way for every app to tell a person something: an e-mail (HTML with a
plain-text part, in the recipient's preferred language) and an entry in the
site's notification list.

The API, for any app (``workshops``, ``courses``, ...)::

    from training_platform.notifications import registry, services

    # once, in AppConfig.ready():
    registry.register(
        "session_reminder",           # the event's name (stored in the table)
        label=_("Session reminder"),  # shown to administrators
        reminder=True,    # learners may turn it off; one-click unsubscribe
        context=build,    # optional: fn(notification) -> dict, at render time
        attachments=pdf,  # optional: fn(notification) -> [(name, bytes, mime)]
    )

    # whenever the event happens (inside the caller's transaction):
    services.notify(recipient=user, event="session_reminder",
                    key=f"session:{session.pk}:7", context={"session_id": session.pk})

``notify`` records one ``Notification`` row per (recipient, event, key) - a
database constraint, so a second call with the same key (beat firing twice, a
task delivered twice) records and sends nothing - and, after commit, queues
``tasks.deliver_notification``. The task renders
``notifications/email/<event>.subject.txt``, ``<event>.txt`` and
``<event>.html`` (or the event's own ``template`` prefix) in the recipient's
language, sends the message and marks the row delivered; a failed send is
retried with backoff and finally marked failed.

Delivery is exactly once except in one window: the mail server accepted the
message and the worker died before the row was marked sent. The row then still
holds its claim; after ``CLAIM_TIMEOUT`` the redelivered task (or the periodic
``resend_stalled`` sweep) sends it again. Every message carries a Message-ID
derived from the row, so the second copy is the same message to mail systems
that deduplicate by it. Sending twice in that rare case is preferred to losing
a message.

Code that already runs in a worker and wants the outcome (a task that must
retry when the mail server is down) calls ``services.notify_now(...)`` with
the same arguments: it records the row once and sends it in the calling
process, raising on failure. Learners who turned reminders off get no
``reminder=True`` event: ``notify`` records nothing and returns None.

``context`` must be JSON: store ids and plain values, and compute anything
that depends on the language (titles, links) in the event's ``context``
function, which runs inside the recipient's language."""
