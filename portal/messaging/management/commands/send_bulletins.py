from django.core.management.base import BaseCommand

from portal.messaging.actions import start_due_sends


class Command(BaseCommand):
    help = "Start scheduled bulletin sends that are due and resume interrupted ones (cron: 1 min)."

    def handle(self, *args, **options):
        started = start_due_sends()
        self.stdout.write(f"enqueued {len(started)} bulletin send(s)")
