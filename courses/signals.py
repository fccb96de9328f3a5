from django.dispatch import Signal

# Sent after the transaction that recorded a course completion commits, with
# ``sender=CourseCompletion, completion=<CourseCompletion>, enrolment=<Enrolment>``.
# Receivers must be idempotent (the sender never sends twice for one completion,
# but a receiver's own retries may run twice).
course_completed = Signal()

# Checks an app above may add before a learner takes a completed course again
# (a new round): each is called with the current, completed enrolment and
# returns None to allow the new round or a message for the learner saying why
# not yet (certificates: the current certificate has not expired).
new_round_checks = []


def register_new_round_check(check):
    if check not in new_round_checks:
        new_round_checks.append(check)
    return check


# Apps above that tell the learner of a completion in a message of their own
# (the certificate e-mail congratulates): each is called with the completed
# enrolment and returns True when it will, and the course's own "completed"
# e-mail is then not sent, so that one completion is one message.
completion_announcers = []


def register_completion_announcer(announcer):
    if announcer not in completion_announcers:
        completion_announcers.append(announcer)
    return announcer


# What a completed course's page offers next, from higher apps (the surveys
# app asks for feedback): each is called with the learner and the course key
# and returns None or {"url": ..., "label": ..., "note": ...}.
completed_next_steps = []


def register_completed_next_step(step):
    if step not in completed_next_steps:
        completed_next_steps.append(step)
    return step
