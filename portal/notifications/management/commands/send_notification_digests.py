from django.core.management.base import BaseCommand

from portal.notifications.tasks import send_digests_task


class Command(BaseCommand):
    help = "Email each person's daily digest of notifications (run once a day, e.g. at 7:00)."

    def handle(self, *args, **options):
        result = send_digests_task.enqueue()
        self.stdout.write(f"Notification digest task {result.id}: {result.status}.")
