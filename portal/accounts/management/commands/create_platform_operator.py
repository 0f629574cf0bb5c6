from django.core.management.base import BaseCommand, CommandError

from portal.accounts.actions import create_platform_operator
from portal.accounts.models import User


class Command(BaseCommand):
    help = ("Create a platform operator account: no union, may create and configure unions "
            "in the admin, sees no union's personal data.")

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)

    def handle(self, *args, **options):
        if User.objects.filter(email__iexact=options["email"]).exists():
            raise CommandError("An account with this email exists.")
        user = create_platform_operator(email=options["email"])
        self.stdout.write(f"Created platform operator {user.email} (no password: set one "
                          "with `manage.py changepassword`).")
