from django.core.management.base import BaseCommand

from portal.erasure.tasks import apply_retention_task


class Command(BaseCommand):
    help = ("Anonymise people whose union's retention period after membership has ended "
            "(run daily).")

    def handle(self, *args, **options):
        result = apply_retention_task.enqueue()
        self.stdout.write(f"Retention task {result.id}: {result.status}.")
