from django.core.management.base import BaseCommand

from portal.merging.actions import forget_expired_snapshots


class Command(BaseCommand):
    help = ("Empty the undo snapshots of merges older than 30 days (they hold the removed "
            "person's data; run daily).")

    def handle(self, *args, **options):
        emptied = forget_expired_snapshots()
        self.stdout.write(f"Emptied {emptied} merge snapshot(s).")
