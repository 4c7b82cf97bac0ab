from django.db import migrations, models
from django.db.models import Count, Max


def _keep_newest(model, fields):
    """Remove all but the newest record of each group that the new constraint would refuse. The
    audit history (pghistory's delete events) keeps the removed rows in full."""
    groups = (
        model.objects.order_by()
        .values(*fields)
        .annotate(count=Count("pk"), newest=Max("pk"))
        .filter(count__gt=1)
    )
    for group in groups:
        newest = group.pop("newest")
        group.pop("count")
        model.objects.filter(**group).exclude(pk=newest).delete()


def remove_duplicates(apps, schema_editor):
    _keep_newest(apps.get_model("monitoring", "ProgressUpdate"), ["region", "year", "quarter"])
    _keep_newest(
        apps.get_model("monitoring", "ProductUse"),
        ["region", "product_name", "applied_on", "specialist"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0007_product_use_version_and_specialist"),
    ]

    operations = [
        migrations.RunPython(remove_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.UniqueConstraint(
                fields=("region", "year", "quarter"), name="one_progress_update_per_quarter"
            ),
        ),
        migrations.AddConstraint(
            model_name="productuse",
            constraint=models.UniqueConstraint(
                fields=("region", "product_name", "applied_on", "specialist"),
                name="one_use_per_instrument_day",
                nulls_distinct=False,
            ),
        ),
    ]
