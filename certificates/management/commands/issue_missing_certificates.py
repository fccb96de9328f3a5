from datetime import timedelta

from django.core.management.base import BaseCommand

from certificates.services import certificates_reconcile


class Command(BaseCommand):
    help = (
        "Issue whatever certificates were missed (for example while the broker "
        "was down): completions without a certificate, pending certificates, "
        "documents not produced and e-mails not sent. Runs without a broker; "
        "safe to run at any time, also while workers run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=2,
            help="Leave alone what changed in the last N minutes (default 2).",
        )
        parser.add_argument("--limit", type=int, default=5000)

    def handle(self, *args, grace_minutes, limit, **options):
        done = certificates_reconcile(
            grace=timedelta(minutes=grace_minutes), limit=limit
        )
        self.stdout.write(
            "requested {requested}, issued {issued}, rendered {rendered}, "
            "e-mailed {emailed}, failed {failed}".format(**done)
        )
