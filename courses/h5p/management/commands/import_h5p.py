from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courses.h5p.services import content_import
from courses.h5p.validation import PackageRejected


class Command(BaseCommand):
    help = (
        "Import .h5p packages. Prints the id of each new activity, or every "
        "reason a package was refused (and exits with status 1). Runs with an "
        "administrator's rights (may install libraries) unless --user names "
        "the trainer the import is done for."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--title", help="Title of the activity (one file only)")
        parser.add_argument("--user", help="E-mail of the user the import is for")

    def handle(self, *args, files, title=None, user=None, **options):
        if title and len(files) > 1:
            raise CommandError("--title can only be used with one file")
        account = None
        if user:
            account = get_user_model().objects.filter(email__iexact=user).first()
            if account is None:
                raise CommandError(f"No user with the e-mail {user}")
        failed = False
        for path in files:
            try:
                with open(path, "rb") as handle:
                    content = content_import(
                        file=handle, user=account, title=title, filename=path
                    )
            except OSError as exc:
                failed = True
                self.stderr.write(f"{path}: cannot be read ({exc.strerror})")
                continue
            except PackageRejected as rejected:
                failed = True
                self.stderr.write(f"{path}: rejected")
                for problem in rejected.problems:
                    self.stderr.write(f"  - {problem}")
                continue
            self.stdout.write(f"{content.uuid}\t{content.title}")
            for note in content.import_notes:
                self.stdout.write(f"  note: {note}")
        if failed:
            raise SystemExit(1)
