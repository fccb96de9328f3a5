from django.db import migrations

COUNTRIES = [
    # code, English, Russian, sub-region
    ("AL", "Albania", "Албания", "western_balkans"),
    ("AM", "Armenia", "Армения", "south_caucasus"),
    ("AZ", "Azerbaijan", "Азербайджан", "south_caucasus"),
    ("BY", "Belarus", "Беларусь", "eastern_europe"),
    ("BA", "Bosnia and Herzegovina", "Босния и Герцеговина", "western_balkans"),
    ("GE", "Georgia", "Грузия", "south_caucasus"),
    ("KZ", "Kazakhstan", "Казахстан", "central_asia"),
    ("XK", "Kosovo", "Косово", "western_balkans"),
    ("KG", "Kyrgyzstan", "Кыргызстан", "central_asia"),
    ("MD", "Moldova", "Молдова", "eastern_europe"),
    ("ME", "Montenegro", "Черногория", "western_balkans"),
    ("MK", "North Macedonia", "Северная Македония", "western_balkans"),
    ("RS", "Serbia", "Сербия", "western_balkans"),
    ("TJ", "Tajikistan", "Таджикистан", "central_asia"),
    ("TM", "Turkmenistan", "Туркменистан", "central_asia"),
    ("TR", "Türkiye", "Турция", "other"),
    ("UA", "Ukraine", "Украина", "eastern_europe"),
    ("UZ", "Uzbekistan", "Узбекистан", "central_asia"),
]

ROLES = ["Learners", "Trainers", "Coordinators", "Administrators"]


def seed(apps, schema_editor):
    Country = apps.get_model("accounts", "Country")
    Group = apps.get_model("auth", "Group")
    for code, name, name_ru, sub_region in COUNTRIES:
        Country.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_ru": name_ru, "sub_region": sub_region},
        )
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
