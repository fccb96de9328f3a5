"""``manage.py catalogues``: how complete each language's interface
catalogues are (all entries, and the learner's road); ``--serbian-latin``
writes the Serbian Latin catalogues from the Cyrillic ones (``make
messages`` runs it)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from training_platform import catalogues


class Command(BaseCommand):
    help = "Completeness of the interface catalogues per language."

    def add_arguments(self, parser):
        parser.add_argument(
            "--serbian-latin",
            action="store_true",
            help="Write the sr_Latn catalogues from the sr (Cyrillic) ones.",
        )

    def handle(self, *args, serbian_latin=False, **options):
        if serbian_latin:
            written = catalogues.serbian_latin_catalogues()
            self.stdout.write(f"Serbian Latin: {written} entries transliterated.")
            return
        offered = {code for code, _name in settings.LANGUAGES}
        self.stdout.write(
            "| language | code | offered | marked complete | learner's road | all |"
        )
        self.stdout.write("|---|---|---|---|---|---|")
        for code, name in settings.ALL_LANGUAGES[1:]:
            status = catalogues.status(code)
            self.stdout.write(
                f"| {name} | {code} | {'yes' if code in offered else 'no'} | "
                f"{'yes' if code in settings.COMPLETE_LANGUAGES else 'no'} | "
                f"{status.road_percent} % ({status.road_translated}/{status.road}) | "
                f"{status.percent} % ({status.translated}/{status.entries}) |"
            )
