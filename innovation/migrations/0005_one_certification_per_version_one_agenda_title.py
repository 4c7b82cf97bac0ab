import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count, Max


def remove_duplicates(apps, schema_editor):
    """Before the constraints: of identical certifications keep the newest (the audit history's
    delete events keep the others); agenda items sharing a title are renamed, not removed."""
    Certification = apps.get_model("innovation", "Certification")
    groups = (
        Certification.objects.order_by()
        .values("specialist", "version")
        .annotate(count=Count("pk"), newest=Max("pk"))
        .filter(count__gt=1)
    )
    for group in groups:
        Certification.objects.filter(
            specialist=group["specialist"], version=group["version"]
        ).exclude(pk=group["newest"]).delete()
    AgendaItem = apps.get_model("innovation", "AgendaItem")
    seen = set()
    for item in AgendaItem.objects.order_by("pk"):
        title, number = item.title, 1
        while title.lower() in seen:
            number += 1
            title = f"{item.title[:190]} ({number})"
        seen.add(title.lower())
        if title != item.title:
            AgendaItem.objects.filter(pk=item.pk).update(title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("innovation", "0004_version_author"),
    ]

    operations = [
        migrations.RunPython(remove_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("title"), name="one_agenda_item_per_title"
            ),
        ),
        migrations.AddConstraint(
            model_name="certification",
            constraint=models.UniqueConstraint(
                fields=("specialist", "version"), name="one_certification_per_version"
            ),
        ),
    ]
