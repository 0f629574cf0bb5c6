from django.core.management.base import BaseCommand

from portal.mapping.tasks import daily_mapping_task


class Command(BaseCommand):
    help = ("Erase expired potential members and write today's union density snapshots "
            "(run daily, after expire_positions).")

    def handle(self, *args, **options):
        result = daily_mapping_task.enqueue()
        self.stdout.write(f"Mapping daily task {result.id}: {result.status}.")
