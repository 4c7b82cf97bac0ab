from django.core.management.base import BaseCommand

from regions.reference import load_reference_data


class Command(BaseCommand):
    help = "Load the 35 labour-market regions and 342 municipalities (CBS/PDOK); idempotent."

    def handle(self, *args, **options):
        result = load_reference_data()
        self.stdout.write(
            f"Regions: {result.regions_created} created, {result.regions_updated} updated; "
            f"municipalities: {result.municipalities_created} created, "
            f"{result.municipalities_updated} updated."
        )
