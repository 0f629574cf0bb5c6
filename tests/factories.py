"""Test data builders: unions, people with accounts, positions. They call the actions,
so tests exercise the same write paths as the product."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from portal.accounts.actions import create_user
from portal.agreements.models import CollectiveAgreementPage
from portal.branches.models import BranchPage, BulletinPage
from portal.people import actions as people_actions
from portal.union.actions import create_union, union_indexes
from portal.workplaces.models import EmployerPage, WorkplacePage

_counter = itertools.count(1)
PASSWORD = "test-password-123"  # noqa: S105


def make_union(slug: str | None = None, *, hostname: str | None = None, port: int = 80,
               name: str | None = None):
    slug = slug or f"u{next(_counter)}"
    return create_union(name=name or f"Union {slug.upper()}", slug=slug,
                        hostname=hostname or f"{slug}.localhost", port=port)


def _business_id(n: int) -> str:
    from portal.workplaces.validators import business_id_check_digit

    # Ten numbers of its own for each n: a number without a valid check digit takes
    # the next one of its ten, never another n's (business IDs are unique per union).
    for k in range(10):
        digits = f"{1000000 + (10 * n + k) % 9000000:07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            return f"{digits}-{check}"
    raise AssertionError(n)


def make_branch(union, title: str = "Branch"):
    index = union_indexes(union).branches
    n = next(_counter)
    return index.add_child(instance=BranchPage(title=f"{title} {n}", slug=f"branch-{n}",
                                               union=union))


def make_employer(union, title: str = "Employer"):
    index = union_indexes(union).employers
    n = next(_counter)
    return index.add_child(instance=EmployerPage(title=f"{title} {n}", slug=f"employer-{n}",
                                                 union=union, business_id=_business_id(n)))


def make_workplace(employer, title: str = "Workplace"):
    n = next(_counter)
    return employer.add_child(instance=WorkplacePage(title=f"{title} {n}", slug=f"wp-{n}",
                                                     union_id=employer.union_id,
                                                     employer=employer))


def make_agreement(union, title: str = "Agreement"):
    index = union_indexes(union).agreements
    n = next(_counter)
    return index.add_child(instance=CollectiveAgreementPage(title=f"{title} {n}",
                                                            slug=f"agreement-{n}", union=union,
                                                            text_url="https://example.org/a.pdf"))


def make_bulletin(branch, title: str = "Bulletin"):
    n = next(_counter)
    return branch.add_child(instance=BulletinPage(title=f"{title} {n}", slug=f"bulletin-{n}",
                                                  union_id=branch.union_id,
                                                  date=timezone.localdate(), body="<p>Hi</p>"))


def mark_sent(bulletin, *, whole_branch: bool = True):
    """Record `bulletin` as sent to its whole branch (no email): public from now on
    (portal/branches/visibility.py). A live bulletin never sent is for officials only."""
    from django.utils import timezone as tz

    from portal.messaging.audience import Audience
    from portal.messaging.models import BulletinSend, SendStatus

    now = tz.now()
    return BulletinSend.objects.create(
        union_id=bulletin.union_id, bulletin=bulletin, audience=Audience().to_json(),
        whole_branch=whole_branch, status=SendStatus.DONE, queued_at=now, finished_at=now)


def make_person(union, *, branch=None, workplace=None, employer=None, user=True,
                roles=(), first_name=None, last_name="Testinen", **fields):
    n = next(_counter)
    first_name = first_name or f"Person{n}"
    person = people_actions.create_person(
        union=union, first_name=first_name, last_name=last_name, branch=branch,
        email=f"p{n}@{union.slug}.example", member_number=f"M{n:06d}", **fields)
    if workplace is not None or employer is not None:
        people_actions.add_employment(person=person, employer=employer or workplace.employer,
                                      workplace=workplace, starts_on=dt.date(2020, 1, 1))
    if user:
        account = create_user(email=f"user{n}@{union.slug}.example", union=union,
                              password=PASSWORD, roles=tuple(roles))
        people_actions.activate_profile(person=person, user=account)
        person.refresh_from_db()
    return person


def publish_translation(page, language: str, title: str):
    """A live translation of `page` in `language`, its ancestors' copies published too."""
    from wagtail.models import Locale

    translation = page.copy_for_translation(Locale.objects.get(language_code=language),
                                            copy_parents=True)
    translation.title = title
    translation.save_revision().publish()
    for ancestor in translation.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    return translation


def appoint(person, kind, scope_page, *, starts_on=None, ends_on=None):
    return people_actions.appoint_position(
        person=person, kind=kind, scope_page=scope_page,
        starts_on=starts_on or dt.date(2020, 1, 1), ends_on=ends_on)


class UserFactory(factory.django.DjangoModelFactory):
    """A bare account (no union), e.g. a platform operator."""

    class Meta:
        model = "accounts.User"

    email = factory.Sequence(lambda n: f"account{n}@example.org")
    password = factory.django.Password(PASSWORD)
