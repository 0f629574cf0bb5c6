from django.core.management.base import BaseCommand

from search.outbox import drain


class Command(BaseCommand):
    help = "Send pending search outbox entries to Elasticsearch (run it every minute)."

    def handle(self, *args, **options):
        report = drain()
        self.stdout.write(
            f"sent {report.sent}, failed {report.failed}, pending {report.pending}"
            + (" (Elasticsearch unavailable)" if report.unavailable else "")
        )
