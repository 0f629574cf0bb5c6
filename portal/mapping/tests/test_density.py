"""Union density from the register: per unit, workplace, employer and branch, asked for
objects (`density_for`) and written for the whole union (`write_snapshot`)."""

import datetime as dt

import pytest

from portal.mapping import actions
from portal.mapping.density import Density, density_for, total, units_of, write_snapshot
from portal.mapping.models import DensitySnapshot, UnitKind
from portal.people.models import MembershipStatus
from portal.union.models import Role
from tests.factories import make_branch, make_employer, make_person, make_union, make_workplace
from tests.shared import rolled_back


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        union, other = make_union("dens"), make_union("dens2")
        branch = make_branch(union)
        employer = make_employer(union)
        shop, office = make_workplace(employer, "Shop"), make_workplace(employer, "Office")
        staff = make_person(union, roles=(Role.STAFF,)).user
        members = [make_person(union, branch=branch, workplace=shop, user=False)
                   for _ in range(3)]
        outsider = make_person(union, workplace=shop, user=False,
                               membership_status=MembershipStatus.NON_MEMBER)
        make_person(union, workplace=shop, user=False, deceased_on=dt.date(2024, 1, 1))
        make_person(union, branch=branch, workplace=office, user=False)
        office.employee_count = 10
        office.save()
        hall = actions.create_unit(workplace=shop, name="Hall", kind=UnitKind.DEPARTMENT,
                                   acting_user=staff)
        line = actions.create_unit(workplace=shop, name="Line 1", parent=hall, acting_user=staff)
        night = actions.create_unit(workplace=shop, name="Night", kind=UnitKind.SHIFT,
                                    acting_user=staff)
        actions.place_person(workplace=shop, person=members[0], unit=line, shift=night,
                             acting_user=staff)
        actions.place_person(workplace=shop, person=outsider, unit=hall, shift=None,
                             acting_user=staff)
        actions.add_potential_member(workplace=shop, first_name="Pia", unit=line,
                                     acting_user=staff)
        foreign_workplace = make_workplace(make_employer(other))
        yield locals()


@pytest.mark.django_db
def test_density_per_workplace_employer_branch_and_unit(world, django_assert_num_queries):
    w = world
    with django_assert_num_queries(3):
        table = density_for(union=w["union"], workplaces=[w["shop"], w["office"].pk,
                                                          w["foreign_workplace"]],
                            employers=[w["employer"]], branches=[w["branch"]])
    # Shop: 3 members; the non-member and the potential member are its potential; the
    # deceased counts nowhere. Office: reported head count 10.
    assert table.workplaces[w["shop"].pk] == Density(members=3, potential=2)
    assert table.workplaces[w["shop"].pk].percent == 60
    assert table.workplaces[w["office"].pk].base == 10
    assert w["foreign_workplace"].pk not in table.workplaces
    assert table.employers[w["employer"].pk] == Density(members=4, potential=2)
    assert table.branches[w["branch"].pk] == Density(members=4, potential=2)
    assert total(table.workplaces.values()).base == 15
    units = units_of(union=w["union"], workplace=w["shop"])
    assert units[w["hall"].pk] == Density(members=1, potential=2)  # its line's people too
    assert units[w["line"].pk] == Density(members=1, potential=1)
    assert units[w["night"].pk] == Density(members=1, potential=0)


@pytest.mark.django_db
def test_snapshot_writes_every_scope_in_a_few_statements(world, django_assert_max_num_queries):
    w = world
    with django_assert_max_num_queries(8):
        write_snapshot(union=w["union"], on=dt.date(2026, 1, 1))
    write_snapshot(union=w["union"], on=dt.date(2026, 1, 1))  # the day's rows replaced
    rows = {(row.scope_type, row.scope_id): (row.members, row.base)
            for row in DensitySnapshot.objects.for_union(w["union"])}
    assert rows[("workplace", w["shop"].pk)] == (3, 5)
    assert rows[("workplace", w["office"].pk)] == (1, 10)
    assert rows[("employer", w["employer"].pk)] == (4, 6)
    assert rows[("branch", w["branch"].pk)] == (4, 6)
    assert rows[("unit", w["hall"].pk)] == (1, 3)
    assert not DensitySnapshot.objects.for_union(w["other"]).exists()
