from django.db import migrations

from training_platform.home.reference_data import HOME_INTRO, HOME_TITLE


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    english, _ = Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="ru")

    # Replace the placeholder page that Wagtail's own migrations create (its
    # Site goes with it).
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()

    content_type, _ = ContentType.objects.get_or_create(
        model="homepage", app_label="home"
    )
    homepage = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=english,
        intro=HOME_INTRO,
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=homepage, is_default_site=True
    )


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
