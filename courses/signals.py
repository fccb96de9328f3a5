from django.dispatch import Signal

# Sent after the transaction that recorded a course completion commits, with
# ``sender=CourseCompletion, completion=<CourseCompletion>, enrolment=<Enrolment>``.
# Receivers must be idempotent (the sender never sends twice for one completion,
# but a receiver's own retries may run twice).
course_completed = Signal()
