import uuid

from django.db import migrations, models


def create_version(apps, schema_editor):
    LibraryVersion = apps.get_model("portal", "LibraryVersion")
    LibraryVersion.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex}
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="LibraryVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32, verbose_name="版本标记")),
                ("changed_at", models.DateTimeField(blank=True, null=True, verbose_name="更改时间")),
            ],
            options={"verbose_name": "案例库版本", "verbose_name_plural": "案例库版本"},
        ),
        migrations.RunPython(create_version, migrations.RunPython.noop),
    ]
