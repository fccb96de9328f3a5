"""Small-cell suppression: a hidden count cannot be worked out from the
other figures of the same page, export or e-mail by subtraction, however
the sums are chained, nor from a rate shown beside it."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from training_platform.reports import suppression
from training_platform.reports.metrics import finish
from training_platform.reports.selectors import Report

STATUSES = ("active", "completed", "withdrawn")
CERTIFICATES = ("certificates_valid", "certificates_expired", "certificates_revoked")
COLUMNS = ("enrolments", "pending", *STATUSES, "certificates", *CERTIFICATES)


def number(value):
    """A figure as a reader has it: a whole number, or None when hidden."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip().replace(",", "")
    if text.isdigit():
        return int(text)
    return None


def rate(value):
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).rstrip("%"))
    except ArithmeticError:
        return None


def attack(headline: dict, tables: dict, *, course_table="course") -> dict:
    """What a reader can work out from the figures shown: the headline is
    the sum of each table's rows, enrolments are the sum of the statuses and
    certificates of their kinds, in a course learners are enrolments, and a
    completion rate with one of its counts gives the other. Returns the
    hidden cells so found: {(table, row, column): value}."""
    known = {}
    hidden = set()
    rows = {"headline": [headline], **tables}
    for table, table_rows in rows.items():
        for index, row in enumerate(table_rows):
            for column in (*COLUMNS, "learners"):
                if column in row:
                    value = number(row[column])
                    if value is None:
                        hidden.add((table, index, column))
                    else:
                        known[(table, index, column)] = value
    sums = []
    for table, table_rows in rows.items():
        for index, row in enumerate(table_rows):
            cell = lambda c, t=table, i=index: (t, i, c)  # noqa: E731
            if all(c in row for c in STATUSES):
                sums.append((cell("enrolments"), [cell(c) for c in STATUSES]))
            if all(c in row for c in CERTIFICATES):
                sums.append((cell("certificates"), [cell(c) for c in CERTIFICATES]))
            if table == course_table and "learners" in row:
                sums.append((cell("learners"), [cell("enrolments")]))
    for table, table_rows in tables.items():
        columns = list(COLUMNS)
        if table != course_table:
            columns.append("learners")
        for column in columns:
            if table_rows and column in table_rows[0] and column in headline:
                parts = [(table, i, column) for i in range(len(table_rows))]
                sums.append((("headline", 0, column), parts))
    found = {}
    progress = True
    while progress:
        progress = False
        for total, parts in sums:
            unknown = [c for c in (total, *parts) if c not in known]
            if len(unknown) != 1:
                continue
            (cell,) = unknown
            if cell == total:
                value = sum(known[p] for p in parts)
            else:
                value = known[total] - sum(known[p] for p in parts if p != cell)
            known[cell] = found[cell] = value
            progress = True
        for table, table_rows in rows.items():
            for index, row in enumerate(table_rows):
                shown = rate(row.get("completion_rate"))
                done, enrolled = (
                    (table, index, "completed"),
                    (table, index, "enrolments"),
                )
                if shown is None or (done in known) == (enrolled in known):
                    continue
                if enrolled in known:
                    n = known[enrolled]
                    fits = [k for k in range(n + 1) if _ratio(k, n) == shown]
                    if len(fits) == 1:
                        known[done] = found[done] = fits[0]
                        progress = True
    return {cell: value for cell, value in found.items() if cell in hidden}


def _ratio(part, whole):
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def row(label, *, active=0, completed=0, withdrawn=0, learners=None, valid=0):
    enrolments = active + completed + withdrawn
    figures = finish(
        {
            "key": label,
            "label": label,
            "enrolments": enrolments,
            "active": active,
            "completed": completed,
            "withdrawn": withdrawn,
            "certificates_valid": valid,
        }
    )
    figures["learners"] = enrolments if learners is None else learners
    return figures


def total(rows, learners=None):
    figures = finish(
        {
            name: sum(r[name] for r in rows)
            for name in ("enrolments", "active", "completed", "withdrawn")
            + ("certificates_valid",)
        }
    )
    figures["learners"] = (
        sum(r["learners"] for r in rows) if learners is None else learners
    )
    return figures


def report(country_rows, course_rows=None):
    breakdowns = {"country": country_rows}
    if course_rows is not None:
        breakdowns["course"] = course_rows
    return Report(headline=total(country_rows), breakdowns=breakdowns)


def primary_only(data):
    """Small cells hidden one by one, as before complementary suppression."""

    def hide(figures):
        return {
            **figures,
            **{
                c: suppression.Suppressed(5)
                for c in (*COLUMNS, "learners")
                if isinstance(figures.get(c), int) and 0 < figures[c] < 5
            },
        }

    return Report(
        headline=hide(data.headline),
        breakdowns={
            name: [hide(r) for r in rows] for name, rows in data.breakdowns.items()
        },
    )


def tables_of(shown):
    return dict(shown.breakdowns)


def test_a_small_row_cannot_be_had_by_subtracting_from_the_headline():
    # Issue 11: Albania "< 5", Serbia 11 and a headline of 14.
    data = report([row("Serbia", active=11), row("Albania", active=3)])
    old_style = primary_only(data)
    leaked = attack(old_style.headline, tables_of(old_style))
    assert leaked[("country", 1, "enrolments")] == 3

    shown = suppression.suppress_report(data, limit=5)
    rows = {r["label"]: r for r in shown.breakdowns["country"]}
    assert str(rows["Albania"]["enrolments"]) == "< 5"
    assert str(rows["Serbia"]["enrolments"]) == "…"
    assert shown.headline["enrolments"] == 14
    assert attack(shown.headline, tables_of(shown)) == {}


def test_chained_sums_give_nothing_away():
    """A small count that only a row sum and then a column sum would give."""
    data = report(
        [
            row("Serbia", active=20, completed=3, withdrawn=9),
            row("Albania", active=4, completed=8, withdrawn=6),
            row("Kosovo", active=12, completed=7, withdrawn=1),
        ],
        course_rows=[
            row("A", active=30, completed=12, withdrawn=10),
            row("B", active=6, completed=6, withdrawn=6),
        ],
    )
    old_style = primary_only(data)
    assert attack(old_style.headline, tables_of(old_style))
    shown = suppression.suppress_report(data, limit=5)
    assert attack(shown.headline, tables_of(shown)) == {}
    counts = [
        r[c]
        for table in shown.breakdowns.values()
        for r in table
        for c in ("active", "completed", "withdrawn")
    ]
    assert any(isinstance(v, suppression.Suppressed) for v in counts)
    # Most figures stay: only what protects the small ones is withheld.
    assert sum(isinstance(v, int) for v in counts) >= len(counts) // 2


def test_small_counts_that_add_up_to_a_tiny_total_are_protected():
    """Two cells of 1 under a shown sum of 2 are both 1: one more is
    withheld."""
    data = report(
        [row("Serbia", active=40), row("Albania", active=1), row("Kosovo", active=1)]
    )
    shown = suppression.suppress_report(data, limit=5)
    rows = {r["label"]: r for r in shown.breakdowns["country"]}
    assert str(rows["Albania"]["enrolments"]) == "< 5"
    assert str(rows["Kosovo"]["enrolments"]) == "< 5"
    assert str(rows["Serbia"]["enrolments"]) == "…"


def test_a_rate_does_not_give_back_a_small_count():
    data = report([row("Serbia", active=4, completed=3)])
    shown = suppression.suppress_report(data, limit=5)
    assert str(shown.headline["completed"]) == "< 5"
    assert str(shown.headline["completion_rate"]) == "…"
    assert attack(shown.headline, tables_of(shown)) == {}


def test_hidden_rows_are_not_placed_by_their_size():
    data = report(
        [
            row("Serbia", active=30),
            row("Moldova", active=11),
            row("Albania", active=3),
            row("Bosnia", active=10),
        ]
    )
    shown = suppression.suppress_report(data, limit=5)
    labels = [r["label"] for r in shown.breakdowns["country"]]
    hidden = [
        r["label"]
        for r in shown.breakdowns["country"]
        if not isinstance(r["enrolments"], int)
    ]
    assert labels[: len(labels) - len(hidden)] == [
        r["label"]
        for r in shown.breakdowns["country"]
        if isinstance(r["enrolments"], int)
    ]
    assert hidden[-1] == "Albania"


@pytest.mark.parametrize("size", [300])
def test_a_long_table_is_protected_quickly(size):
    import time

    rows = [
        row(f"Org {n:03}", active=n % 7, completed=n % 4, withdrawn=n % 3)
        for n in range(size)
    ]
    data = report(rows)
    started = time.monotonic()
    shown = suppression.suppress_report(data, limit=5)
    assert time.monotonic() - started < 5
    assert attack(shown.headline, tables_of(shown)) == {}


# ------------------------------------------- the same cells everywhere shown


def _csv(client, name, query="") -> tuple[list, list]:
    from tests.training_platform.reports.test_exports import read_csv, split

    _top, header, rows = split(
        read_csv(client.get(f"/en/coordinator/export/{name}.csv{query}"))
    )
    return header, rows


def _exported(client):
    """The headline and the breakdowns as a reader of the CSV files has
    them, keyed by figure."""
    from training_platform.reports import exports

    by_label = {str(label): key for key, label in exports.FIGURES}
    _header, rows = _csv(client, "headline")
    headline = {by_label[label]: value for label, value in rows}
    tables = {}
    for name in exports.BREAKDOWN_NAMES:
        header, rows = _csv(client, name)
        keys = ["label"] + [by_label[label] for label in header[1:]]
        tables[name] = [dict(zip(keys, r, strict=True)) for r in rows]
    return headline, tables


@pytest.fixture
def export_data(db):
    from tests.training_platform.reports.test_exports import make_export_data

    return make_export_data()


@pytest.fixture
def signed_in(client, mfa):
    def login(user):
        mfa(user)
        client.force_login(user)
        return client

    return login


@pytest.mark.django_db
def test_the_exports_give_no_small_count_away(export_data, coordinator, signed_in):
    client = signed_in(coordinator)
    headline, tables = _exported(client)
    countries = {r["label"]: r for r in tables["country"]}
    assert countries["Albania"]["enrolments"] == "< 5"
    # Serbia's 11 under a headline of 14 would give Albania's 3 away.
    assert headline["enrolments"] == "14"
    assert countries["Serbia"]["enrolments"] == "…"
    assert attack(headline, tables) == {}
    _header, months = _csv(client, "month")
    month_rows = [{"enrolments": r[1], "completed": r[2]} for r in months]
    assert attack(headline, {"month": month_rows}) == {}


@pytest.mark.django_db
def test_the_dashboard_and_the_summary_hide_the_same_cells_as_the_exports(
    export_data, coordinator, signed_in
):
    import re
    from datetime import date

    from training_platform.reports.summaries import summary_context

    client = signed_in(coordinator)
    _headline, tables = _exported(client)
    exported = {r["label"]: r["enrolments"] for r in tables["country"]}
    html = client.get("/en/coordinator/", {"suppress": "1"}).content.decode()
    for code, label in (("RS", "Serbia"), ("AL", "Albania")):
        cells = html.split(f'data-key="{code}"')[1].split("</tr>")[0]
        shown = re.search(r'data-col="enrolments">(?:<a [^>]*>)?([^<]*)<', cells)
        assert shown.group(1).replace("&lt;", "<") == exported[label]
    context = summary_context(coordinator, period=date(2026, 10, 1))
    _heading, rows, _more = context["tables"][0]
    assert {r["label"]: str(r["enrolments"]) for r in rows} == exported
    assert attack(context["headline"], {"country": rows}) == {}
