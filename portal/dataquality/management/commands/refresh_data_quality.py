from django.core.management.base import BaseCommand, CommandError

from portal.dataquality.actions import refresh_report
from portal.dataquality.checks import CHECKS
from portal.dataquality.models import Trigger
from portal.union.models import Union


class Command(BaseCommand):
    help = "Run the data-quality checks of one union (or all) and store a snapshot."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="*", help="Union slugs (default: every union).")

    def handle(self, *args, **options):
        unions = Union.objects.order_by("slug")
        if options["slug"]:
            unions = unions.filter(slug__in=options["slug"])
            missing = set(options["slug"]) - set(unions.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No union {', '.join(sorted(missing))}")
        for union in unions:
            snapshot = refresh_report(union=union, trigger=Trigger.COMMAND)
            counts = ", ".join(f"{c.key}={snapshot.counts[c.key]}" for c in CHECKS)
            self.stdout.write(f"{union.slug}: {counts} ({snapshot.duration_ms} ms)")
