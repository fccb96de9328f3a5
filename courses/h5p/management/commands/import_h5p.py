from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courses.h5p.services import content_import, libraries_install
from courses.h5p.validation import PackageRejected


class Command(BaseCommand):
    help = (
        "Import .h5p packages. Prints the id of each new activity, or every "
        "reason a package was refused (and exits with status 1). Runs with an "
        "administrator's rights (may install libraries) unless --user names "
        "the trainer the import is done for. With --libraries-only, only the "
        "libraries of each package are installed (to make common content types "
        "available to trainers) and no activity is created."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--title", help="Title of the activity (one file only)")
        parser.add_argument("--user", help="E-mail of the user the import is for")
        parser.add_argument(
            "--libraries-only",
            action="store_true",
            help="Install the packages' libraries; keep no activity",
        )

    def handle(
        self, *args, files, title=None, user=None, libraries_only=False, **options
    ):
        if libraries_only and (title or user):
            raise CommandError("--libraries-only takes no --title or --user")
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
                    if libraries_only:
                        libraries = libraries_install(file=handle, filename=path)
                    else:
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
            if libraries_only:
                for library in libraries:
                    self.stdout.write(f"{path}: {library} available")
                continue
            self.stdout.write(f"{content.uuid}\t{content.title}")
            for note in content.import_notes:
                self.stdout.write(f"  note: {note}")
        if failed:
            raise SystemExit(1)
