from django.core.management.base import BaseCommand

from portal.lifeevents.tasks import birthday_reminders_task


class Command(BaseCommand):
    help = "Remind branch chairs of this week's milestone birthdays (run weekly, on Monday)."

    def handle(self, *args, **options):
        result = birthday_reminders_task.enqueue()
        self.stdout.write(f"Birthday reminder task {result.id}: {result.status}.")
