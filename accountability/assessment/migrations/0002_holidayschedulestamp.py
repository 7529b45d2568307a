from django.db import migrations, models


def create_stamp(apps, schema_editor):
    apps.get_model("assessment", "HolidayScheduleStamp").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="HolidayScheduleStamp",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("revision", models.PositiveBigIntegerField(default=0, verbose_name="修订号")),
                (
                    "changed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="修改时间"),
                ),
            ],
            options={
                "verbose_name": "节假日安排修订号",
                "verbose_name_plural": "节假日安排修订号",
            },
        ),
        migrations.RunPython(create_stamp, migrations.RunPython.noop),
    ]
