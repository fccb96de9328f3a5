"""Small-cell suppression: in a disaggregated table a count below the
threshold (but above zero) is shown as "< 5", and a rate or average computed
from fewer people than that is not shown, so that nobody can be singled out.
"""

from django.conf import settings

COUNTS = (
    "learners",
    "enrolments",
    "pending",
    "active",
    "completed",
    "withdrawn",
    "scored",
    "graded",
    "passed",
    "pairs",
    "certificates",
    "certificates_valid",
    "certificates_expired",
    "certificates_revoked",
)
# Each derived figure and the count it is computed from.
DERIVED = {
    "completion_rate": "enrolments",
    "average_score": "scored",
    "pass_rate": "graded",
    "pre": "pairs",
    "post": "pairs",
    "gain": "pairs",
    "normalised_gain": "pairs",
}


class Suppressed:
    """A count too small to show."""

    def __init__(self, threshold: int):
        self.threshold = threshold

    def __str__(self):
        return f"< {self.threshold}"

    def __eq__(self, other):
        return isinstance(other, Suppressed) and other.threshold == self.threshold

    def __hash__(self):
        return hash(("suppressed", self.threshold))


class Hidden:
    """A rate or average computed from a suppressed count."""

    def __str__(self):
        return "…"

    def __eq__(self, other):
        return isinstance(other, Hidden)

    def __hash__(self):
        return hash("hidden")


def threshold() -> int:
    return int(getattr(settings, "REPORTS_SUPPRESSION_THRESHOLD", 5))


def _small(value, limit) -> bool:
    return isinstance(value, int) and 0 < value < limit


def suppress_row(row: dict, limit: int | None = None) -> dict:
    """A copy of ``row`` with small counts replaced by ``Suppressed`` and the
    figures derived from them by ``Hidden``."""
    limit = threshold() if limit is None else limit
    shown = dict(row)
    for name in COUNTS:
        if _small(row.get(name), limit):
            shown[name] = Suppressed(limit)
    for name, base in DERIVED.items():
        if name in row and row[name] is not None and _small(row.get(base), limit):
            shown[name] = Hidden()
    return shown


def suppress_rows(rows, limit: int | None = None) -> list[dict]:
    return [suppress_row(row, limit) for row in rows]
