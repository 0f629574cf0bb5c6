"""The demo's logins, brands and platform operator (split from `demo.py`, which seeds the
organisation and its people). Local demo data only: `make demo` prints the password."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from portal.accounts.actions import create_user
from portal.branches.models import BranchPage
from portal.people import actions as people_actions
from portal.people.models import PositionKind, PositionOfTrust, PositionSource
from portal.workplaces.models import WorkplacePage

from .demo_texts import DemoTexts
from .models import Role, Union

DEMO_PASSWORD = "demo"  # noqa: S105 - printed by `make demo`; the demo is local only


def seed_demo_accounts(
    union: Union, branch: BranchPage, workplace: WorkplacePage, today: dt.date,
    texts: DemoTexts,
) -> None:
    """The five demo logins of each union: admin, staff, chair, steward and member."""
    slug = union.slug
    start = dt.date(today.year - 1, 1, 1)
    # Staff have no profile: their step-up number is set directly (portal/stepup); the
    # others' comes from their profile. The demo's codes appear in the server's log.
    from portal.stepup.actions import set_phone

    for n, (key, role) in enumerate((("admin", Role.ADMIN), ("staff", Role.STAFF)), start=1):
        office_user = create_user(
            email=f"{key}@{slug}.example",
            union=union,
            roles=(role,),
            password=DEMO_PASSWORD,
            first_name=texts.account_names[key],
            last_name=union.root_page.short_name,
        )
        set_phone(user=office_user, union=union, phone=f"+358 40 000 000{n}")
    accounts = {
        "chair": (PositionKind.BRANCH_CHAIR, branch),
        "steward": (PositionKind.SHOP_STEWARD, workplace),
        "member": (None, None),
    }
    for key, (kind, scope) in accounts.items():
        first_name = texts.account_names[key]
        user = create_user(
            email=f"{key}@{slug}.example",
            union=union,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name="Demo",
        )
        person = people_actions.create_person(
            union=union,
            first_name=first_name,
            last_name="Demo",
            email=user.email,
            member_number=f"DEMO-{key}",
            phone=f"+358 40 000 00{list(accounts).index(key) + 3:02d}",
            branch=branch,
            joined_on=start,
            membership_valid_until=dt.date(today.year, 12, 31),
            preferred_language=union.default_language,
        )
        people_actions.add_employment(
            person=person,
            employer=workplace.employer,
            workplace=workplace,
            title=texts.demo_job_title,
            starts_on=start,
        )
        people_actions.activate_profile(person=person, user=user)
        if kind is not None:
            # One chair a branch, one steward a workplace: the seeded holder's term ends
            # and the demo account takes the seat (two chairs of one branch looked wrong).
            for earlier in (PositionOfTrust.objects.for_union(union)
                            .filter(kind=kind, scope_page=scope).current(today)):
                people_actions.end_position(position=earlier)
            people_actions.appoint_position(
                person=person,
                kind=kind,
                scope_page=scope,
                starts_on=start,
                ends_on=dt.date(today.year + 2, 12, 31),
                source=PositionSource.ELECTION,
            )


# Each demo union's brand and link menu (issue 5): clearly different looks. The logo
# and favicon files are themes/demo_assets/<slug>-logo.png and <slug>-favicon.png
# (drawn by themes/demo_assets/draw_logos.py); these are their titles in the admin.
DEMO_ASSETS = Path(__file__).resolve().parents[2] / "themes" / "demo_assets"
DEMO_BRANDS = {
    "pal": {
        "font": "system",
        "images": {"logo": "PAL-logo", "favicon": "PAL-sivustokuvake"},
        "links": (
            ("Jäsenedut", "Medlemsförmåner", "Member benefits", "https://example.org/pal/jasenedut"),
            ("Työehtosopimukset", "Kollektivavtal", "Collective agreements", "agreements"),
            ("Työttömyyskassa", "Arbetslöshetskassan", "Unemployment fund",
             "https://example.org/pal/kassa"),
        ),
    },
    "norden": {
        "font": "serif",
        "images": {"logo": "Nordens logotyp", "favicon": "Nordens favoritikon"},
        "links": (
            ("Jäsenedut", "Medlemsförmåner", "Member benefits", "https://example.org/norden/formaner"),
            ("Osastot", "Avdelningar", "Branches", "branches"),
            ("Ota yhteyttä", "Kontakta oss", "Contact us", "https://example.org/norden/kontakt"),
        ),
    },
}


def seed_brand(union: Union, indexes) -> None:
    from themes.actions import Link, set_brand, set_link_menu

    brand = DEMO_BRANDS.get(union.slug)
    if brand is None:
        return
    set_brand(union=union, acting_user=None, font=brand["font"])
    set_link_menu(union=union, acting_user=None, links=[
        Link(label=fi, label_sv=sv, label_en=en,
             page=getattr(indexes, target) if not target.startswith("https://") else None,
             url=target if target.startswith("https://") else "")
        for fi, sv, en, target in brand["links"]
    ])
    seed_logo(union)


def seed_logo(union: Union) -> None:
    """The union's demo logo and favicon as images in its own collection, set on its brand.

    Idempotent: an image whose title is already in the collection is not added again, and
    once the images exist nothing changes, so a logo an admin chose later is kept."""
    from wagtail.images import get_image_model

    from themes.actions import add_brand_image, set_brand
    from themes.models import BrandSettings

    titles = DEMO_BRANDS.get(union.slug, {}).get("images")
    if not titles:
        return
    present = set(
        get_image_model().objects.filter(collection=union.collection(), title__in=titles.values())
        .values_list("title", flat=True)
    )
    added = {}
    for kind, title in titles.items():
        if title not in present:
            filename = f"{union.slug}-{kind}.png"
            with (DEMO_ASSETS / filename).open("rb") as file:
                added[kind] = add_brand_image(union=union, acting_user=None, title=title,
                                              file=file, filename=filename)
    if not added:
        return
    brand = BrandSettings.for_site(union.site)
    set_brand(union=union, acting_user=None, primary_colour=brand.primary_colour,
              secondary_colour=brand.secondary_colour, font=brand.font,
              logo=brand.logo or added.get("logo"), favicon=brand.favicon or added.get("favicon"))


PLATFORM_OPERATOR_EMAIL = "operator@platform.example"


def seed_platform_operator() -> None:
    """The service operator's demo login: creates unions, sees no personal data."""
    from portal.accounts.actions import create_platform_operator
    from portal.accounts.models import User

    if not User.objects.filter(union__isnull=True, email=PLATFORM_OPERATOR_EMAIL).exists():
        create_platform_operator(email=PLATFORM_OPERATOR_EMAIL, password=DEMO_PASSWORD)


def demo_logins(union: Union) -> list[str]:
    return [
        f"{role}@{union.slug}.example" for role in ("admin", "staff", "chair", "steward", "member")
    ]
