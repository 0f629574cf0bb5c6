"""The campaigns tests' world: two unions, each with an employer of three workplaces
(two in Tampere), a staff member, a shop steward of the depot and colleagues, and a
campaign targeting the depot. Built once for the package (`conftest.world`): read-only
tests share it; tests that write roll back with their own transaction."""

from __future__ import annotations

import datetime as dt

from portal.campaigns import actions
from portal.people.models import MembershipStatus, PositionKind
from portal.union.models import Role
from portal.workplaces.models import WorkplacePage
from tests.factories import (
    appoint,
    make_agreement,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)

START = dt.date(2026, 1, 1)


def _union(slug: str, word: str) -> dict:
    union = make_union(slug, name=f"{word} union")
    employer = make_employer(union, title=f"{word} logistics")
    employer.industry = "Logistics"
    employer.save()
    low, full, elsewhere = (make_workplace(employer, title=f"{word} {t}")
                            for t in ("depot", "office", "port"))
    WorkplacePage.objects.filter(pk__in=[low.pk, full.pk]).update(city="Tampere")
    WorkplacePage.objects.filter(pk=elsewhere.pk).update(city="Oulu")
    people = {
        "staff": make_person(union, roles=(Role.STAFF,), first_name=f"{word}staff"),
        "steward": make_person(union, workplace=low, roles=(Role.MEMBER,),
                               first_name=f"{word}steward"),
        "colleague": make_person(union, workplace=low, roles=(Role.MEMBER,),
                                 first_name=f"{word}colleague"),
        "member": make_person(union, workplace=low, roles=(Role.MEMBER,),
                              first_name=f"{word}member"),
        "outsider": make_person(union, workplace=low, user=False, first_name=f"{word}outsider",
                                membership_status=MembershipStatus.NON_MEMBER),
        "office": make_person(union, workplace=full, roles=(Role.MEMBER,),
                              first_name=f"{word}office"),
        "port": make_person(union, workplace=elsewhere, user=False, first_name=f"{word}port",
                            membership_status=MembershipStatus.NON_MEMBER),
    }
    appoint(people["steward"], PositionKind.SHOP_STEWARD, low)
    campaign = actions.create_campaign(
        union=union, acting_user=people["staff"].user, name=f"{word} campaign", goal="Grow",
        starts_on=START, ends_on=None, owner=people["staff"],
        target_kind="workplace", target_filters={"city": "Tampere", "density_below": 90,
                                                 "unknown": "dropped"})
    return {"union": union, "host": union.site.hostname, "people": people,
            "campaign": campaign, "low": low, "full": full, "elsewhere": elsewhere,
            "agreement": make_agreement(union, title=f"{word} agreement")}
