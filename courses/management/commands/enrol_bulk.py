from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from courses import bulk, services
from courses.models import CoursePage


class Command(BaseCommand):
    help = (
        "Enrol learners from a CSV or XLSX file (e-mail, full name, country, "
        "organisation, position) in the course with the given slug, as an "
        "administrator would. Prints the per-row check; applies only when "
        "every row is valid (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--course", required=True, help="the course's slug")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only check the file, change nothing",
        )

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        course = self._course(options["course"])
        with path.open("rb") as handle:
            try:
                batch = services.bulk_enrolment_upload(
                    course=course, by=None, uploaded_file=File(handle, name=path.name)
                )
            except bulk.BulkFileError as error:
                raise CommandError(str(error.message)) from error
        check = bulk.check_rows(rows=batch.rows, course=course, by=None)
        for row in check.rows:
            result = "; ".join(str(e) for e in row.errors) or row.action
            notes = "; ".join(str(w) for w in row.warnings)
            self.stdout.write(
                f"row {row.line}: {row.email or '-'}: {result}"
                + (f" ({notes})" if notes else "")
            )
        for error in check.errors:
            self.stderr.write(str(error))
        if not check.valid:
            services.bulk_enrolment_discard(batch=batch)
            raise CommandError(
                f"{check.error_count} row(s) with errors; nothing was changed."
            )
        if options["dry_run"]:
            services.bulk_enrolment_discard(batch=batch)
            self.stdout.write("Dry run: nothing was changed.")
            return
        try:
            batch = services.bulk_enrolment_apply(batch=batch, by=None)
        except (services.BulkEnrolmentInvalid, services.EnrolmentError) as error:
            raise CommandError(f"Nothing was changed: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                "Created {created}, enrolled {enrolled}, already enrolled "
                "{already}, ignored duplicates {skipped}.".format(**batch.result)
            )
        )

    def _course(self, slug):
        pages = list(
            CoursePage.objects.filter(slug=slug).select_related("locale").order_by("id")
        )
        if not pages:
            raise CommandError(f"No course with the slug {slug!r}")
        if len({p.translation_key for p in pages}) > 1:
            raise CommandError(
                f"Several different courses have the slug {slug!r}; rename one."
            )
        return pages[0]
