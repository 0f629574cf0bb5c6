"""A confirmation step before an irreversible or far-reaching POST, without JavaScript.

The first POST (without `confirmed=1`) gets a page that says what will happen and
posts the same fields again, to the same URL, with `confirmed=1`; *Cancel* goes back.
Views check `confirmation(...)` first and act only when it returns None."""

from __future__ import annotations

from django.shortcuts import render

NO_STORE = "private, no-store"


def confirmation(request, *, title: str, message: str, button: str, back: str,
                 back_label: str, danger: bool = True, icon: str = "warning"):
    """None when the POST is confirmed; else the confirmation page (a response)."""
    if request.POST.get("confirmed") == "1":
        return None
    posted = [(name, value) for name, values in request.POST.lists()
              if name not in ("csrfmiddlewaretoken", "confirmed") for value in values]
    response = render(request, "adminpanel/confirm.html", {
        "page_title": title, "header_icon": icon, "message": message, "button": button,
        "back": back, "danger": danger, "posted": posted, "action": request.get_full_path(),
        "breadcrumbs_items": [{"url": back, "label": back_label},
                              {"url": "", "label": title}],
    })
    response["Cache-Control"] = NO_STORE  # the message may name a person
    return response
