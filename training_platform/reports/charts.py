"""Geometry of the dashboard's server-rendered SVG charts (percent of the
chart's width, so that they fit any screen; pixels for heights)."""

from decimal import Decimal

BAR_ROW = 44  # pixels per row of a bar chart
COLUMN_HEIGHT = 160  # pixels of the tallest column


def _n(value) -> int:
    """A count, or 0 for one hidden by suppression."""
    return value if isinstance(value, int) else 0


def _share(value, largest, scale=100) -> Decimal:
    value = _n(value)
    if not largest:
        return Decimal(0)
    return (Decimal(value) * scale / Decimal(largest)).quantize(Decimal("0.01"))


def bars(rows) -> dict:
    """Horizontal bars: enrolments, with the completed part inside."""
    largest = max([_n(row["enrolments"]) for row in rows] or [0])
    items = [
        {
            "row": row,
            "y": index * BAR_ROW,
            "enrolments": _share(row["enrolments"], largest),
            "completed": _share(row["completed"], largest),
        }
        for index, row in enumerate(rows)
    ]
    return {"items": items, "height": max(BAR_ROW, len(items) * BAR_ROW)}


def columns(months) -> dict:
    """Pairs of columns per month: enrolments and completions."""
    largest = max([max(_n(m["enrolments"]), _n(m["completed"])) for m in months] or [0])
    slot = Decimal(100) / max(1, len(months))
    width = (slot * Decimal("0.38")).quantize(Decimal("0.01"))
    items = []
    for index, month in enumerate(months):
        x = (slot * index + slot * Decimal("0.1")).quantize(Decimal("0.01"))
        e = _share(month["enrolments"], largest, COLUMN_HEIGHT)
        c = _share(month["completed"], largest, COLUMN_HEIGHT)
        items.append(
            {
                "row": month,
                "x_enrolments": x,
                "x_completed": x + width,
                "width": width,
                "h_enrolments": e,
                "y_enrolments": COLUMN_HEIGHT - e,
                "h_completed": c,
                "y_completed": COLUMN_HEIGHT - c,
                "label": index % max(1, len(months) // 6) == 0,
                "x_label": x,
            }
        )
    return {"items": items, "height": COLUMN_HEIGHT, "largest": largest}
