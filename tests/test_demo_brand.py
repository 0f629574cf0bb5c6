"""The demo unions' logos and favicons (docs/themes.md, "Demo"): seeded from
themes/demo_assets into each union's own collection, shown in its top bar, never
duplicated by seeding again."""

import re

import pytest
from django.test import Client
from wagtail.images import get_image_model

from portal.accounts.models import User
from portal.audit.models import AuditEntry
from portal.union.demo import DEMO_UNIONS, DemoSize, seed_union
from themes.actions import set_brand
from themes.models import BrandSettings

pytestmark = pytest.mark.django_db

SIZE = DemoSize(members=12, branches=1, employers=2, workplaces=2, board=2, council=2)
Image = get_image_model()


def _seed_all():
    return [seed_union(spec, size=SIZE, port=80).union for spec in DEMO_UNIONS]


def _top_bar_brand(union) -> tuple[str, str]:
    html = Client(HTTP_HOST=union.site.hostname).get("/").content.decode()
    return re.search(r'<a class="brand"[^>]*>(.*?)</a>', html, re.S).group(1), html


def test_each_demo_union_shows_its_own_logo_and_favicon_from_its_own_collection():
    unions = _seed_all()
    brands = [BrandSettings.for_site(union.site) for union in unions]
    for union, brand in zip(unions, brands, strict=True):
        assert brand.logo is not None and brand.favicon is not None
        assert brand.logo.pk != brand.favicon.pk
        assert brand.logo.collection == brand.favicon.collection == union.collection()
        assert brand.logo.file_size < 20 * 1024 and brand.favicon.file_size < 20 * 1024
        assert brand.favicon.width == brand.favicon.height  # base.html crops it square
        top, html = _top_bar_brand(union)
        rendition = brand.logo.get_rendition("height-48")
        img = re.search(r"<img [^>]*>", top).group(0)
        assert f'src="{rendition.url}"' in img
        assert 'alt=""' in img  # decorative: the link's text is the union's name
        assert union.name in top
        favicon = brand.favicon.get_rendition("fill-64x64")
        assert f'<link rel="icon" href="{favicon.url}">' in html
        assert AuditEntry.objects.filter(union=union,
                                         target=f"union:{union.slug}:image:{brand.logo.pk}")
    pal, norden = brands
    assert pal.logo.pk != norden.logo.pk
    assert pal.logo.collection_id != norden.logo.collection_id
    assert pal.logo.get_file_hash() != norden.logo.get_file_hash()


def test_another_unions_admin_does_not_see_the_logo_in_the_image_chooser():
    pal, norden = _seed_all()
    pal_logo = BrandSettings.for_site(pal.site).logo
    norden_logo = BrandSettings.for_site(norden.site).logo
    client = Client(HTTP_HOST=norden.site.hostname)
    client.force_login(User.objects.get(email="admin@norden.example"))
    chooser = client.get("/admin/images/chooser/").content.decode()
    assert norden_logo.title in chooser
    assert pal_logo.title not in chooser


def test_seeding_again_adds_no_images_and_keeps_an_admins_choice():
    pal, norden = _seed_all()
    images = Image.objects.count()
    logos = {u.pk: BrandSettings.for_site(u.site).logo_id for u in (pal, norden)}
    reports = [seed_union(spec, size=SIZE, port=80) for spec in DEMO_UNIONS]
    assert not any(report.created for report in reports)
    assert Image.objects.count() == images
    assert {u.pk: BrandSettings.for_site(u.site).logo_id for u in (pal, norden)} == logos
    # An admin who removes the logo keeps it removed: the images are there already.
    set_brand(union=pal, acting_user=None, font="system")
    seed_union(DEMO_UNIONS[0], size=SIZE, port=80)
    assert BrandSettings.for_site(pal.site).logo is None
    assert Image.objects.count() == images


def test_a_demo_union_seeded_before_it_had_a_logo_gets_one_once():
    pal = seed_union(DEMO_UNIONS[0], size=SIZE, port=80).union
    set_brand(union=pal, acting_user=None, font="system")  # as before demo logos
    Image.objects.filter(collection=pal.collection()).delete()
    for _run in range(2):
        seed_union(DEMO_UNIONS[0], size=SIZE, port=80)
    brand = BrandSettings.for_site(pal.site)
    assert brand.logo is not None and brand.favicon is not None
    assert Image.objects.filter(collection=pal.collection()).count() == 2
    top, _html = _top_bar_brand(pal)
    assert "<img " in top
