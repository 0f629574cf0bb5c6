from django.core.management.base import BaseCommand, CommandError

from portal.accounts.actions import create_platform_operator
from portal.accounts.models import User


class Command(BaseCommand):
    help = ("Create a platform operator account: no union, may create and configure unions "
            "in the admin, sees no union's personal data.")

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)

    def handle(self, *args, **options):
        # Operators' addresses are unique among accounts without a union (a union's
        # account may have the same address).
        if User.objects.filter(union__isnull=True, email__iexact=options["email"]).exists():
            raise CommandError("An operator account with this email exists.")
        user = create_platform_operator(email=options["email"])
        self.stdout.write(f"Created platform operator {user.email} (no password: set one "
                          "with `manage.py changepassword`).")
