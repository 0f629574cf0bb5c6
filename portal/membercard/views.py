"""The member card (U-3.2.4–3.2.5 scroll area / side menu), its verification page and the
pieces that make it installable and available offline (manifest, service worker, icon)."""

from __future__ import annotations

import json

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Site

from portal.access.roles import is_staff
from portal.audit.log import AuditAction, record
from portal.people.models import Person
from portal.people.selectors import NoProfile, own_person
from themes.models import BrandSettings

from .tokens import make_token, max_age, read_token

CARD_FIELDS = ["first_name", "last_name", "member_number", "membership_status", "branch",
               "membership_valid_until"]


def card_is_valid(person: Person, today=None) -> bool:
    """A card is valid while the person is a member and the paid period has not ended."""
    today = today or timezone.localdate()
    return person.is_member and (
        person.membership_valid_until is None or person.membership_valid_until >= today
    )


def _card_person(request, **filters) -> Person | None:
    return (
        Person.objects.for_union(request.union)
        .select_related("branch")
        .filter(**filters)
        .first()
    )


@login_required
def card(request):
    """Permission: signed in, with a profile in this union; shows only their own card."""
    person = own_person(request)
    if person is None:
        raise NoProfile
    record(actor=request.user, union=request.union, action=AuditAction.VIEW, person=person,
           fields=CARD_FIELDS, target=request.path)
    token = make_token(union_id=request.union.pk, person_id=person.pk)
    verify_url = request.build_absolute_uri(reverse("membercard:verify", args=[token]))
    qr = segno.make(verify_url, error="m")
    return render(request, "membercard/card.html", {
        "person": person,
        "union": request.union,
        "card_valid": card_is_valid(person),
        "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
        "token_valid_until": timezone.now() + max_age(),
        "generated_at": timezone.now(),
    })


@login_required
def verify(request, token: str):
    """Permission: staff or admin of this union. Says whether a scanned card is valid."""
    if request.union is None:
        raise Http404
    if not is_staff(request.user, request.union):
        raise PermissionDenied
    check = read_token(token)
    person = None
    state = check.state
    if state == "ok":
        if check.union_id != request.union.pk:
            state = "other_union"
        else:
            person = _card_person(request, pk=check.person_id)
            if person is None:
                state = "invalid"
            else:
                state = "valid" if card_is_valid(person) else "not_valid"
                record(actor=request.user, union=request.union, action=AuditAction.VIEW,
                       person=person, fields=CARD_FIELDS, target="membercard:verify")
    return render(request, "membercard/verify.html", {"state": state, "person": person})


def _brand(request):
    site = Site.find_for_request(request)
    return BrandSettings.for_site(site) if site is not None else None


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    """Permission: public. The web app manifest that lets the card go on the home screen."""
    union = request.union
    brand = _brand(request)
    primary = brand.colours()[0] if brand else "#33475b"
    name = union.name if union else _("Digital union")
    short_name = (union.root_page.short_name if union else "") or name
    data = {
        "name": name,
        "short_name": short_name[:12],
        "lang": (union.default_language if union else "fi"),
        "start_url": reverse("membercard:card"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": primary,
        "icons": [
            {"src": reverse("membercard:app_icon"), "sizes": "any", "type": "image/svg+xml",
             "purpose": "any"},
        ],
    }
    response = HttpResponse(json.dumps(data, ensure_ascii=False),
                            content_type="application/manifest+json; charset=utf-8")
    response["Vary"] = "Host"
    return response


@require_GET
@cache_control(max_age=3600)
def app_icon(request):
    """Permission: public. A square icon in the union's colours with its short name."""
    brand = _brand(request)
    primary, secondary = brand.colours() if brand else ("#33475b", "#ffffff")
    union = request.union
    label = ((union.root_page.short_name if union else "") or "DU")[:4]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f'<rect width="512" height="512" rx="96" fill="{primary}"/>'
        f'<text x="256" y="300" font-family="sans-serif" font-size="{560 // max(len(label), 2)}"'
        f' font-weight="700" fill="{secondary}" text-anchor="middle">{escape(label)}</text>'
        "</svg>"
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Vary"] = "Host"
    return response


@require_GET
def service_worker(request):
    """Permission: public. Keeps the last member card (and its styles) for offline use.

    Served from the site root so that its scope covers /card/.
    """
    body = render_to_string("membercard/sw.js", {
        "card_url": reverse("membercard:card"),
        "theme_url": reverse("theme_css"),
    })
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
