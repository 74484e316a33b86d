from django.db import migrations


def load(apps, schema_editor):
    from youse.credit import reference_data

    reference_data.load(apps)


def unload(apps, schema_editor):
    from youse.credit import reference_data

    reference_data.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
