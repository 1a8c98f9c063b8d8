from django.core.management.base import BaseCommand

from reviews.services.summaries import summaries_recompute_all


class Command(BaseCommand):
    help = "Recompute every statement and article verdict summary from the ratings."

    def handle(self, *args, **options):
        n = summaries_recompute_all()
        self.stdout.write(f"Recomputed {n} statement summaries and every article summary.")
