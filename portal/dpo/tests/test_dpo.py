"""The DPO right, the audit-log review and its export, and a member's "who viewed my
data" (issue 17 item 5): permissions, tenancy, audit, formula escaping, keyset paging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit.log import AuditAction, record_many
from portal.audit.models import AuditEntry
from portal.dpo import alerts, selectors
from portal.dpo.models import Alert, BreachWorksheet, DataProtectionOfficer
from tests.factories import make_person

from .conftest import client_of

pytestmark = pytest.mark.django_db


def refused(response) -> bool:
    """Wagtail's admin answers a refusal by sending the user to the dashboard (or the
    sign-in for a session without admin access)."""
    return response.status_code == 403 or (
        response.status_code == 302 and (response["Location"] == "/admin/"
                                         or "login" in response["Location"]))


def _audited(union, target: str) -> bool:
    return AuditEntry.objects.for_union(union).filter(target=target).exists()


def test_designation_by_admin_only_and_audited(dw):
    a, b = dw["a"], dw["b"]
    url = reverse("dpo:officers")
    assert refused(client_of(a, "staff").get(url))
    assert refused(client_of(a, "dpo").get(url))  # the DPO is no admin
    admin = client_of(a, "admin")
    page = admin.get(url)
    assert page.status_code == 200 and "private, no-store" in page["Cache-Control"]
    assert "Tietosuoja" in page.content.decode()
    # B's account cannot be designated in A; A's official can.
    assert admin.post(url, {"email": b["staff"].user.email}).status_code == 200
    admin.post(url, {"email": a["official"].user.email})
    assert selectors.is_dpo(a["official"].user, a["union"])
    assert _audited(a["union"], f"dpo:user:{a['official'].user.pk}")
    # B's officer id is a 404 for A's admin; B's admin cannot remove A's officer.
    assert admin.post(reverse("dpo:remove", args=[b["officer"].pk])).status_code == 404
    assert refused(client_of(b, "admin", host=a["host"]).post(
        reverse("dpo:remove", args=[a["officer"].pk])))
    admin.post(reverse("dpo:remove", args=[a["officer"].pk]))
    assert not DataProtectionOfficer.objects.filter(pk=a["officer"].pk).exists()


def test_review_only_for_the_unions_dpo(dw):
    a, b = dw["a"], dw["b"]
    url = reverse("dpo:review")
    assert refused(client_of(a, "admin").get(url))  # admin, not DPO
    assert refused(client_of(b, "dpo", host=a["host"]).get(url))
    page = client_of(a, "dpo").get(url, {"person": "Plain", "action": "view"})
    body = page.content.decode()
    assert page.status_code == 200 and "private, no-store" in page["Cache-Control"]
    assert "Staffer Testinen" in body and "Luottamus Testinen" in body
    assert "Exported" not in body.split("<tbody>")[1]
    assert _audited(a["union"], "dpo:audit-log")
    # The review's own entry keeps the ids the typed name found, not the name: an erasure
    # of "Plain" finds nothing of them in free text.
    review = AuditEntry.objects.for_union(a["union"]).filter(target="dpo:audit-log").latest("pk")
    assert not any("Plain" in field for field in review.fields), review.fields
    assert f"person_ids={a['member'].pk}" in review.fields, review.fields
    # B's DPO on B's site sees none of A's entries, and A's people are not found there.
    other = client_of(b, "dpo").get(url, {"person": str(a["member"].pk)}).content.decode()
    assert "<tbody>" not in other


def test_review_names_the_fields_in_the_readers_language(dw):
    a = dw["a"]
    record_many(actor=a["staff"].user, union=a["union"], action=AuditAction.VIEW,
                people=[a["member"]], fields=["member_number", "birth_date", "rows=3"],
                target="dpo-test:fields")
    page = client_of(a, "dpo").get(reverse("dpo:review"), {"target": "dpo-test:fields"})
    rows = page.content.decode().split("<tbody>")[1]
    assert "jäsennumero, syntymäaika, rows=3" in rows and "member_number" not in rows
    # The export keeps the names as logged, for the machine that reads it.
    text = client_of(a, "dpo").get(reverse("dpo:export"), {"target": "dpo-test:fields"}
                                   ).content.decode("utf-8-sig")
    assert "member_number, birth_date, rows=3" in text


def test_export_is_escaped_scoped_and_audited(dw):
    a = dw["a"]
    url = reverse("dpo:export")
    assert refused(client_of(a, "admin").get(url))
    response = client_of(a, "dpo").get(url, {"action": "edit"})
    text = response.content.decode("utf-8-sig")
    assert "private, no-store" in response["Cache-Control"]
    assert "'=HYPERLINK(1) X" in text and "'=cmd|" in text
    assert "Plain" not in text  # only the filtered edit rows
    assert AuditEntry.objects.for_union(a["union"]).filter(
        target="dpo:audit-log.csv", action="export").exists()


def test_keyset_pages_cover_everything_once(dw, monkeypatch):
    a = dw["a"]
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    filters = selectors.Filters()
    seen, cursor = [], ""
    while True:
        rows, cursor = selectors.page(a["union"], filters, cursor)
        seen += [r.pk for r in rows]
        if not cursor:
            break
    expected = list(selectors.filtered(a["union"], filters).values_list("pk", flat=True))
    assert seen == expected and len(seen) > 4


def test_who_viewed_my_data_only_when_enabled(dw):
    a, b = dw["a"], dw["b"]
    url = reverse("dpo_own_viewers")
    member = client_of(a, "member")
    assert member.get(url).status_code == 404
    assert url not in member.get(reverse("people:own_profile")).content.decode()
    client_of(a, "admin").post(reverse("dpo:setting"), {"show_viewers_to_members": "on"})
    assert f'href="{url}"' in member.get(reverse("people:own_profile")).content.decode()
    page = member.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "private, no-store" in page["Cache-Control"]
    assert "Luottamus Testinen" in body and body.count('class="dpo-staff"') == 2
    assert "Staffer" not in body
    assert _audited(a["union"], "dpo:own-viewers")
    # B's member on A's site has no profile there; B's own setting is off.
    assert client_of(b, "member", host=a["host"]).get(url).status_code in (302, 404)
    assert client_of(b, "member").get(url).status_code == 404


def test_misuse_scan_raises_alerts_for_the_dpo_only(dw):
    a, b = dw["a"], dw["b"]
    alerts.scan()  # start from a clean mark
    people = [make_person(a["union"], user=False) for _ in range(alerts.VIEWS_MIN + 5)]
    record_many(actor=a["staff"].user, union=a["union"], action=AuditAction.VIEW, people=people)
    record_many(actor=a["dpo"].user, union=a["union"], action=AuditAction.VIEW,
                people=people[:3])
    assert alerts.scan() >= 1
    alert = Alert.objects.get(union=a["union"], kind="many_views")
    assert alert.actor_id == a["staff"].user.pk and alert.count == len(people)
    assert alert.evidence["usual_for_role"] == 3
    assert alerts.scan() == 0  # the mark moved on
    url = reverse("dpo:alerts")
    assert refused(client_of(a, "admin").get(url))
    assert "Staffer Testinen" in client_of(a, "dpo").get(url).content.decode()
    assert "Staffer" not in client_of(b, "dpo").get(url).content.decode()


def test_breach_worksheet_from_an_alert_for_the_dpo_only_and_audited(dw):
    """Issue 17 item 6: started from an alert (prefilled from its evidence), the 72-hour
    timeline, every change audited, a printable view; officers of the union only."""
    a, b = dw["a"], dw["b"]
    alert = Alert.objects.create(
        union=a["union"], actor=a["staff"].user, kind="many_views", count=80,
        first_at=timezone.now() - dt.timedelta(hours=3),
        last_at=timezone.now() - dt.timedelta(hours=2),
        evidence={"people_viewed": 80, "usual_for_role": 4})
    dpo = client_of(a, "dpo")
    start = reverse("dpo:worksheet_new") + f"?alert={alert.pk}"
    assert refused(client_of(a, "admin").get(start))  # an admin who is no officer
    assert client_of(b, "dpo").get(start).status_code == 404  # B's officer, A's alert
    form = dpo.get(start)
    body = form.content.decode()
    assert form.status_code == 200 and "private, no-store" in form["Cache-Control"]
    assert 'value="80"' in body and a["staff"].user.email in body
    # Started by hand: the union became aware now; nothing claims to come from an alert.
    by_hand = dpo.get(reverse("dpo:worksheet_new"))
    assert by_hand.context["form"].initial["discovered_at"] is not None
    assert by_hand.context["form"].fields["people_affected"].help_text != (
        form.context["form"].fields["people_affected"].help_text)
    response = dpo.post(reverse("dpo:worksheet_new"), {
        "alert": alert.pk, "what_happened": "Bulk reads", "account_email":
        a["staff"].user.email, "people_affected": "80", "data_categories": ["identity"],
        "discovered_at": timezone.localtime(alert.created_at).strftime("%Y-%m-%dT%H:%M")})
    worksheet = BreachWorksheet.objects.get(union=a["union"])
    assert response.status_code == 302 and worksheet.alert_id == alert.pk
    assert worksheet.account_id == a["staff"].user.pk
    url = reverse("dpo:worksheet", args=[worksheet.pk])
    page = dpo.get(url).content.decode()
    assert 'data-state="open"' in page and "Bulk reads" in page
    # B's account cannot be named; a change is audited with the fields it changed.
    values = {"what_happened": "Bulk reads", "discovered_at": "2026-11-01T08:00",
              "people_affected": "81", "data_categories": ["identity", "contact"]}
    assert dpo.post(url, {**values, "account_email": b["staff"].user.email}).status_code == 200
    dpo.post(url, {**values, "account_email": a["staff"].user.email,
                   "reported_at": "2026-11-03T07:00", "authority_reference": "TSV/1"})
    edit = AuditEntry.objects.for_union(a["union"]).filter(
        target=f"dpo:worksheet:{worksheet.pk}", action="edit").get()
    assert {"people_affected", "reported_at", "data_categories"} <= set(edit.fields)
    printed = dpo.get(reverse("dpo:worksheet_print", args=[worksheet.pk]))
    assert "TSV/1" in printed.content.decode() and 'data-state="on_time"' in \
        printed.content.decode() and "private, no-store" in printed["Cache-Control"]
    # Another union's officer and a non-officer are refused the worksheet.
    assert client_of(b, "dpo").get(url).status_code == 404
    assert refused(client_of(a, "staff").get(url))
    assert refused(client_of(a, "staff").post(url, values))
    listing = dpo.get(reverse("dpo:worksheets")).content.decode()
    assert url in listing
    assert url not in client_of(b, "dpo").get(reverse("dpo:worksheets")).content.decode()
