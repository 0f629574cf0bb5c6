"""Brand themes per union, the navigation bars, the link menu and the language switcher."""

import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import include, path, reverse
from wagtail.models import GroupSitePermission

from portal import navigation
from portal.union.models import Role
from tests.factories import make_branch, make_person, make_union
from themes.actions import Link, set_brand, set_link_menu
from themes.contrast import contrast_ratio
from themes.models import BrandSettings, LinkMenu, LinkMenuItem

pytestmark = pytest.mark.django_db


def _client(union, user=None, language="en"):
    # The language switcher's cookie: on a union's site it wins over the union's default
    # language, which wins over Accept-Language (docs/languages.md).
    client = Client(HTTP_HOST=union.site.hostname)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48
    assert contrast_ratio("#b3001b", "#ffffff") > 4.5


def test_a_colour_pair_failing_wcag_aa_is_refused_with_a_clear_message():
    union = make_union("lowcontrast")
    with pytest.raises(ValidationError) as error:
        set_brand(union=union, acting_user=None, primary_colour="#ffcc00",
                  secondary_colour="#ffffff")
    message = " ".join(error.value.message_dict["secondary_colour"])
    assert "4.5:1" in message and "#ffcc00" in message
    assert BrandSettings.for_site(union.site).primary_colour == ""
    brand = set_brand(union=union, acting_user=None, primary_colour="#ffcc00",
                      secondary_colour="#1d1d1f")
    assert brand.colours() == ("#ffcc00", "#1d1d1f")


def test_theme_css_is_per_union_and_follows_the_settings_without_a_deploy():
    red = make_union("red")
    blue = make_union("blue")
    set_brand(union=blue, acting_user=None, primary_colour="#00507a",
              secondary_colour="#ffffff", font="serif")
    red_css = _client(red).get("/theme.css").content.decode()
    blue_css = _client(blue).get("/theme.css").content.decode()
    assert "--brand-primary: #b3001b;" in red_css  # the union's seeded default
    assert "--brand-primary: #00507a;" in blue_css
    assert "Georgia" in blue_css and "Georgia" not in red_css
    # A light primary colour is unreadable as link text on white: links fall back.
    set_brand(union=red, acting_user=None, primary_colour="#ffcc00", secondary_colour="#000000")
    red_css = _client(red).get("/theme.css").content.decode()
    assert "--brand-link: #000000;" in red_css


def test_each_admin_group_may_edit_only_its_own_sites_brand_and_links():
    a = make_union("brand-a")
    b = make_union("brand-b")
    admin_a = make_person(a, roles=(Role.ADMIN,)).user
    granted = GroupSitePermission.objects.filter(group=a.role_group(Role.ADMIN))
    assert {(g.site_id, g.permission.codename) for g in granted} == {
        (a.site_id, "change_brandsettings"), (a.site_id, "change_linkmenu")}
    client = _client(a, admin_a)
    own = client.get(f"/admin/settings/themes/brandsettings/{a.site_id}/")
    assert own.status_code == 200
    other = client.get(f"/admin/settings/themes/brandsettings/{b.site_id}/")
    assert other.status_code in (302, 403)
    staff_a = make_person(a, roles=(Role.STAFF,)).user
    assert _client(a, staff_a).get(
        f"/admin/settings/themes/linkmenu/{a.site_id}/").status_code in (302, 403)


def test_admin_saving_a_low_contrast_pair_in_wagtail_sees_the_message():
    union = make_union("adminform")
    admin = make_person(union, roles=(Role.ADMIN,)).user
    response = _client(union, admin).post(
        f"/admin/settings/themes/brandsettings/{union.site_id}/",
        {"primary_colour": "#ffcc00", "secondary_colour": "#ffffff", "font": "system"},
    )
    assert response.status_code == 200
    assert "4.5:1" in response.content.decode()
    assert BrandSettings.for_site(union.site).primary_colour == ""


def test_link_menu_is_ordered_translated_and_shown_in_the_side_menu():
    union = make_union("links")
    branch = make_branch(union, title="Local")
    set_link_menu(union=union, acting_user=None, links=[
        Link(label="Jäsenedut", label_sv="Medlemsförmåner", label_en="Member benefits",
             url="https://example.org/benefits"),
        Link(label="Osasto", page=branch),
    ])
    html = _client(union, language="en").get("/").content.decode()
    side = html[html.index('id="side-menu"'):]
    assert side.index("Member benefits") < side.index(">Osasto<")
    assert 'href="https://example.org/benefits"' in side
    assert f'href="{branch.url}"' in side
    html_sv = _client(union, language="sv").get("/").content.decode()
    assert "Medlemsförmåner" in html_sv
    # Another union's side menu does not show these links.
    other = make_union("nolinks")
    assert "Member benefits" not in _client(other).get("/").content.decode()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,x"])
def test_link_menu_refuses_addresses_that_are_not_web_addresses(url):
    union = make_union()
    with pytest.raises(ValidationError):
        set_link_menu(union=union, acting_user=None, links=[Link(label="x", url=url)])


def test_link_menu_refuses_a_page_of_another_union():
    union = make_union()
    other_branch = make_branch(make_union())
    menu = LinkMenu.for_site(union.site)
    item = LinkMenuItem(menu=menu, label="x", link_page=other_branch)
    with pytest.raises(ValidationError):
        item.full_clean(exclude=["menu"])


def test_bars_show_only_registered_entries(monkeypatch):
    union = make_union("bars")
    member = make_person(union, roles=(Role.MEMBER,)).user
    html = _client(union, member).get("/").content.decode()
    bar = html[html.index('class="mainbar"'):html.index('class="usermenu"')]
    # Discussions (portal/discussions) registers its entry; the menu is always there.
    assert re.findall(r'<a [^>]*href="([^"]+)"', bar) == ["/discussions/", "#side-menu"]
    monkeypatch.setitem(navigation._ITEMS, "discussions", navigation.NavItem(
        key="discussions", label="Discussions", url_name="people:own_profile", order=1,
        badge=lambda request: 3))
    html = _client(union, member).get("/").content.decode()
    bar = html[html.index('class="mainbar"'):html.index('class="usermenu"')]
    assert 'href="/profile/"' in bar and "Discussions" in bar and ">3<" in bar


def _results(request):
    from django.http import HttpResponse

    return HttpResponse("results")


urlpatterns = [
    path("search/", include(([path("", _results, name="results")], "search"))),
    path("", include(settings.ROOT_URLCONF)),
]


@pytest.mark.urls("tests.urls_without_search")
def test_main_search_is_absent_without_a_search_view():
    union = make_union("nosearch")
    assert 'role="search"' not in _client(union).get("/").content.decode()


@pytest.mark.urls("tests.test_themes")
def test_main_search_appears_when_the_search_view_exists():
    union = make_union("withsearch")
    html = _client(union).get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html


def test_language_switcher_keeps_the_current_page():
    union = make_union("lang")
    branch = make_branch(union)
    url = branch.relative_url(union.site)
    html = _client(union).get(url).content.decode()
    nexts = re.findall(r'name="next" value="([^"]+)"', html)
    assert len(nexts) == 3 and all(value == url for value in nexts)
    client = _client(union)
    response = client.post("/i18n/setlang/", {"language": "sv", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert '<html lang="sv">' in client.get(url).content.decode()


def test_a_translated_page_is_served_in_the_chosen_language_and_the_switcher_finds_it():
    from tests.factories import publish_translation

    union = make_union("localized")
    branch = make_branch(union, title="Osasto")
    swedish = publish_translation(branch, "sv", "Avdelning")
    url = branch.relative_url(union.site)
    finnish_html = _client(union, language="fi").get(url).content.decode()
    assert "<h1" in finnish_html and "Osasto" in finnish_html
    sv_next = re.search(r'name="next" value="([^"]+)">\s*<button[^>]*value="sv"', finnish_html)
    assert sv_next and sv_next.group(1) == swedish.relative_url(union.site)
    swedish_html = _client(union, language="sv").get(sv_next.group(1)).content.decode()
    assert "Avdelning" in swedish_html and '<html lang="sv">' in swedish_html


def test_dates_follow_the_language():
    import datetime as dt

    from tests.factories import make_bulletin, mark_sent

    union = make_union("dates")
    bulletin = make_bulletin(make_branch(union))
    mark_sent(bulletin)  # public only once sent (portal/branches/visibility.py)
    type(bulletin).objects.filter(pk=bulletin.pk).update(date=dt.date(2026, 3, 5))
    url = bulletin.relative_url(union.site)
    assert "5. maaliskuuta 2026" in _client(union, language="fi").get(url).content.decode()
    assert "5 mars 2026" in _client(union, language="sv").get(url).content.decode()
    # English day first (portal/formats/en), not Django's American "March 5, 2026".
    assert "5 March 2026" in _client(union, language="en").get(url).content.decode()


def _png(colour: str) -> io.BytesIO:
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (96, 96), colour).save(data, "PNG")
    data.seek(0)
    return data


def test_the_cached_chrome_follows_the_brand_the_link_menu_and_the_language():
    from themes.actions import add_brand_image

    union = make_union("chrome")
    client = _client(union, language="en")
    first = client.get("/").content.decode()
    assert "brand__logo" not in first and "Strike fund" not in first
    client.get("/")  # the chrome is now cached

    set_link_menu(union=union, acting_user=None, links=[
        Link(label="Lakkokassa", label_sv="Strejkkassa", label_en="Strike fund",
             url="https://example.org/fund"),
    ])
    assert "Strike fund" in client.get("/").content.decode()
    assert "Strejkkassa" in _client(union, language="sv").get("/").content.decode()

    logo = add_brand_image(union=union, acting_user=None, title="Logo", file=_png("red"),
                           filename="logo.png")
    icon = add_brand_image(union=union, acting_user=None, title="Icon", file=_png("blue"),
                           filename="icon.png")
    set_brand(union=union, acting_user=None, primary_colour="#00507a",
              secondary_colour="#ffffff", logo=logo, favicon=icon)
    html = client.get("/").content.decode()
    logo_tag = re.search(r'<img src="([^"]+)" width="(\d+)" height="48" class="brand__logo"', html)
    assert logo_tag is not None and "logo" in logo_tag.group(1)
    assert re.search(r'<link rel="icon" href="[^"]*icon[^"]*">', html)

    set_brand(union=union, acting_user=None, primary_colour="#00507a",
              secondary_colour="#ffffff")
    html = client.get("/").content.decode()
    assert "brand__logo" not in html
    assert f'<link rel="icon" href="{reverse("membercard:app_icon")}"' in html
