"""Re-read every activity's maximum score from its package: the values stored
so far came from the first learner's statement, which anyone could forge
(B02)."""

from django.db import migrations


def read_maxima(apps, schema_editor):
    from courses.h5p import conf, scoring
    from courses.h5p.storage import h5p_storage
    from courses.h5p.validation import parse_json_bytes

    content_model = apps.get_model("h5p", "H5PContent")
    storage = h5p_storage()
    rows = content_model.objects.select_related("main_library")
    for content in rows.iterator():
        maximum = None
        try:
            with storage.open(content.storage_prefix + "content.json", "rb") as handle:
                data = handle.read(conf.get("H5P_MAX_JSON_BYTES") + 1)
            params = parse_json_bytes(data, max_depth=conf.get("H5P_MAX_JSON_DEPTH"))
            maximum = scoring.max_score(content.main_library.machine_name, params)
        except (OSError, ValueError):
            maximum = None  # files gone or unreadable: no maximum is trusted
        if content.known_max_score != maximum:
            content_model.objects.filter(pk=content.pk).update(known_max_score=maximum)


class Migration(migrations.Migration):
    dependencies = [
        ("h5p", "0002_pending_imports"),
    ]

    operations = [
        migrations.RunPython(read_maxima, migrations.RunPython.noop),
    ]
