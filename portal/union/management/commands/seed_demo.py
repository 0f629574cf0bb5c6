import time

from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import trans_real

from portal.union.demo import DemoSize, seed_demo
from portal.union.demo_accounts import DEMO_PASSWORD, PLATFORM_OPERATOR_EMAIL, demo_logins


class Command(BaseCommand):
    help = "Build the two demo unions (skipped for a union that already exists)."

    def add_arguments(self, parser):
        defaults = DemoSize()
        parser.add_argument("--members", type=int, default=defaults.members)
        parser.add_argument("--branches", type=int, default=defaults.branches)
        parser.add_argument("--employers", type=int, default=defaults.employers)
        parser.add_argument("--workplaces", type=int, default=defaults.workplaces)
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--only", action="append", default=None, metavar="SLUG",
                            help="Seed only this demo union (repeatable).")
        parser.add_argument("--no-admin-index", action="store_true",
                            help="Do not build the Wagtail admin's search index.")

    def handle(self, *args, **options):
        size = DemoSize(
            members=options["members"],
            branches=options["branches"],
            employers=options["employers"],
            workplaces=max(options["workplaces"], options["employers"]),
        )
        started = time.monotonic()
        self._compile_catalogues()
        reports = seed_demo(size=size, port=options["port"], seed=options["seed"],
                            only=options["only"])
        for report in reports:
            union = report.union
            state = "created" if report.created else "already there, left as it is"
            self.stdout.write(f"{union.name}: {state} {report.counts or ''}")
            port = "" if union.site.port == 80 else f":{union.site.port}"
            self.stdout.write(f"  site:   http://{union.site.hostname}{port}/")
            self.stdout.write(f"  admin:  http://{union.site.hostname}{port}/admin/")
            self.stdout.write(
                f"  logins: {', '.join(demo_logins(union))} (password {DEMO_PASSWORD})"
            )
        if any(report.created for report in reports) and not options["no_admin_index"]:
            # Pages are created in bulk, past Wagtail's indexing signals: without this
            # the admin's page search finds none of the demo's pages.
            call_command("update_index", verbosity=0)
        # The operator is signed in only on the platform's hostname (PLATFORM_HOSTNAMES).
        platform = (settings.PLATFORM_HOSTNAMES or ["<the platform's hostname>"])[0]
        port = "" if options["port"] == 80 else f":{options['port']}"
        self.stdout.write(
            f"Platform operator: {PLATFORM_OPERATOR_EMAIL} (password {DEMO_PASSWORD}), "
            f"on http://{platform}{port}/admin/"
        )
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")

    def _compile_catalogues(self) -> None:
        """The translations, compiled before anything is named: without the .mo files
        (ignored by git; `make demo` compiles them, a manual `migrate` + `seed_demo` did
        not) the index pages are created with English titles ("Branches") and the whole
        site shows English. Up-to-date catalogues are skipped, so this costs nothing."""
        try:
            call_command("compilemessages", verbosity=0,
                         ignore_patterns=[".venv", "var", "node_modules"])
        except CommandError as error:  # no gettext (msgfmt) on this machine
            self.stderr.write(f"The translations could not be compiled ({error}): the "
                              "demo's pages and texts will be in English.")
            return
        # A catalogue this process already read (without the new .mo) is read again.
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()
