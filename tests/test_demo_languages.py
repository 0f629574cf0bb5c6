"""Languages (issue 12, item 18): the demo's content is in each union's own language,
English dates are day first, and a person's job title is labelled as one (not as a
heading: "Otsikko"/"Rubrik")."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import formats, translation

from portal.accounts.models import User
from portal.branches.models import BulletinPage
from portal.people.models import Person
from portal.union.demo import DEMO_UNIONS, DemoSize, seed_union
from portal.union.models import UnionOffice, UnionStaffMember

SIZE = DemoSize(members=12, branches=1, employers=2, workplaces=2, board=2, council=2)

# Words of the other language that must not turn up in a union's demo content.
FINNISH = ("Syyskokous", "Tervetuloa", "Toiminnanjohtaja", "Lakimies", "ma–pe", "Myyjä",
           "osasto", " ja ")
SWEDISH = ("Höstmöte", "Välkommen", "Verksamhetsledare", "Jurist", "mån–fre", "Försäljare",
           "avdelning", " och ")


def _seed(slug: str):
    spec = next(spec for spec in DEMO_UNIONS if spec.slug == slug)
    return seed_union(spec, size=SIZE, port=80).union


def _content(union) -> list[str]:
    """The demo texts members read: bulletins, staff, offices, the union's card."""
    texts = []
    for bulletin in BulletinPage.objects.for_union(union):
        texts += [bulletin.title, bulletin.summary, bulletin.body]
    for member in UnionStaffMember.objects.filter(page=union.root_page):
        texts.append(member.title)
    for office in UnionOffice.objects.filter(page=union.root_page):
        texts += [office.name, office.city, office.opening_hours]
    texts.append(union.root_page.description)
    return texts


def _mentions(texts: list[str], words) -> list[str]:
    return [word for word in words if any(word in text for text in texts)]


@pytest.mark.django_db
def test_the_demo_seeds_norden_in_swedish_and_pal_in_finnish():
    norden = _seed("norden")
    content = _content(norden)
    titles = set(BulletinPage.objects.for_union(norden).values_list("title", flat=True))
    assert titles >= {"Höstmöte", "Vårens utbildningsdag"}
    body = BulletinPage.objects.for_union(norden).get(title="Höstmöte").body
    assert "höstmöte" in body and " och " in body
    assert set(UnionStaffMember.objects.filter(page=norden.root_page)
               .values_list("title", flat=True)) >= {"Verksamhetsledare", "Jurist"}
    assert _mentions(content, FINNISH) == []
    assert "Helsingfors" in {o.city for o in UnionOffice.objects.filter(page=norden.root_page)}
    # The demo accounts' names and jobs are Swedish too.
    person = Person.objects.for_union(norden).get(user__email="member@norden.example")
    assert person.first_name == "Medlem"
    assert person.employments.get().title == "Försäljare"

    pal = _seed("pal")
    assert set(BulletinPage.objects.for_union(pal).values_list("title", flat=True)) >= {
        "Syyskokous", "Kevään koulutuspäivä"}
    assert _mentions(_content(pal), SWEDISH) == []


@pytest.mark.django_db
def test_the_swedish_union_page_reads_in_swedish():
    norden = _seed("norden")
    html = Client(HTTP_HOST=norden.site.hostname).get("/").content.decode()
    assert "Verksamhetsledare" in html and "mån–fre 9–16" in html
    assert _mentions([html], ("Toiminnanjohtaja", "ma–pe", "Tervetuloa")) == []


def _render(template: str, **context) -> str:
    return Template(template).render(Context(context))


def test_english_dates_are_day_first():
    day = dt.date(2026, 11, 30)
    with translation.override("en"):
        assert formats.date_format(day) == "30 November 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "30/11/2026"
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d|date }}', d=day) == (
            "30/11/2026 30 November 2026")
        moment = dt.datetime(2026, 11, 30, 14, 5)
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "30/11/2026 14:05"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        # A typed date is read day first as well.
        assert forms.DateField(localize=True).clean("01/02/2026") == dt.date(2026, 2, 1)
    with translation.override("fi"):  # Finnish keeps Django's own
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "30.11.2026"


def test_swedish_short_dates_are_written_as_in_finland():
    day = dt.date(2026, 11, 30)
    with translation.override("sv"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "30.11.2026"
        assert formats.date_format(day) == "30 november 2026"  # Django's own long form
        assert forms.DateField(localize=True).clean("01.02.2026") == dt.date(2026, 2, 1)
        assert forms.DateField(localize=True).clean("2026-02-01") == dt.date(2026, 2, 1)


JOB_TITLE = {"fi": "Tehtävänimike", "sv": "Titel", "en": "Job title"}
HEADING = {"fi": "Otsikko", "sv": "Rubrik", "en": "Title"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_staff_members_and_an_employments_title_are_labelled_job_title(language):
    norden = _seed("norden")
    client = Client(HTTP_HOST=norden.site.hostname)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    assert f'<th scope="col">{JOB_TITLE[language]}</th>' in html
    assert f'<th scope="col">{HEADING[language]}</th>' not in html
    assert f'data-label="{JOB_TITLE[language]}"' in html

    client.force_login(User.objects.get(email="member@norden.example"))
    profile = client.get("/profile/").content.decode()
    assert f'<th scope="col">{JOB_TITLE[language]}</th>' in profile
    assert f'<th scope="col">{HEADING[language]}</th>' not in profile

    # The admin's field label of a staff member's title says the same.
    with translation.override(language):
        label = str(UnionStaffMember._meta.get_field("title").verbose_name)
    assert label.capitalize() == JOB_TITLE[language]


@pytest.mark.django_db
def test_the_demo_accounts_hold_their_seats_alone():
    from portal.people.models import PositionKind, PositionOfTrust

    union = _seed("pal")
    for key, kind in (("chair", PositionKind.BRANCH_CHAIR),
                      ("steward", PositionKind.SHOP_STEWARD)):
        seat = PositionOfTrust.objects.for_union(union).get(
            kind=kind, person__user__email=f"{key}@pal.example")
        holders = (PositionOfTrust.objects.for_union(union).current()
                   .filter(kind=kind, scope_page=seat.scope_page))
        assert list(holders.values_list("person__user__email", flat=True)) == [
            f"{key}@pal.example"]
