from django.core.management.base import BaseCommand

from portal.groups.evaluation import evaluate_union
from portal.union.models import Union


class Command(BaseCommand):
    help = ("Run every group automation of every union (daily: ages change with the date "
            "and temporary statuses end by themselves).")

    def handle(self, *args, **options):
        for union_id in Union.objects.values_list("pk", flat=True):
            evaluate_union(union_id)
