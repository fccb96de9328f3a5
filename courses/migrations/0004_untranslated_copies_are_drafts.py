from django.db import migrations
from django.db.models import F


def unpublish_untranslated_copies(apps, schema_editor):
    """Aliases of pages in another locale (the untranslated copies Wagtail
    keeps in the other language's tree) went live with their source; they are
    drafts until a trainer publishes the translation (courses.receivers)."""
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(alias_of__isnull=False, live=True).exclude(
        locale=F("alias_of__locale")
    ).update(
        live=False,
        has_unpublished_changes=True,
        live_revision=None,
        first_published_at=None,
        last_published_at=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_enrolment_rounds"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(
            unpublish_untranslated_copies, migrations.RunPython.noop, elidable=True
        ),
    ]
