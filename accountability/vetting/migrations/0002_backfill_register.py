"""Fill the register from the decisions recorded before it existed (as rebuild_register does)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from accountability.vetting.register import rebuild

    decision_model = apps.get_model("cases", "Decision")
    rebuild(
        decision_model.objects.order_by("pk"),
        version_model=apps.get_model("cases", "DecisionVersion"),
        restriction_model=apps.get_model("vetting", "Restriction"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("vetting", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
