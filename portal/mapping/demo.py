"""The demo's workplace mapping: the demo workplace (where the demo steward, member and
chair work) gets departments, units and shifts, placed and assessed people, two
potential members, and the union a first density snapshot. Written through the actions
as the union's staff account, so the audit log shows the mapping like real work."""

from __future__ import annotations

import random

from portal.accounts.models import User

from . import actions
from .density import write_snapshot
from .models import UnitKind

TEXTS = {
    "fi": {"departments": {"Tuotanto": ("Linja 1", "Linja 2"), "Varasto": ()},
           "shifts": ("Aamuvuoro", "Iltavuoro"),
           "potential": (("Sari", "Mäkelä", "Pakkaaja"), ("Jari", "Niemi", "Trukinkuljettaja")),
           "note": "Kiinnostunut vuorolistoista"},
    "sv": {"departments": {"Produktion": ("Linje 1", "Linje 2"), "Lager": ()},
           "shifts": ("Morgonskift", "Kvällsskift"),
           "potential": (("Sara", "Lindqvist", "Packare"), ("Johan", "Holm", "Truckförare")),
           "note": "Intresserad av arbetsscheman"},
}


def seed_demo_mapping(union, workplace, language: str) -> None:
    staff = User.objects.get(union=union, email=f"staff@{union.slug}.example")
    texts = TEXTS.get(language, TEXTS["fi"])
    rng = random.Random(f"mapping-{union.slug}")  # noqa: S311 - demo data, not secrets
    units = []
    for name, children in texts["departments"].items():
        department = actions.create_unit(workplace=workplace, name=name,
                                         kind=UnitKind.DEPARTMENT, acting_user=staff)
        units += [actions.create_unit(workplace=workplace, name=child, parent=department,
                                      acting_user=staff) for child in children] or [department]
    shifts = [actions.create_unit(workplace=workplace, name=name, kind=UnitKind.SHIFT,
                                  acting_user=staff) for name in texts["shifts"]]
    people = list(actions.employees(workplace).order_by("pk")[:40])
    for n, person in enumerate(people):
        actions.place_person(workplace=workplace, person=person, unit=rng.choice(units),
                             shift=rng.choice(shifts), acting_user=staff)
        if n % 3 != 2:
            actions.assess(workplace=workplace, person=person, acting_user=staff,
                           level=rng.choice((1, 2, 2, 3, 3, 3, 4, 5)))
    for first_name, last_name, job_title in texts["potential"]:
        potential = actions.add_potential_member(
            workplace=workplace, first_name=first_name, last_name=last_name,
            job_title=job_title, unit=units[0], shift=shifts[0], acting_user=staff)
        actions.assess(workplace=workplace, potential=potential, level=3,
                       note=texts["note"], acting_user=staff)
    write_snapshot(union=union)
