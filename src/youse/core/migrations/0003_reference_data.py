from django.db import migrations


def load(apps, schema_editor):
    from youse.core import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
