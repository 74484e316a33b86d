from django.db import migrations


def load(apps, schema_editor):
    from youse.capacity import reference_data

    reference_data.load(apps)


def unload(apps, schema_editor):
    from youse.capacity import reference_data

    reference_data.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("capacity", "0002_append_only_journal"), ("core", "0003_reference_data")]

    operations = [migrations.RunPython(load, unload)]
