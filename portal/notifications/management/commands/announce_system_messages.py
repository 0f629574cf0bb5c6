from django.core.management.base import BaseCommand

from portal.notifications.tasks import announce_system_messages_task


class Command(BaseCommand):
    help = ("Add activity items (and emails) for system messages that have started "
            "(run every few minutes).")

    def handle(self, *args, **options):
        result = announce_system_messages_task.enqueue()
        self.stdout.write(f"System message task {result.id}: {result.status}.")
