"""A long learner list exported as XLSX (or CSV) through the worker's code path
(``services.export_build``: the administrator's scope, the rows read in
chunks, the file written to a temporary file and then to storage), on
PostgreSQL with the data set of ``manage.py generate_load_data``: elapsed
seconds, rows written, and the process's resident memory sampled during the
build (peak, and when 10 %, 50 % and 90 % of the rows are written), to show
that memory stays flat however long the list is.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/platform_bench \\
        .venv/bin/python bench/reports_export.py [--rows 100000] [--format xlsx]

``--rows N`` exports the most recent enrolments up to about N rows (a "enrolled
from" filter, as a coordinator would set it); without it, the whole list. The
report tables are rebuilt first when they are empty. The only rows written
are the report tables and one export row, deleted at the end with its file
(``--keep`` keeps them)."""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_platform.settings")
# The file goes to a folder of its own, removed at the end.
MEDIA = tempfile.mkdtemp(prefix="bench-export-")
os.environ["MEDIA_ROOT"] = MEDIA

MARKS = (0.1, 0.5, 0.9)


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    """Reads the resident set size every ``interval`` seconds."""

    def __init__(self, interval=0.02):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            self.peak = max(self.peak, rss_kib())
            self.samples += 1
            time.sleep(self.interval)

    def stop(self):
        self.stopping.set()
        self.join()
        self.peak = max(self.peak, rss_kib())


def counted(rows, expected, seen):
    """Pass ``rows`` through, noting the memory when each mark is reached."""
    marks = [(mark, max(1, int(expected * mark))) for mark in MARKS]
    for number, row in enumerate(rows, start=1):
        while marks and number >= marks[0][1]:
            seen[marks.pop(0)[0]] = (number, rss_kib(), time.perf_counter())
        yield row


def administrator():
    """An active administrator of the database, or (when there is none, since
    this script writes no users) an unsaved one: the same scope."""
    from django.db.models import Q

    from training_platform.accounts import roles
    from training_platform.accounts.models import User

    saved = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=roles.ADMINISTRATORS))
        .order_by("pk")
        .first()
    )
    if saved is not None:
        return saved
    return User(email="bench-unsaved-admin@bench.example", is_superuser=True)


def build_by_worker(viewer, params, fmt):
    """``services.export_build`` on a new export row: what the worker runs."""
    from training_platform.reports import services
    from training_platform.reports.models import ExportStatus, ReportExport

    export = ReportExport.objects.create(
        requested_by=viewer, table="learners", format=fmt, params=params, language="en"
    )
    export = services.export_build(export_id=export.pk)
    if export is None or export.status != ExportStatus.READY:
        sys.exit(f"export failed: {export.error if export else 'no export'}")
    return export.rows, export.file.size, export


def build_inline(viewer, params, fmt):
    """The steps of ``services.export_build`` without its row (for a viewer
    that is not saved): the table, written to a temporary file."""
    from django.utils import translation

    from training_platform.reports import exports

    path = os.path.join(MEDIA, f"export.{fmt}")
    with translation.override("en"), open(path, "wb") as file:
        table = exports.table_for(viewer, "learners", params)
        rows = exports.write(table, fmt, file)
    return rows, os.path.getsize(path), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=0, help="about this many rows")
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--keep", action="store_true", help="keep the export")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")

    import django

    django.setup()
    from django.utils import timezone, translation

    from training_platform.reports import exports, services
    from training_platform.reports.models import EnrolmentFact

    if not EnrolmentFact.objects.exists():
        started = time.perf_counter()
        refresh = services.report_refresh()
        print(
            f"report tables rebuilt: {refresh.facts:,} enrolments in "
            f"{time.perf_counter() - started:.1f} s"
        )
    viewer = administrator()

    params = {}
    if args.rows:
        # The day from which the most recent enrolments make about N rows.
        moment = (
            EnrolmentFact.objects.order_by("-enrolled_at")
            .values_list("enrolled_at", flat=True)[args.rows - 1 : args.rows]
            .first()
        )
        if moment is not None:
            params["date_from"] = [f"{timezone.localtime(moment):%Y-%m-%d}"]
    with translation.override("en"):
        _form, facts = exports.learner_facts(viewer, exports.query_dict(params))
        expected = facts.count()

    seen: dict = {}
    original = exports.table_for

    def table_for(viewer, name, query):
        table = original(viewer, name, query)
        table.rows = counted(table.rows, expected, seen)
        return table

    exports.table_for = table_for
    build = build_by_worker if viewer.pk else build_inline
    load_before = os.getloadavg()
    baseline = rss_kib()
    sampler = Sampler()
    sampler.start()
    cpu = time.process_time()
    started = time.perf_counter()
    rows, size, export = build(viewer, params, args.format)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    sampler.stop()
    exports.table_for = original

    shown = f"filters {params}" if params else "unfiltered"
    print(f"learner list of {viewer.email} ({shown}), {args.format.upper()}")
    print(
        "path: services.export_build"
        if viewer.pk
        else "path: the steps of services.export_build, without the export row "
        "(no administrator in this database)"
    )
    print(f"rows expected {expected:,}, rows written {rows:,}")
    print(
        f"elapsed {elapsed:.1f} s (CPU {cpu:.1f} s; load average before "
        f"{load_before[0]:.2f}), {rows / elapsed:,.0f} rows/s, "
        f"file {size / 1e6:.1f} MB"
    )
    print(
        f"RSS before the build {baseline / 1024:.0f} MiB, peak during it "
        f"{sampler.peak / 1024:.0f} MiB (+{(sampler.peak - baseline) / 1024:.0f} MiB, "
        f"{sampler.samples} samples); process high-water mark "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    for mark in MARKS:
        if mark in seen:
            number, rss, moment = seen[mark]
            print(
                f"  at {mark:.0%} ({number:,} rows, {moment - started:.1f} s): "
                f"RSS {rss / 1024:.0f} MiB"
            )
    if args.keep:
        print(f"kept in {MEDIA}" + (f" (export {export.pk})" if export else ""))
        return
    if export is not None:
        export.file.storage.delete(export.file.name)
        export.delete()
    shutil.rmtree(MEDIA, ignore_errors=True)


if __name__ == "__main__":
    main()
