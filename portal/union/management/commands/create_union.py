from django.core.management.base import BaseCommand, CommandError

from portal.accounts.actions import create_union_admin
from portal.union.actions import create_union


class Command(BaseCommand):
    help = "Create a union: its site, root page, index pages, role groups and first admin."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--hostname", required=True)
        parser.add_argument("--port", type=int, default=443)
        parser.add_argument("--language", default="fi", choices=["fi", "sv", "en"])
        parser.add_argument("--admin-email", help="First union admin (gets no password: an "
                                                  "email invites them to set one).")

    def handle(self, *args, **options):
        try:
            union = create_union(name=options["name"], slug=options["slug"],
                                 hostname=options["hostname"], port=options["port"],
                                 default_language=options["language"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["admin_email"]:
            create_union_admin(union=union, email=options["admin_email"], acting_user=None)
        self.stdout.write(f"Created {union.name} on {union.site.hostname}:{union.site.port}.")
