"""A union with two branches and a second union, shared by the bulletin tests."""

from __future__ import annotations

from dataclasses import dataclass

from portal.messaging.actions import unsubscribe_person
from portal.people.models import MembershipStatus, PositionKind
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)


@dataclass
class Scenario:
    union: object
    branch: object
    other_branch: object
    other_union: object
    employer: object
    workplace: object
    other_workplace: object
    chair: object
    secretary: object
    board: object
    staff: object
    member: object
    swede: object
    on_leave: object
    resigned: object
    no_email: object
    unsubscribed: object
    elsewhere: object
    other_branch_member: object
    other_chair: object
    foreign_chair: object
    bulletin: object

    @property
    def default_audience(self) -> set[int]:
        """Active and on-leave members of the branch, officials included."""
        return {p.pk for p in (self.chair, self.secretary, self.board, self.member, self.swede,
                               self.on_leave, self.no_email, self.unsubscribed, self.elsewhere)}

    @property
    def emailed(self) -> set[int]:
        return self.default_audience - {self.no_email.pk, self.unsubscribed.pk}


def build(slug: str = "bull") -> Scenario:
    union = make_union(slug)
    branch = make_branch(union, "Branch A")
    other_branch = make_branch(union, "Branch B")
    employer = make_employer(union)
    workplace = make_workplace(employer)
    other_employer = make_employer(union)
    other_workplace = make_workplace(other_employer)
    chair = make_person(union, branch=branch, workplace=workplace)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    secretary = make_person(union, branch=branch)
    appoint(secretary, PositionKind.BRANCH_SECRETARY, branch)
    board = make_person(union, branch=branch)
    appoint(board, PositionKind.BRANCH_BOARD_MEMBER, branch)
    staff = make_person(union, roles=(Role.STAFF,))
    member = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,))
    swede = make_person(union, branch=branch, workplace=other_workplace, preferred_language="sv")
    on_leave = make_person(union, branch=branch, membership_status=MembershipStatus.ON_LEAVE)
    resigned = make_person(union, branch=branch, membership_status=MembershipStatus.RESIGNED)
    no_email = make_person(union, branch=branch, user=False)
    no_email.email = ""
    no_email.save(update_fields=["email"])
    unsubscribed = make_person(union, branch=branch)
    unsubscribe_person(person=unsubscribed)
    elsewhere = make_person(union, branch=branch, employer=other_employer)
    other_branch_member = make_person(union, branch=other_branch, workplace=workplace)
    other_chair = make_person(union, branch=other_branch)
    appoint(other_chair, PositionKind.BRANCH_CHAIR, other_branch)
    other_union = make_union(f"{slug}x")
    foreign_branch = make_branch(other_union)
    foreign_chair = make_person(other_union, branch=foreign_branch)
    appoint(foreign_chair, PositionKind.BRANCH_CHAIR, foreign_branch)
    bulletin = make_bulletin(branch, "News")
    return Scenario(
        union=union, branch=branch, other_branch=other_branch, other_union=other_union,
        employer=employer, workplace=workplace, other_workplace=other_workplace, chair=chair,
        secretary=secretary, board=board, staff=staff, member=member, swede=swede,
        on_leave=on_leave, resigned=resigned, no_email=no_email, unsubscribed=unsubscribed,
        elsewhere=elsewhere, other_branch_member=other_branch_member, other_chair=other_chair,
        foreign_chair=foreign_chair, bulletin=bulletin,
    )


def client_for(s: Scenario, person, union=None):
    """A test client signed in as `person` on the scenario's union's site (or `union`'s)."""
    from django.test import Client

    client = Client(HTTP_HOST=(union or s.union).site.hostname)
    client.force_login(person.user)
    return client
