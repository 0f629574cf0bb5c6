from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.client import is_enabled
from search.indexing import count_all
from search.reindex import reindex


class Command(BaseCommand):
    help = "Rebuild the main search index from the database and swap the alias to it."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        if not is_enabled():
            raise CommandError("ELASTICSEARCH_URL is not set: search runs on the database.")
        total = count_all()
        with tqdm(total=total, unit="doc", disable=options["no_progress"],
                  file=self.stderr._out) as bar:
            report = reindex(progress=bar.update)
        self.stdout.write(
            f"Indexed {report.documents} documents into {report.index}; "
            f"replaced {', '.join(report.replaced) or 'nothing'}; "
            f"replayed {report.replayed} changes."
        )
