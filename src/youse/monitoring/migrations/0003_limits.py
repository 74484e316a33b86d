from django.db import migrations


def load(apps, schema_editor):
    from youse.monitoring import reference_data

    reference_data.load(apps)


def unload(apps, schema_editor):
    from youse.monitoring import reference_data

    reference_data.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_partition_readings")]

    operations = [migrations.RunPython(load, unload)]
