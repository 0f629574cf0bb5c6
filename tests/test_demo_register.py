"""The demo's workplaces carry a member-register ID, so a register trying the REST API on
the demo finds them: /api/v1/workplaces was empty, and employments and shop stewards'
positions named no workplace (a walk through the demo as a register system)."""

import pytest

from portal.union.demo import DEMO_UNIONS, DemoSize, seed_union
from portal.workplaces.models import WorkplacePage

pytestmark = pytest.mark.django_db

SIZE = DemoSize(members=12, branches=1, employers=2, workplaces=3, board=2, council=2)


def test_every_demo_workplace_has_a_register_id_unique_in_its_union():
    unions = [seed_union(spec, size=SIZE, port=80).union for spec in DEMO_UNIONS]
    for union in unions:
        ids = list(WorkplacePage.objects.filter(union=union).values_list("register_id",
                                                                          flat=True))
        assert ids and all(ids), ids
        assert len(set(ids)) == len(ids)
