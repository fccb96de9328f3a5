from django.core.management.base import BaseCommand, CommandError

from training_platform.reports import load_data


class Command(BaseCommand):
    help = (
        "Generate a synthetic data set for benchmarks: learners, organisations, "
        "courses and a plausible history of enrolments, progress, attempts, "
        "completions and certificates. Refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=100_000)
        parser.add_argument("--courses", type=int, default=20)
        parser.add_argument("--countries", type=int, default=20)
        parser.add_argument(
            "--seed", type=int, default=20260101, help="Same seed, same data."
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Remove previously generated load data first.",
        )

    def handle(self, *args, learners, courses, countries, seed, clear, **options):
        try:
            if clear:
                removed = load_data.clear_load_data(stdout=self.stdout)
                self.stdout.write(
                    "Removed {learners:,} learners, {course_pages} course pages, "
                    "{organisations} organisations and {countries} countries "
                    "in {seconds} s.".format(**removed)
                )
            result = load_data.generate_load_data(
                learners=learners,
                courses=courses,
                countries=countries,
                seed=seed,
                stdout=self.stdout,
            )
        except load_data.LoadDataError as error:
            raise CommandError(str(error)) from error
        seconds = result.pop("seconds")
        width = max(len(name) for name in [*result, *seconds])
        for name, value in result.items():
            self.stdout.write(f"  {name.replace('_', ' '):<{width}}  {value:>12,}")
        for name, value in seconds.items():
            self.stdout.write(f"  {name.replace('_', ' '):<{width}}  {value:>10} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Load data ready in {seconds['total']} s. Learners log in as "
                f"load-000001@{load_data.EMAIL_DOMAIN} ... with the password "
                f"{load_data.PASSWORD}."
            )
        )
