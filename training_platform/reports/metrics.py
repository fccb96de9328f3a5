"""The figures every report row carries, as aggregate expressions over the
fact table and over the rollups, and the rates derived from them. Both
sources give the same numbers for the same filters (the tests compare them).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from courses.models import EnrolmentStatus

COUNTS = (
    "enrolments",
    "pending",
    "active",
    "completed",
    "withdrawn",
    "scored",
    "score_sum",
    "graded",
    "passed",
    "pairs",
    "pre_sum",
    "post_sum",
    "certificates_valid",
    "certificates_expired",
    "certificates_revoked",
)

_NOT_PENDING = ~Q(status=EnrolmentStatus.PENDING)
_PAIR = Q(pre_score__isnull=False, post_score__isnull=False)


def fact_metrics(*, learners=True) -> dict:
    """Aggregates over ``EnrolmentFact`` rows. An enrolment waiting for
    approval is counted as "pending" only: it is not (yet) an enrolment."""
    metrics = {
        "enrolments": Count("pk", filter=_NOT_PENDING),
        "pending": Count("pk", filter=Q(status=EnrolmentStatus.PENDING)),
        "active": Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
        "completed": Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        "withdrawn": Count("pk", filter=Q(status=EnrolmentStatus.WITHDRAWN)),
        "scored": Count("final_score"),
        "score_sum": Sum("final_score"),
        "graded": Count("final_passed"),
        "passed": Count("pk", filter=Q(final_passed=True)),
        "pairs": Count("pk", filter=_PAIR),
        "pre_sum": Sum("pre_score", filter=_PAIR),
        "post_sum": Sum("post_score", filter=_PAIR),
        "certificates_valid": Sum("certificates_valid"),
        "certificates_expired": Sum("certificates_expired"),
        "certificates_revoked": Sum("certificates_revoked"),
    }
    if learners:
        metrics["learners"] = Count("user", distinct=True, filter=_NOT_PENDING)
    return metrics


def rollup_metrics() -> dict:
    return {name: Sum(name) for name in COUNTS}


def _ratio(part, whole, places="0.1"):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


def _mean(total, count):
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def finish(row: dict) -> dict:
    """Fill missing sums with zero and add the derived figures:
    completion rate (completed of enrolments), average final score, pass rate
    (passed of those with a graded final exam), average pre- and post-test
    scores of learners who took both, the gain in points and Hake's
    normalised gain ``(post - pre) / (100 - pre)`` from those averages."""
    for name in COUNTS:
        if row.get(name) is None:
            row[name] = 0
    row["certificates"] = (
        row["certificates_valid"]
        + row["certificates_expired"]
        + row["certificates_revoked"]
    )
    row["completion_rate"] = _ratio(row["completed"], row["enrolments"])
    row["average_score"] = _mean(row["score_sum"], row["scored"])
    row["pass_rate"] = _ratio(row["passed"], row["graded"])
    pre = _mean(row["pre_sum"], row["pairs"])
    post = _mean(row["post_sum"], row["pairs"])
    row["pre"], row["post"] = pre, post
    row["gain"] = None if pre is None else post - pre
    row["normalised_gain"] = None
    if pre is not None and pre < 100:
        exact_pre = Decimal(row["pre_sum"]) / row["pairs"]
        exact_post = Decimal(row["post_sum"]) / row["pairs"]
        row["normalised_gain"] = (
            (exact_post - exact_pre) / (100 - exact_pre)
        ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return row
