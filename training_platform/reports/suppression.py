"""Small-cell suppression of a whole report: the headline, every breakdown
and the month table, together, so that the dashboard, the exports and the
summary e-mails hide the same cells.

A count below the threshold (but above zero) is shown as "< 5" (primary
suppression). A rate or average computed from a hidden count is not shown.
Because the tables add up (the headline is the sum of each breakdown's rows,
enrolments are those in progress, completed and withdrawn, ...), hiding the
small cells alone is not enough: Albania "< 5" beside Serbia 11 under a
headline of 14 gives Albania away. So further cells are withheld (shown as
"…", complementary suppression) until no hidden count can be worked out from
the figures shown, by subtraction or by combining several sums, nor pinned to
one value by the bounds a reader knows (a small count is 1 to 4, a withheld
one at least 5). The smallest counts are withheld first, and a total only
when nothing else in its sum can be.
"""

import dataclasses
import math

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
# The counts a reader sees in a breakdown or the month table, and so could
# add up; the others (how many were scored, graded, passed) only feed rates.
SHOWN = (
    "learners",
    "enrolments",
    "pending",
    "active",
    "completed",
    "withdrawn",
    "certificates",
    "certificates_valid",
    "certificates_expired",
    "certificates_revoked",
)
# Sums within a row: a total and its parts. "learners" and "enrolments" are
# one figure within a course (a learner has one enrolment per course).
ROW_SUMS = (
    ("enrolments", ("active", "completed", "withdrawn")),
    (
        "certificates",
        ("certificates_valid", "certificates_expired", "certificates_revoked"),
    ),
    ("learners", ("enrolments",)),
)
# Each derived figure and the counts it is computed from: with one of them
# hidden, the figure and the other count would give it back.
DERIVED = {
    "completion_rate": ("completed", "enrolments"),
    "average_score": ("scored",),
    "pass_rate": ("passed", "graded"),
    "pre": ("pairs",),
    "post": ("pairs",),
    "gain": ("pairs",),
    "normalised_gain": ("pairs",),
    "attendance_rate": ("learners", "enrolments"),
}


@dataclasses.dataclass(frozen=True)
class Scheme:
    """What the cells of a set of tables are: the counts, those a reader sees
    (and so could add up), the sums within a row, the figures derived from
    counts, and the count that orders rows. The dashboard's is ``REPORT``;
    other reports (the impact section's answer distributions) bring theirs."""

    counts: tuple = COUNTS
    shown: tuple = SHOWN
    row_sums: tuple = ROW_SUMS
    derived: dict = dataclasses.field(default_factory=lambda: dict(DERIVED))
    order_by: str = "enrolments"


REPORT = Scheme()

SHOWN_CELL, PRIMARY, WITHHELD = 0, 1, 2
_PRIME = 2**61 - 1  # arithmetic modulo a large prime for the rank test


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
    """A rate or average computed from a hidden count."""

    def __str__(self):
        return "…"

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash("hidden")


class Withheld(Hidden):
    """A count large enough to show, withheld so that a small count in the
    same sum cannot be worked out from it."""

    def __hash__(self):
        return hash("withheld")


def threshold() -> int:
    return int(getattr(settings, "REPORTS_SUPPRESSION_THRESHOLD", 5))


def _small(value, limit) -> bool:
    return isinstance(value, int) and 0 < value < limit


class _Cells:
    """The counts of a report, the sums among them that a reader knows, and
    which counts are hidden."""

    def __init__(self, tables: dict, limit: int, relations=(), scheme=REPORT):
        self.tables = tables
        self.limit = limit
        self.scheme = scheme
        self.state: dict = {}
        self.sums: list[tuple[tuple, list[tuple]]] = []
        for table, rows in tables.items():
            for index, row in enumerate(rows):
                for name in scheme.counts:
                    value = row.get(name)
                    if isinstance(value, int) and not isinstance(value, bool):
                        small = _small(value, limit)
                        self.state[(table, index, name)] = PRIMARY if small else 0
        for table, rows in tables.items():
            for index in range(len(rows)):
                for total, parts in scheme.row_sums:
                    self._add((table, index, total), [(table, index, p) for p in parts])
        for (table, index), parts in relations:
            for name in scheme.shown:
                self._add((table, index, name), [(t, i, name) for t, i in parts])
        headline = tables["headline"]
        if not headline:
            return
        for table, rows in tables.items():
            if table == "headline":
                continue
            for name in scheme.shown:
                self._add(
                    ("headline", 0, name), [(table, i, name) for i in range(len(rows))]
                )

    def value(self, cell) -> int:
        table, index, name = cell
        return self.tables[table][index][name]

    def _add(self, total, parts):
        """Keep a sum when its cells are all shown counts and it holds: a
        sum that does not hold tells a reader nothing exact."""
        cells = [total, *parts]
        shown = self.scheme.shown
        if not parts or any(c not in self.state or c[2] not in shown for c in cells):
            return
        if self.value(total) == sum(self.value(p) for p in parts):
            self.sums.append((total, parts))

    def hidden(self, cell) -> bool:
        return self.state.get(cell, 0) != SHOWN_CELL

    def _bounds(self, cell) -> tuple:
        if self.state[cell] == PRIMARY:
            return 1, self.limit - 1
        return self.limit, math.inf

    def exposed(self, total, parts) -> bool:
        """Whether this sum, with the bounds a reader knows, pins one of its
        hidden cells to a single value."""
        signed = [(total, -1), *((p, 1) for p in parts)]
        hidden = [(c, s) for c, s in signed if self.hidden(c)]
        if not hidden:
            return False
        if len(hidden) == 1:
            return True
        known = -sum(s * self.value(c) for c, s in signed if not self.hidden(c))
        # sum(s * x for hidden x) == known
        ranges = []
        for cell, sign in hidden:
            low, high = self._bounds(cell)
            ranges.append((low, high) if sign > 0 else (-high, -low))
        low_total = sum(r[0] for r in ranges)
        high_total = sum(r[1] for r in ranges)
        for low, high in ranges:
            # This cell's signed value is ``known`` minus the others'.
            others_low, others_high = low_total - low, high_total - high
            can_low = max(low, known - others_high)
            can_high = min(high, known - others_low)
            if can_low >= can_high:
                return True
        return False

    def withhold_one(self, sums) -> bool:
        """Withhold the smallest shown count of ``sums`` (a part before a
        total, a non-zero count before a zero)."""
        candidates = []
        for total, parts in sums:
            for order, cell in enumerate([*parts, total]):
                if self.hidden(cell):
                    continue
                is_total = cell is total
                value = self.value(cell)
                candidates.append((value == 0, is_total, value, order, cell))
        if not candidates:
            return False
        cell = min(candidates, key=lambda c: c[:4])[4]
        self.state[cell] = WITHHELD
        return True

    def determined(self) -> list:
        """Hidden cells that the sums together give away (linear algebra:
        the cell's unit vector lies in the row space of the sums restricted
        to hidden cells)."""
        index: dict = {}
        rows = []
        for total, parts in self.sums:
            row: dict = {}
            for cell, sign in ((total, -1), *((p, 1) for p in parts)):
                if self.hidden(cell):
                    column = index.setdefault(cell, len(index))
                    row[column] = (row.get(column, 0) + sign) % _PRIME
            row = {k: v for k, v in row.items() if v}
            if row:
                rows.append(row)
        pivots: dict = {}  # column -> reduced row with 1 at the column
        for row in rows:
            for column, row_pivot in list(pivots.items()):
                factor = row.get(column)
                if factor:
                    for k, v in row_pivot.items():
                        row[k] = (row.get(k, 0) - factor * v) % _PRIME
                    row = {k: v for k, v in row.items() if v}
            if not row:
                continue
            column = min(row)
            inverse = pow(row[column], _PRIME - 2, _PRIME)
            row = {k: v * inverse % _PRIME for k, v in row.items()}
            for other in pivots.values():
                factor = other.get(column)
                if factor:
                    for k, v in row.items():
                        other[k] = (other.get(k, 0) - factor * v) % _PRIME
                    for k in [k for k, v in other.items() if not v]:
                        del other[k]
            pivots[column] = row
        cells = {column: cell for cell, column in index.items()}
        return [cells[column] for column, row in pivots.items() if len(row) == 1]

    def protect(self):
        while True:
            changed = False
            for total, parts in self.sums:
                if self.exposed(total, parts) and self.withhold_one([(total, parts)]):
                    changed = True
            if changed:
                continue
            for cell in self.determined():
                around = [s for s in self.sums if cell == s[0] or cell in s[1]]
                if self.withhold_one(around):
                    changed = True
                    break
            if not changed:
                return


def _shown_row(row: dict, table: str, index: int, cells: _Cells) -> dict:
    shown = dict(row)
    hidden = set()
    for name in cells.scheme.counts:
        state = cells.state.get((table, index, name), SHOWN_CELL)
        if state == PRIMARY:
            shown[name] = Suppressed(cells.limit)
        elif state == WITHHELD:
            shown[name] = Withheld()
        if state != SHOWN_CELL:
            hidden.add(name)
    for name, bases in cells.scheme.derived.items():
        if row.get(name) is not None and hidden.intersection(bases):
            shown[name] = Hidden()
    return shown


def _order(row: dict, count: str = "enrolments"):
    """Rows with their enrolments shown, largest first; then withheld, then
    small ones, by name: the position of a hidden row tells nothing."""
    value = row.get(count)
    if isinstance(value, Withheld):
        return (1, 0, row.get("label", ""))
    if isinstance(value, Suppressed):
        return (2, 0, row.get("label", ""))
    return (0, -(value or 0), row.get("label", ""))


def suppress_report(report, limit: int | None = None):
    """A copy of ``report`` (headline, breakdowns and months) with small
    counts suppressed, the counts that would give them away withheld and
    the figures derived from either hidden."""
    limit = threshold() if limit is None else limit
    tables = {"headline": [report.headline], "months": list(report.months)}
    tables.update({name: list(rows) for name, rows in report.breakdowns.items()})
    cells = _Cells(tables, limit, getattr(report, "relations", ()))
    cells.protect()
    shown = {
        table: [_shown_row(row, table, i, cells) for i, row in enumerate(rows)]
        for table, rows in tables.items()
    }
    breakdowns = {name: sorted(shown[name], key=_order) for name in report.breakdowns}
    return dataclasses.replace(
        report,
        headline=shown["headline"][0],
        breakdowns=breakdowns,
        months=shown["months"],
    )


def suppress_tables(tables: dict, scheme: Scheme, limit: int | None = None) -> dict:
    """``tables`` (a name -> rows; "headline" a list of one row, the total
    of every other table's rows) with the same rules as ``suppress_report``
    under ``scheme``; rows other than the headline's are put in the order
    that tells nothing."""
    limit = threshold() if limit is None else limit
    cells = _Cells(tables, limit, (), scheme)
    cells.protect()
    return {
        table: (
            [_shown_row(row, table, i, cells) for i, row in enumerate(rows)]
            if table == "headline"
            else sorted(
                (_shown_row(row, table, i, cells) for i, row in enumerate(rows)),
                key=lambda row: _order(row, scheme.order_by),
            )
        )
        for table, rows in tables.items()
    }
