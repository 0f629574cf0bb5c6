"""The Content-Security-Policy of the front end and of the Wagtail admin (issue 12, item 11).

Wagtail's admin starts its choosers, inline panels and date inputs with inline scripts;
each carries the request's nonce (portal/adminpanel/csp.py). The browser side is
tests/browser/test_admin_csp.py; these check the markup and the headers.
"""

import re

import pytest
from django.test import Client

from portal.union.models import Role
from tests.factories import make_agreement, make_branch, make_person, make_union
from themes.models import LinkMenu

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.I)


def _script_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directive = next(d for d in policy.split(";") if d.strip().startswith("script-src "))
    return directive.split()[1:]


def _admin(union):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(make_person(union, roles=(Role.ADMIN,)).user)
    return client


def _inline_scripts_without(nonce: str, html: str) -> list[str]:
    return [attrs for attrs in INLINE_SCRIPT.findall(html) if f'nonce="{nonce}"' not in attrs]


@pytest.mark.parametrize("editor", ["union_page", "agreement", "link_menu"])
def test_every_inline_script_of_the_admin_editors_carries_the_nonce(editor):
    """Union page (inline panels: offices, staff; image chooser), an agreement (date
    inputs) and the link menu (inline panel with page choosers, also in the empty form
    that the "add" button copies)."""
    union = make_union("cspadmin")
    client = _admin(union)
    url = {
        "union_page": lambda: f"/admin/pages/{union.root_page_id}/edit/",
        "agreement": lambda: f"/admin/pages/{make_agreement(union).pk}/edit/",
        "link_menu": lambda: f"/admin/settings/themes/linkmenu/{union.site_id}/",
    }[editor]()
    if editor == "link_menu":
        LinkMenu.for_site(union.site)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    nonces = [s[len("'nonce-"):-1] for s in _script_src(response) if s.startswith("'nonce-")]
    assert len(nonces) == 1, _script_src(response)
    assert INLINE_SCRIPT.search(html), "the editor has no inline script to check"
    assert _inline_scripts_without(nonces[0], html) == []
    assert "'unsafe-inline'" not in _script_src(response)
    assert "'unsafe-eval'" not in _script_src(response)


def test_each_response_has_its_own_nonce():
    union = make_union("cspnonce")
    client = _admin(union)
    url = f"/admin/pages/{union.root_page_id}/edit/"
    first, second = (_script_src(client.get(url)) for _ in range(2))
    assert first != second


def test_the_front_end_stays_script_src_self():
    union = make_union("cspfront")
    branch = make_branch(union)
    member = make_person(union, branch=branch, roles=(Role.MEMBER,)).user
    client = Client(HTTP_HOST=union.site.hostname)
    for url in ["/", "/accounts/login/", branch.relative_url(union.site)]:
        assert _script_src(client.get(url)) == ["'self'"], url
    client.force_login(member)
    for url in ["/", "/profile/", branch.relative_url(union.site)]:
        response = client.get(url, follow=True)
        assert _script_src(response) == ["'self'"], url
        assert INLINE_SCRIPT.search(response.content.decode()) is None, url


def test_only_the_image_editor_allows_jcrops_touch_probe():
    """Jcrop sets `ontouchstart="return;"` to probe for touch: that handler's hash is
    allowed on the image editor only, no other inline handler anywhere."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    union = make_union("cspimage")
    client = _admin(union)
    image = Image.objects.create(title="Logo", file=get_test_image_file(),
                                 collection=union.collection())
    policy = client.get(f"/admin/images/{image.pk}/")["Content-Security-Policy"]
    assert ("script-src-attr 'unsafe-hashes' "
            "'sha256-i+qr4lq34KgNHiW62lWi9aInEBwiEOrfCzaNPCvkqD8='") in policy
    for url in ["/admin/", "/admin/images/", f"/admin/pages/{union.root_page_id}/edit/"]:
        assert "script-src-attr" not in client.get(url)["Content-Security-Policy"], url
