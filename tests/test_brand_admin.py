"""The brand settings form in the admin: colour pickers and a live preview (issue 12, item 17).

The picker and preview are driven by a static script (tests/browser/test_admin_csp.py
drives them in Chromium); these check the markup the script works on and that the form
still refuses a pair below WCAG AA.
"""

import re

import pytest
from django.test import Client

from portal.union.models import Role
from tests.factories import make_person, make_union
from themes.actions import set_brand
from themes.models import BrandSettings

pytestmark = pytest.mark.django_db


def _admin(union):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(make_person(union, roles=(Role.ADMIN,)).user)
    return client


def _url(union):
    return f"/admin/settings/themes/brandsettings/{union.site_id}/"


def test_each_colour_field_has_a_picker_and_the_form_a_preview():
    union = make_union("picker")
    set_brand(union=union, acting_user=None, primary_colour="#00507a", secondary_colour="")
    html = _admin(union).get(_url(union)).content.decode()
    # The picker shows the colour in force: the field's value, else the union's own colour.
    primary = re.search(r'<input type="color"[^>]*data-for="id_primary_colour"[^>]*>', html)
    secondary = re.search(r'<input type="color"[^>]*data-for="id_secondary_colour"[^>]*>', html)
    assert primary and 'value="#00507a"' in primary.group(0)
    assert secondary and f'value="{union.secondary_colour.lower()}"' in secondary.group(0)
    assert 'data-brand-colour-role="secondary"' in html
    assert f'placeholder="{union.secondary_colour.lower()}"' in html
    assert "data-brand-preview" in html and union.name in html
    assert re.search(r'<script src="/static/themes/brand-admin\.js', html)


def test_the_preview_messages_are_translated():
    union = make_union("pickerfi")
    client = _admin(union)
    client.cookies["django_language"] = "fi"
    html = client.get(_url(union), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Värivalitsin" in html
    assert "teksti tarvitsee vähintään 4,5:1" in html


def test_the_admin_form_refuses_a_pair_below_aa():
    union = make_union("pickerlow")
    client = _admin(union)
    response = client.post(_url(union), {
        "primary_colour": "#ffcc00", "secondary_colour": "#ffffff", "font": "system",
    })
    assert response.status_code == 200
    assert "4.5:1" in response.content.decode()
    assert BrandSettings.for_site(union.site).primary_colour == ""
    response = client.post(_url(union), {
        "primary_colour": "#2e7d32", "secondary_colour": "#ffffff", "font": "system",
    })
    assert response.status_code == 302
    assert BrandSettings.for_site(union.site).colours() == ("#2e7d32", "#ffffff")
