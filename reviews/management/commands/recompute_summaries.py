from django.core.management.base import BaseCommand

from reviews import services


class Command(BaseCommand):
    help = "Recompute every statement and article verdict summary from the ratings."

    def handle(self, *args, **options):
        n = services.summaries_recompute_all()
        self.stdout.write(f"Recomputed {n} statement summaries and every article summary.")
