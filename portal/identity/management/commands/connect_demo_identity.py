"""Connect the demo unions to the test OpenID provider (services/oidc-provider), as
`make demo` does after seed_demo.

With OIDC_ISSUER and OIDC_REGISTRATION_TOKEN in the environment (bin/services start-oidc
writes them), each demo union registers itself as a client by dynamic client registration
with its own keys (kept across runs; the provider forgets its clients when it stops, so
every run registers again) and gets pre-made profiles of the provider's test identities,
which a strong sign-in then activates. Without them the demo unions' test-provider
configuration is switched off, so the sign-in page shows no dead button and password
sign-in stays.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from portal.people.actions import create_person
from portal.people.models import MembershipStatus, Person, hash_identity_code
from portal.union.demo import DEMO_UNIONS
from portal.union.models import Union

from ... import actions, keys, oidc
from ...models import IdentityProvider

IDENTITIES = Path(settings.BASE_DIR) / "services/oidc-provider/identities.json"
# Which test identities each demo union has a pre-made profile for. Johanna is in both
# (she activates only in the union whose site she signs in on); Matti is in neither (the
# "not in this union's register" page).
PROFILES = {
    "pal": ("test-aino", "test-mikko", "test-johanna", "test-ella"),
    "norden": ("test-erik", "test-johanna"),
}
LANGUAGE = {"pal": "fi", "norden": "sv"}


class Command(BaseCommand):
    help = "Register the demo unions with the test OpenID provider (OIDC_ISSUER)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        issuer = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
        token = os.environ.get("OIDC_REGISTRATION_TOKEN", "").strip()
        unions = list(Union.objects.filter(slug__in=[d.slug for d in DEMO_UNIONS]))
        if not (issuer and token):
            switched_off = IdentityProvider.objects.filter(
                union__in=unions, is_enabled=True, issuer__startswith="http://127.0.0.1:")
            for provider in switched_off:
                actions.save_provider(union=provider.union, values={"is_enabled": False},
                                      acting_user=None)
            self.stdout.write("Strong identification is unavailable in this demo (the test "
                              "OpenID provider needs Node.js 20): password sign-in only.")
            return
        identities = {i["sub"]: i for i in json.loads(IDENTITIES.read_text("utf-8"))["identities"]}
        for union in unions:
            self._connect(union, issuer=issuer, token=token, port=options["port"])
            made = self._profiles(union, [identities[s] for s in PROFILES.get(union.slug, ())])
            self.stdout.write(f"{union.name}: strong identification with the test provider "
                              f"{issuer}; {made} new pre-made profiles of test identities")
        self.stdout.write("Test identities (services/oidc-provider/identities.json): "
                          + ", ".join(f"{i['given_name']} {i['family_name']}"
                                      for i in identities.values()))

    def _connect(self, union: Union, *, issuer: str, token: str, port: int) -> None:
        callback = reverse("identity:callback")
        hosts = [f"{union.site.hostname}:{port}"]
        if union.site.is_default_site:
            hosts.append(f"127.0.0.1:{port}")  # the first union also answers on 127.0.0.1
        with transaction.atomic():
            provider = actions.save_provider(
                union=union, values={"issuer": issuer, "is_enabled": True}, acting_user=None)
            if not provider.has_keys:
                actions.set_keys(provider=provider, signing=keys.generate(keys.SIGNING),
                                 encryption=keys.generate(keys.ENCRYPTION), acting_user=None)
                provider.refresh_from_db()
            client_id = oidc.register_client(
                issuer=issuer, token=token, provider=provider,
                redirect_uris=[f"http://{host}{callback}" for host in hosts],
                post_logout_redirect_uris=[f"http://{host}/" for host in hosts])
            actions.save_provider(union=union, values={"client_id": client_id},
                                  acting_user=None)

    def _profiles(self, union: Union, identities: list[dict]) -> int:
        made = 0
        for identity in identities:
            code = identity["urn:oid:1.2.246.21"]
            if Person.objects.for_union(union).filter(
                    identity_code_hash=hash_identity_code(code)).exists():
                continue
            create_person(union=union, first_name=identity["given_name"],
                          last_name=identity["family_name"], identity_code=code,
                          membership_status=MembershipStatus.ACTIVE,
                          preferred_language=LANGUAGE.get(union.slug, "fi"))
            made += 1
        return made
