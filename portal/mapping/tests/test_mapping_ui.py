"""Workplace mapping's pages as a new user meets them: forms in the front end's layout
(label, field, help and errors linked to the field), a potential member removed only
after a confirmation step, the assessment legend, the density's base named truthfully
(in the union's language, Finnish)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portal.mapping import actions
from portal.mapping.models import PotentialMember
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import appoint, make_employer, make_person, make_union, make_workplace
from tests.shared import module_world


def _build():
    union = make_union("mapui")
    shop = make_workplace(make_employer(union), "Shop")
    steward = make_person(union, workplace=shop, roles=(Role.MEMBER,))
    appoint(steward, PositionKind.SHOP_STEWARD, shop)
    potential = actions.add_potential_member(
        workplace=shop, acting_user=steward.user, first_name="Pia")
    return {"host": union.site.hostname, "shop": shop, "steward": steward,
            "potential": potential}


ui_rows, ui = module_world(_build, name="ui")


@pytest.mark.django_db
def test_forms_layout_confirmed_removal_legend_and_density_words(ui):
    w = ui
    client = Client(HTTP_HOST=w["host"])
    client.force_login(w["steward"].user)
    shop = w["shop"].pk
    # Django's default layout is gone: no "Label:" and the help is linked to its field.
    info = client.get(f"/mapping/{shop}/info/").content.decode()
    assert re.search(r'<label for="id_employee_count">[^<:]+</label>', info)
    assert 'aria-describedby="id_employee_count_helptext"' in info
    bad = client.post(f"/mapping/{shop}/info/", {"employee_count": "-1"}).content.decode()
    assert 'aria-describedby="id_employee_count_helptext id_employee_count_error"' in bad
    assert 'id="id_employee_count_error"' in bad
    # The list explains the assessment circles and names the density's base.
    overview = client.get(f"/mapping/{shop}/").content.decode()
    assert "1 – vetäjä, aktiivinen" in overview and "ei arvioitu" in overview
    assert "1 jäsentä, tiheyden pohja 2 (ei-jäseniä 1: rekisterissä tai kartoitettuja)" in overview
    # Removing a potential member asks first (a plain form), then removes.
    url = f"/mapping/{shop}/potential/{w['potential'].pk}/"
    ask = client.post(url, {"op": "remove"})
    assert ask.status_code == 200 and "Poistetaanko Pia?" in ask.content.decode()
    assert PotentialMember.objects.filter(pk=w["potential"].pk).exists()
    done = client.post(url, {"op": "remove", "confirmed": "1"})
    assert done.status_code == 302
    assert not PotentialMember.objects.filter(pk=w["potential"].pk).exists()
