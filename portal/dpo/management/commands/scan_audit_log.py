from django.core.management.base import BaseCommand

from portal.dpo.tasks import scan_audit_log_task


class Command(BaseCommand):
    help = "Raise misuse alerts from the audit log written since the last scan (run hourly)."

    def handle(self, *args, **options):
        result = scan_audit_log_task.enqueue()
        self.stdout.write(f"Audit scan task {result.id}: {result.status}.")
