"""Sets the number an account without a profile (union staff, admins) gets its step-up
codes at: `manage.py set_stepup_phone UNION_SLUG EMAIL NUMBER` (audited)."""

from django.core.management.base import BaseCommand, CommandError

from portal.accounts.models import User
from portal.stepup.actions import set_phone
from portal.union.models import Union


class Command(BaseCommand):
    help = "Set the step-up SMS number of an account without a profile."

    def add_arguments(self, parser):
        parser.add_argument("union")
        parser.add_argument("email")
        parser.add_argument("phone")

    def handle(self, *args, union, email, phone, **options):
        union_row = Union.objects.filter(slug=union).first()
        user = User.objects.filter(union=union_row, email__iexact=email).first()
        if union_row is None or user is None:
            raise CommandError("No such account in that union.")
        set_phone(user=user, union=union_row, phone=phone)
        self.stdout.write(f"Step-up codes of {user.email} go to {phone}.")
