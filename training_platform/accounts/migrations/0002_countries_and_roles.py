from django.db import migrations

from training_platform.accounts.reference_data import ensure_countries_and_roles


def seed(apps, schema_editor):
    ensure_countries_and_roles(
        apps.get_model("accounts", "Country"), apps.get_model("auth", "Group")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
