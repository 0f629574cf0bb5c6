"""The step-up page: send a code by SMS, enter it, go back to where you were."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.people.selectors import own_person

from .actions import StepUpRefused, send_code, sync_device, verify_code
from .decorators import safe_next

# The second steps this page offers, in order. Passkeys (issue 16 item 6) add theirs
# here: a key, a label and the template of their part of the page.
METHODS = [
    {"key": "sms", "label": gettext_lazy("Code by text message"),
     "template": "stepup/sms_method.html"},
]


@login_required
@require_http_methods(["GET", "POST"])
def stepup(request):
    """Permission: any signed-in user of this union, for their own account only.

    GET shows the available second steps; POST `action=send` texts a code to the
    number of the user's profile, `action=verify` checks it and returns to `next` (a
    local URL; else the home page). Refusals (pacing, limits, lock) are explained."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next")) or "/"
    person = own_person(request)
    device = sync_device(user=request.user, union=request.union,
                         phone=person.phone if person else "")
    error = None
    if request.method == "POST" and device is not None:
        action = request.POST.get("action")
        try:
            if action == "send":
                language = (person.preferred_language if person else "") or get_language()
                send_code(device=device, acting_user=request.user, language=language)
                messages.success(request, _("A code was sent to %(phone)s.")
                                 % {"phone": device.masked_phone})
                return redirect(reverse("stepup:page") + "?" + urlencode({"next": next_url}))
            if action == "verify":
                if verify_code(device=device, code=request.POST.get("code", ""),
                               acting_user=request.user, session=request.session):
                    messages.success(request, _("Confirmed. You can go on."))
                    return redirect(next_url)
                error = _("The code is wrong. Check the message and try again.")
        except StepUpRefused as refusal:
            error = str(refusal)
        device.refresh_from_db()
    if device is None:
        state = "no_phone"
    elif device.locked:
        state = "locked"
    elif device.code_pending:
        state = "enter"
    else:
        state = "send"
    return render(request, "stepup/stepup.html", {
        "device": device, "state": state, "error": error, "next": next_url,
        "methods": METHODS, "max_minutes": settings.STEPUP_MAX_AGE // 60,
    }, status=400 if error else 200)
