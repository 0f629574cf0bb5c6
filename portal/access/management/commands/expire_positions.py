from django.core.management.base import BaseCommand

from portal.access.tasks import expire_ended_terms_task


class Command(BaseCommand):
    help = "Remove page rights of positions of trust whose term has ended (run daily)."

    def handle(self, *args, **options):
        result = expire_ended_terms_task.enqueue()
        self.stdout.write(f"Expiry task {result.id}: {result.status}.")
