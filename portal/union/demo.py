"""Demo and benchmark data: two unions with branches, employers, workplaces,
agreements, board, council, offices, staff and members.

Everything is generated in bulk (see `bulk.py`) so that the same code builds the small
demo in seconds and a 300,000-member union for the benchmarks. Random choices come
from a seeded generator: the same arguments give the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from wagtail.models import Locale, Site

from portal.agreements.models import CollectiveAgreementPage
from portal.audit.log import AuditAction, record
from portal.branches.models import BranchPage, BulletinPage
from portal.people.models import (
    Employment,
    MembershipStatus,
    Person,
    PositionKind,
    PositionOfTrust,
    PositionSource,
    ScopeKind,
)
from portal.workplaces.models import EmployerPage, WorkplacePage
from portal.workplaces.validators import business_id_check_digit

from .actions import create_union, union_indexes
from .bulk import bulk_create_children, bulk_create_pages
from .demo_accounts import seed_brand, seed_demo_accounts, seed_logo, seed_platform_operator
from .demo_texts import DemoTexts, texts_for
from .models import Union, UnionOffice, UnionPage, UnionStaffMember


@dataclass(frozen=True)
class DemoUnion:
    slug: str
    name: str
    short_name: str
    language: str
    faker_locales: tuple[str, ...]
    primary: str
    secondary: str
    agreements: tuple[str, ...]
    industries: tuple[str, ...]


DEMO_UNIONS = (
    DemoUnion(
        slug="pal",
        name="Palvelualojen Liitto PAL",
        short_name="PAL",
        language="fi",
        faker_locales=("fi_FI",),
        primary="#b3001b",
        secondary="#ffffff",
        agreements=(
            "Kaupan alan työehtosopimus",
            "Kiinteistöpalvelualan työehtosopimus",
            "Majoitus- ja ravitsemisalan työehtosopimus",
            "Kuljetusalan työehtosopimus",
            "Elintarvikealan työehtosopimus",
            "Vartijoiden työehtosopimus",
        ),
        industries=(
            "Kauppa",
            "Kiinteistöpalvelut",
            "Majoitus ja ravitsemus",
            "Kuljetus",
            "Elintarviketeollisuus",
            "Vartiointi",
        ),
    ),
    DemoUnion(
        slug="norden",
        name="Fackförbundet Norden",
        short_name="Norden",
        language="sv",
        faker_locales=("sv_SE", "fi_FI"),
        primary="#00507a",
        secondary="#ffffff",
        agreements=(
            "Kollektivavtal för handeln",
            "Kollektivavtal för undervisningssektorn",
            "Kollektivavtal för social- och hälsovården",
            "Kollektivavtal för teknologiindustrin",
        ),
        industries=("Handel", "Undervisning", "Social- och hälsovård", "Teknologiindustri"),
    ),
)


@dataclass
class DemoSize:
    members: int = 2000
    branches: int = 20
    employers: int = 200
    workplaces: int = 400
    board: int = 7
    council: int = 30


@dataclass
class SeedReport:
    union: Union
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


class NamePool:
    """Pools of realistic names drawn once from Faker, then combined quickly."""

    def __init__(self, locales: tuple[str, ...], rng: random.Random):
        self.rng = rng
        self.first: list[str] = []
        self.last: list[str] = []
        # Sorted, not list(set): a set's order changes with the process's hash seed, and
        # the demo (and the tests built on it) must be the same on every run.
        for locale in locales:
            fake = Faker(locale)
            fake.seed_instance(rng.randint(0, 10**9))
            self.first += sorted({fake.first_name() for _ in range(600)})
            self.last += sorted({fake.last_name() for _ in range(600)})
        fake = Faker(locales[0])
        fake.seed_instance(rng.randint(0, 10**9))
        self.companies = sorted({fake.company() for _ in range(3000)})
        self.cities = sorted({fake.city() for _ in range(300)})
        self.streets = sorted({fake.street_address() for _ in range(3000)})
        self.postcodes = sorted({fake.postcode() for _ in range(500)})

    def person(self) -> tuple[str, str]:
        return self.rng.choice(self.first), self.rng.choice(self.last)


def _business_id(rng: random.Random, used: set[str]) -> str:
    while True:
        digits = f"{rng.randint(1000000, 3299999):07d}"
        check = business_id_check_digit(digits)
        value = f"{digits}-{check}"
        if check is not None and value not in used:
            used.add(value)
            return value


def remove_wagtail_welcome_site() -> None:
    """Wagtail's first migration makes a 'Welcome' page and default site; the demo replaces them."""
    for site in Site.objects.filter(root_page__depth=2, root_page__content_type__model="page"):
        welcome = site.root_page
        site.delete()
        welcome.delete()


@transaction.atomic
def seed_union(
    spec: DemoUnion, *, size: DemoSize, port: int = 8000, seed: int = 1, default_site: bool = False
) -> SeedReport:
    existing = Union.objects.filter(slug=spec.slug).first()
    if existing is not None:
        seed_logo(existing)  # a union seeded before the demo had logos gets them now
        return SeedReport(union=existing, created=False)
    rng = random.Random(f"{spec.slug}-{seed}")
    names = NamePool(spec.faker_locales, rng)
    union = create_union(
        name=spec.name,
        slug=spec.slug,
        hostname=f"{spec.slug}.localhost",
        port=port,
        default_language=spec.language,
        primary_colour=spec.primary,
        secondary_colour=spec.secondary,
    )
    if default_site:
        Site.objects.exclude(pk=union.site_id).update(is_default_site=False)
        Site.objects.filter(pk=union.site_id).update(is_default_site=True)
    report = SeedReport(union=union, created=True)
    texts = texts_for(spec.language)
    if texts.cities:
        names.cities = list(texts.cities)
    root: UnionPage = union.root_page
    _fill_union_page(root, spec, texts, names, rng)
    indexes = union_indexes(union)
    locale = Locale.objects.get(language_code=spec.language)
    today = timezone.localdate()

    agreements = bulk_create_children(
        indexes.agreements,
        [
            CollectiveAgreementPage(
                title=title,
                slug=slugify(title)[:200],
                union=union,
                locale=locale,
                valid_from=dt.date(today.year - 1, 3, 1),
                valid_until=dt.date(today.year + 1, 2, 28),
                text_url=f"https://example.org/{spec.slug}/{slugify(title)}.pdf",
                summary=title,
            )
            for title in spec.agreements
        ],
    )
    branches = bulk_create_children(
        indexes.branches,
        [
            BranchPage(
                title=f"{spec.short_name} {city} {i + 1}",
                slug=f"{slugify(city)}-{i + 1}",
                union=union,
                locale=locale,
                number=f"{i + 1:03d}",
                municipality=city,
                description=texts.branch_description,
                email=f"{texts.branch_email}{i + 1}@{spec.slug}.example",
            )
            for i, city in enumerate(rng.choice(names.cities) for _ in range(size.branches))
        ],
    )
    used_ids: set[str] = set()
    employers = bulk_create_children(
        indexes.employers,
        [
            EmployerPage(
                title=company,
                slug=f"{slugify(company)[:40]}-{i + 1}",
                union=union,
                locale=locale,
                business_id=_business_id(rng, used_ids),
                industry=rng.choice(spec.industries),
                street_address=rng.choice(names.streets),
                postal_code=rng.choice(names.postcodes),
                city=rng.choice(names.cities),
            )
            for i, company in enumerate(rng.choice(names.companies) for _ in range(size.employers))
        ],
    )
    through = EmployerPage.agreements.through
    through.objects.bulk_create(
        [
            through(employerpage_id=e.pk, collectiveagreementpage_id=rng.choice(agreements).pk)
            for e in employers
        ],
        batch_size=5000,
    )
    # Every employer gets at least one workplace; the rest are spread at random.
    per_employer: dict[int, list[WorkplacePage]] = {e.pk: [] for e in employers}
    by_id = {e.pk: e for e in employers}
    for i in range(size.workplaces):
        employer = employers[i] if i < len(employers) else rng.choice(employers)
        city = rng.choice(names.cities)
        per_employer[employer.pk].append(
            WorkplacePage(
                title=f"{employer.title}, {city}",
                slug=f"{slugify(city)}-{i + 1}",
                union=union,
                locale=locale,
                employer_id=employer.pk,
                register_id=f"TP{i + 1:05}",  # so the REST API's register can address it
                street_address=rng.choice(names.streets),
                postal_code=rng.choice(names.postcodes),
                city=city,
            )
        )
    workplaces = bulk_create_pages((by_id[pk], wps) for pk, wps in per_employer.items())
    report.counts.update(
        agreements=len(agreements),
        branches=len(branches),
        employers=len(employers),
        workplaces=len(workplaces),
    )

    people = _seed_people(union, size, names, rng, branches, workplaces, spec, texts)
    report.counts["people"] = len(people)
    _seed_head_counts(workplaces[1:], people, spec)
    report.counts["positions"] = _seed_positions(
        union, size, rng, root, branches, workplaces, people, today
    )
    _seed_bulletins(branches[:5], union, locale, today, texts)
    seed_demo_accounts(union, branches[0], workplaces[0], today, texts)
    seed_brand(union, indexes)
    # Bulletins are public only once sent (portal/branches/visibility.py).
    from portal.messaging.demo import seed_demo_sends

    seed_demo_sends(union, branches[0], workplaces[0], spec.language)
    from portal.mapping.demo import seed_demo_mapping

    seed_demo_mapping(union, workplaces[0], spec.language)
    from portal.campaigns.demo import seed_demo_campaign

    seed_demo_campaign(union, workplaces[0], spec.language)
    record(
        actor=None,
        union=union,
        action=AuditAction.CREATE,
        target="demo-data",
        fields=sorted(report.counts),
    )
    return report


def _fill_union_page(root: UnionPage, spec: DemoUnion, texts: DemoTexts, names: NamePool,
                     rng) -> None:
    root.short_name = spec.short_name
    root.email = f"info@{spec.slug}.example"
    root.phone = "+358 20 690 0000"
    root.street_address = rng.choice(names.streets)
    root.postal_code = rng.choice(names.postcodes)
    root.city = texts.offices[0]
    root.description = texts.description
    root.save()
    for i, city in enumerate(texts.offices):
        UnionOffice.objects.create(
            page=root,
            sort_order=i,
            name=f"{spec.short_name} {city}",
            street_address=rng.choice(names.streets),
            postal_code=rng.choice(names.postcodes),
            city=city,
            opening_hours=texts.opening_hours,
            phone=f"+358 20 690 00{i + 1:02d}",
            email=f"{slugify(city)}@{spec.slug}.example",
        )
    for i, title in enumerate(texts.staff_titles):
        first, last = names.person()
        UnionStaffMember.objects.create(
            page=root,
            sort_order=i,
            name=f"{first} {last}",
            title=title,
            email=f"{slugify(first)}.{slugify(last)}@{spec.slug}.example",
            phone=f"+358 20 690 01{i:02d}",
        )


def _birth_date(i: int, today: dt.date, births: random.Random) -> dt.date:
    """Ages 18 to 67; every 40th person turns 50, 60 or 70 within the next two weeks,
    so that the milestone-birthday list (portal/lifeevents) has names in the demo."""
    if i % 40 == 0:
        day = today + dt.timedelta(days=births.randint(0, 13))
        age = (50, 60, 70)[(i // 40) % 3]
        try:
            return day.replace(year=day.year - age)
        except ValueError:  # 29 February
            return (day - dt.timedelta(days=1)).replace(year=day.year - age)
    return today - dt.timedelta(days=births.randint(18 * 365, 67 * 365))


def _seed_people(union, size, names, rng, branches, workplaces, spec, texts) -> list[Person]:
    statuses = (
        [MembershipStatus.ACTIVE] * 88
        + [MembershipStatus.ON_LEAVE] * 4
        + [MembershipStatus.RESIGNED] * 5
        + [MembershipStatus.NON_MEMBER] * 3
    )
    today = timezone.localdate()
    # Its own generator: birth dates leave every other seeded value as it was.
    births = random.Random(f"{spec.slug}-births")
    people: list[Person] = []
    assignments: list[WorkplacePage] = []
    for i in range(size.members):
        first, last = names.person()
        workplace = workplaces[i] if i < len(workplaces) else rng.choice(workplaces)
        status = rng.choice(statuses)
        people.append(
            Person(
                union=union,
                first_name=first,
                last_name=last,
                email=f"{slugify(first)}.{slugify(last)}.{i}@members.{spec.slug}.example",
                phone=f"+358 40 {rng.randint(1000000, 9999999)}",
                street_address=rng.choice(names.streets),
                postal_code=rng.choice(names.postcodes),
                city=workplace.city,
                preferred_language=spec.language,
                member_number=f"{i + 100001}",
                membership_status=status,
                branch_id=rng.choice(branches).pk
                if status != MembershipStatus.NON_MEMBER
                else None,
                joined_on=today - dt.timedelta(days=rng.randint(30, 30 * 365)),
                membership_valid_until=dt.date(today.year, 12, 31),
                birth_date=_birth_date(i, today, births),
            )
        )
        assignments.append(workplace)
    Person.objects.bulk_create(people, batch_size=5000)
    Employment.objects.bulk_create(
        [
            Employment(
                union=union,
                person_id=person.pk,
                employer_id=workplace.employer_id,
                workplace_id=None if rng.random() < 0.04 else workplace.pk,
                title=rng.choice(texts.job_titles),
                starts_on=person.joined_on,
            )
            for person, workplace in zip(people, assignments, strict=True)
        ],
        batch_size=5000,
    )
    for person, workplace in zip(people, assignments, strict=True):
        person.seed_workplace = workplace  # used to pick stewards among a workplace's staff
    return people


def _seed_head_counts(workplaces, people, spec) -> None:
    """Reported head counts, so that union density spreads as in life (most workplaces
    40-90 %, some below 30 %, a few with no figure) rather than everyone a member.
    Its own generator: every other seeded value stays as it was."""
    spread = random.Random(f"{spec.slug}-head-counts")
    members: dict[int, int] = {}
    for person in people:
        if person.membership_status in (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE):
            members[person.seed_workplace.pk] = members.get(person.seed_workplace.pk, 0) + 1
    changed = []
    for workplace in workplaces:
        roll = spread.random()
        if roll < 0.1:
            continue  # no reported figure: the register's employees are the base
        target = spread.uniform(0.1, 0.3) if roll < 0.25 else spread.uniform(0.4, 0.9)
        workplace.employee_count = max(1, round(members.get(workplace.pk, 0) / target))
        changed.append(workplace)
    WorkplacePage.objects.bulk_update(changed, ["employee_count"], batch_size=2000)


def _seed_positions(union, size, rng, root, branches, workplaces, people, today) -> int:
    start = dt.date(today.year - 1, 1, 1)
    end = dt.date(today.year + 2, 12, 31)
    members = [p for p in people if p.branch_id]
    by_branch: dict[int, list[Person]] = {}
    for person in members:
        by_branch.setdefault(person.branch_id, []).append(person)
    by_workplace: dict[int, list[Person]] = {}
    for person in members:
        by_workplace.setdefault(person.seed_workplace.pk, []).append(person)
    positions = []

    def add(person, kind, scope_kind, page):
        positions.append(
            PositionOfTrust(
                union=union,
                person_id=person.pk,
                kind=kind,
                scope_kind=scope_kind,
                scope_page_id=page.pk,
                starts_on=start,
                ends_on=end,
                source=PositionSource.REGISTER,
            )
        )

    for person in rng.sample(members, min(size.board, len(members))):
        add(person, PositionKind.UNION_BOARD_MEMBER, ScopeKind.UNION, root)
    for person in rng.sample(members, min(size.council, len(members))):
        add(person, PositionKind.UNION_COUNCIL_MEMBER, ScopeKind.UNION, root)
    for branch in branches:
        candidates = by_branch.get(branch.pk, [])
        chosen = rng.sample(candidates, min(5, len(candidates)))
        kinds = [PositionKind.BRANCH_CHAIR, PositionKind.BRANCH_SECRETARY] + [
            PositionKind.BRANCH_BOARD_MEMBER
        ] * 3
        for person, kind in zip(chosen, kinds, strict=False):
            add(person, kind, ScopeKind.BRANCH, branch)
    for workplace in workplaces:
        staff = by_workplace.get(workplace.pk, [])
        if len(staff) >= 3 and rng.random() < 0.6:
            add(rng.choice(staff), PositionKind.SHOP_STEWARD, ScopeKind.WORKPLACE, workplace)
        if len(staff) >= 5 and rng.random() < 0.4:
            add(
                rng.choice(staff),
                PositionKind.SAFETY_REPRESENTATIVE,
                ScopeKind.WORKPLACE,
                workplace,
            )
    PositionOfTrust.objects.bulk_create(positions, batch_size=5000)
    return len(positions)


def _seed_bulletins(branches, union, locale, today, texts: DemoTexts) -> None:
    for branch in branches:
        bulk_create_children(
            branch,
            [
                BulletinPage(
                    title=bulletin.title,
                    slug=bulletin.slug,
                    union=union,
                    locale=locale,
                    date=today - dt.timedelta(days=bulletin.days_ago),
                    summary=bulletin.summary,
                    body=bulletin.body,
                )
                for bulletin in texts.bulletins
            ],
        )


def seed_demo(
    *, size: DemoSize, port: int = 8000, seed: int = 1, only: list[str] | None = None
) -> list[SeedReport]:
    remove_wagtail_welcome_site()
    seed_platform_operator()
    reports = []
    for i, spec in enumerate(DEMO_UNIONS):
        if only and spec.slug not in only:
            continue
        reports.append(seed_union(spec, size=size, port=port, seed=seed, default_site=(i == 0)))
    return reports
