from django.db import migrations

DEFAULT = ("谋划", "签约", "开工", "投产")


def add_defaults(apps, schema_editor):
    Stage = apps.get_model("projects", "Stage")
    if not Stage.objects.exists():
        Stage.objects.bulk_create([Stage(name=name, position=i) for i, name in enumerate(DEFAULT, 1)])


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
