"""The bulletin editor (Wagtail's Draftail), "send to N people?" before sending, the
plain-text email and the searchable audience lists."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail

from portal.branches.actions import create_bulletin
from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.email import render_bulletin
from portal.messaging.models import BulletinSend
from portal.messaging.plaintext import html_to_text
from portal.messaging.sending import deliver
from portal.messaging.tests.scenario import build, client_for
from tests.shared import module_world


def _build_s():
    return build("edit")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


def _contentstate(*blocks) -> str:
    """Draftail's post: blocks of (type, text, inline styles, link url or None)."""
    entity_map, raw = {}, []
    for kind, text, styles, link in blocks:
        ranges = []
        if link:
            key = str(len(entity_map))
            entity_map[key] = {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link}}
            ranges.append({"offset": 0, "length": len(text), "key": int(key)})
        raw.append({"key": f"k{len(raw)}", "type": kind, "text": text, "depth": 0,
                    "inlineStyleRanges": [{"offset": 0, "length": len(text), "style": st}
                                          for st in styles],
                    "entityRanges": ranges, "data": {}})
    return json.dumps({"blocks": raw, "entityMap": entity_map})


def test_the_form_is_draftail_and_saves_its_content_as_sanitised_html(s):
    client = client_for(s, s.chair)
    page = client.get(f"/branches/{s.branch.pk}/bulletins/new/").content.decode()
    assert "data-draftail-input" in page and "<textarea" not in page
    assert "wagtailadmin/js/draftail.js" in page
    body = _contentstate(("header-two", "Meeting", [], None),
                         ("unstyled", "Bold words", ["BOLD"], None),
                         ("unordered-list-item", "Agenda", [], "https://example.org/agenda"))
    response = client.post(f"/branches/{s.branch.pk}/bulletins/new/", {
        "title": "Meeting", "summary": "", "date": "2026-01-05", "body": body})
    assert response.status_code == 302
    draft = s.branch.get_children().get(title="Meeting").specific
    html = draft.get_latest_revision_as_object().body
    assert "<h2>Meeting</h2>" in html
    assert "<b>Bold words</b>" in html
    assert '<li><a href="https://example.org/agenda">Agenda</a></li>' in html
    # The edit form gives Draftail the saved text back as its content state.
    edit = client.get(f"/bulletins/{draft.pk}/edit/").content.decode()
    assert "Bold words" in edit and "header-two" in edit


def test_anything_but_draftails_json_is_still_sanitised(s):
    client = client_for(s, s.chair)
    response = client.post(f"/branches/{s.branch.pk}/bulletins/new/", {
        "title": "Raw", "summary": "", "date": "2026-01-05",
        "body": '<p onclick="x()">Hi<script>alert(1)</script></p>'})
    assert response.status_code == 302
    html = s.branch.get_children().get(title="Raw").specific.get_latest_revision_as_object().body
    assert html == "<p>Hi</p>"


def test_sending_asks_send_to_n_people_first(s):
    client = client_for(s, s.chair)
    url = f"/bulletins/{s.bulletin.pk}/send/"
    audience = {"statuses": ["active", "on_leave"], "workplaces": [str(s.workplace.pk)]}
    confirm = client.post(url, audience)
    assert confirm.status_code == 200
    assert not BulletinSend.objects.exists() and mail.outbox == []
    text = confirm.content.decode()
    # The chair and the member work at the workplace: two people, both with an address.
    assert confirm.context["counts"].emailed == 2
    assert "Lähetetäänkö tiedote 2 henkilölle?" in text  # the union speaks Finnish
    assert 'name="confirm" value="1"' in text
    assert f'name="workplaces" value="{s.workplace.pk}"' in text
    assert f"?statuses=active&amp;statuses=on_leave&amp;workplaces={s.workplace.pk}" in text
    response = client.post(url, {**audience, "confirm": "1"})
    assert response.status_code == 302
    send = BulletinSend.objects.get(bulletin=s.bulletin)
    assert send.audience["workplaces"] == [s.workplace.pk]


def test_scheduling_is_confirmed_too(s):
    client = client_for(s, s.chair)
    confirm = client.post(f"/bulletins/{s.bulletin.pk}/send/", {
        "statuses": ["active"], "send_at": "2099-01-01T10:00"})
    assert "Ajastetaanko tiedote" in confirm.content.decode()
    assert 'name="send_at" value="2099-01-01T10:00"' in confirm.content.decode()
    assert not BulletinSend.objects.exists()


def test_the_plain_text_email_keeps_paragraphs_and_shows_link_addresses(s):
    bulletin = create_bulletin(
        branch=s.branch, acting_user=s.chair.user, title="Plain",
        body='<h2>Heading</h2><p>First <a href="https://example.org/x">the rules</a>.</p>'
             '<p>Second<br>line</p><ul><li>one</li><li>two</li></ul>'
             '<p>Write to <a href="mailto:office@example.org">the office</a>.</p>')
    send = send_bulletin(bulletin=bulletin, audience=Audience(), acting_user=s.chair.user)
    deliver(send.pk)
    text = mail.outbox[0].body
    assert ("Heading\n\nFirst the rules (https://example.org/x).\n\nSecond\nline\n\n"
            "- one\n- two\n\nWrite to the office (office@example.org).") in text
    rendered = render_bulletin(bulletin, root_url="https://x.example", language="fi")
    assert rendered.text == mail.outbox[0].body.replace(
        mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1], "__UNSUBSCRIBE_URL__")


def test_plain_text_of_lists_and_bare_links():
    assert html_to_text('<ol><li>a</li><li>b</li></ol><p><a href="https://e.org">'
                        "https://e.org</a></p>") == "1. a\n2. b\n\nhttps://e.org"


def test_the_audience_lists_are_filterable_and_work_without_script(s):
    client = client_for(s, s.chair)
    page = client.get(f"/bulletins/{s.bulletin.pk}/send/").content.decode()
    assert page.count("data-choice-filter") == 2  # workplaces and employers
    assert "branches/audience.js" in page and "<script>" not in page
    # Without the script every choice is there as a plain checkbox.
    assert f'value="{s.workplace.pk}"' in page and f'value="{s.other_workplace.pk}"' in page
    assert 'class="choice-filter__search" hidden' in page
    # One form: what is ticked is what "Send" sends (no stale hidden copy of a GET form).
    assert page.count('<form method="post">') == 1
    assert re.search(r'<form method="post">.*name="workplaces".*name="action" value="send"',
                     page, re.S)


def test_updating_the_count_sends_nothing(s):
    client = client_for(s, s.chair)
    response = client.post(f"/bulletins/{s.bulletin.pk}/send/", {
        "statuses": ["active"], "workplaces": [str(s.workplace.pk)], "action": "count"})
    assert response.status_code == 200 and response.context["counts"].total == 2
    assert "bulletin_send.html" in [t.name.split("/")[-1] for t in response.templates]
    assert not BulletinSend.objects.exists()
