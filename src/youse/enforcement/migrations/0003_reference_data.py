from django.db import migrations


def load(apps, schema_editor):
    from youse.enforcement import reference_data

    reference_data.load(apps)


def unload(apps, schema_editor):
    from youse.enforcement import reference_data

    reference_data.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0002_announcement_versions_immutable"), ("core", "0003_reference_data")]

    operations = [migrations.RunPython(load, unload)]
