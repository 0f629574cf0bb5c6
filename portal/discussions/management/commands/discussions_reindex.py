"""Send every message to the search index again (after enabling Elasticsearch or a
mapping change of the messages' index); the outbox's drain writes them."""

from django.core.management.base import BaseCommand

from portal.discussions import index
from portal.discussions.models import Message


class Command(BaseCommand):
    help = "Enqueue every message of every union for the messages' search index."

    def handle(self, *args, **options):
        from search.outbox import drain

        total = 0
        for union_id in Message.objects.values_list("union_id", flat=True).distinct():
            ids = list(Message.objects.filter(union_id=union_id).values_list("pk", flat=True))
            index.enqueue_messages(ids, union_id=union_id)
            total += len(ids)
        report = drain()
        self.stdout.write(f"{total} messages enqueued; {report.sent} sent, "
                          f"{report.pending} pending")
