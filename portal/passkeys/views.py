"""Passkey pages and the JSON endpoints of passkeys.js.

The endpoints take and give JSON; a refusal answers {"error": <translated text>} with
status 400 (403 for a sign-in), and is audited. Options endpoints put a fresh
challenge in the session (ceremonies.py); the answer endpoints take it out."""

from __future__ import annotations

import json
import logging
import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts.backends import UnionAwareModelBackend
from portal.identity.models import Method
from portal.identity.policy import method_allowed
from portal.stepup.actions import METHOD_KEY, SESSION_KEY
from portal.stepup.decorators import safe_next

from . import actions, ceremonies
from .models import Passkey
from .selectors import passkeys_of, registration_refusal

log = logging.getLogger(__name__)
BACKEND = "portal.identity.backends.PolicyModelBackend"
PASSKEY = "passkey"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _json(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _error(message: str, status: int = 400) -> JsonResponse:
    return _private(JsonResponse({"error": str(message)}, status=status))


def _options(payload: str) -> JsonResponse:
    return _private(JsonResponse({"options": json.loads(payload)}))


@login_required
@require_http_methods(["GET"])
def passkey_list(request):
    """Permission: any signed-in account, its own passkeys on this union's host only.
    Adding is offered to accounts that identified strongly (selectors)."""
    refusal = registration_refusal(request)
    keys = list(passkeys_of(request)) if request.union is not None else []
    return _private(render(request, "passkeys/list.html", {
        "passkeys": keys, "refusal": refusal,
        "host": ceremonies.rp_id(request) or request.get_host()}))


@login_required
@require_http_methods(["GET", "POST"])
def passkey_remove(request, pk: int):
    """Permission: the owner of the passkey, on its union's host. GET asks to confirm,
    POST removes."""
    if request.union is None:
        raise Http404
    passkey = get_object_or_404(passkeys_of(request), pk=pk)
    if request.method == "POST":
        actions.remove_passkey(passkey=passkey, acting_user=request.user)
        messages.success(request, _("The passkey “%(name)s” was removed.") % {"name": passkey.name})
        return redirect("passkeys:list")
    return _private(render(request, "passkeys/remove.html", {"passkey": passkey}))


@login_required
@require_POST
def register_options(request):
    """Permission: a signed-in account that identified strongly (selectors)."""
    refusal = registration_refusal(request)
    if refusal:
        return _error(refusal, 403)
    handle = actions.user_handle_for(user=request.user, union=request.union)
    existing = [bytes(c) for c in passkeys_of(request).values_list("credential_id", flat=True)]
    return _options(ceremonies.registration_options(
        request, user=request.user, union=request.union, user_handle=handle,
        existing=existing))


@login_required
@require_POST
def register_verify(request):
    """Permission: as register_options; the answer must carry this session's challenge."""
    refusal = registration_refusal(request)
    if refusal:
        return _error(refusal, 403)
    body = _json(request)
    name = " ".join(str(body.get("name", "")).split())[:60] or _("Passkey")
    credential = body.get("credential")
    try:
        if not isinstance(credential, dict):
            raise ceremonies.Refused("malformed")
        verified, user_handle = ceremonies.verify_registration(request, credential)
    except ceremonies.Refused as refused:
        request.session.pop(ceremonies.CHALLENGE_KEY, None)
        actions.record_refusal(union=request.union, reason=refused.reason, user=request.user)
        return _error(_("The passkey could not be added. Please try again."))
    if Passkey.objects.filter(credential_id=verified.credential_id).exists():
        return _error(_("This passkey has already been added."))
    transports = credential.get("response", {}).get("transports") or []
    actions.add_passkey(
        union=request.union, rp_id=ceremonies.rp_id(request), name=name, verified=verified,
        user_handle=user_handle,
        transports=transports if isinstance(transports, list) else [],
        acting_user=request.user)
    messages.success(request, _("The passkey “%(name)s” was added.") % {"name": name})
    return _private(JsonResponse({"redirect": reverse("passkeys:list")}))


def _passkey_of(request, credential: dict, *, purpose: str):
    """The answer's parsed credential and this union's stored passkey for it."""
    parsed = ceremonies.parse_assertion(credential)
    passkey = (Passkey.objects.for_union(request.union)
               .filter(credential_id=parsed.raw_id, rp_id=ceremonies.rp_id(request) or "")
               .select_related("user", "union").first())
    if passkey is None:
        raise ceremonies.Refused("unknown")
    return parsed, passkey


@require_POST
def signin_options(request):
    """Permission: anyone on a union's site (the passkey itself names the account)."""
    if request.union is None or ceremonies.rp_id(request) is None:
        raise Http404
    return _options(ceremonies.authentication_options(request, purpose="signin"))


@require_POST
def signin_verify(request):
    """Permission: anyone holding a passkey of an account of this union, made on this
    host, whose role may sign in strongly here (identity's sign-in methods). Signs in
    with auth_method "passkey"."""
    union = request.union
    if union is None or ceremonies.rp_id(request) is None:
        raise Http404
    body = _json(request)
    user = None
    try:
        parsed, passkey = _passkey_of(request, body.get("credential") or {}, purpose="signin")
        user = passkey.user
        if not parsed.response.user_handle or bytes(parsed.response.user_handle) != bytes(
                passkey.user_handle):
            raise ceremonies.Refused("user_handle")
        sign_count = ceremonies.verify_assertion(request, purpose="signin", credential=parsed,
                                                 passkey=passkey)
        if (user.union_id != union.pk
                or not UnionAwareModelBackend().user_can_authenticate(user)):
            raise ceremonies.Refused("blocked")
        if not method_allowed(user, union, Method.OIDC):
            raise ceremonies.Refused("method")
        if not actions.record_use(passkey=passkey, sign_count=sign_count, purpose="signin"):
            raise ceremonies.Refused("clone")
    except ceremonies.Refused as refused:
        request.session.pop(ceremonies.CHALLENGE_KEY, None)  # single use, right or wrong
        actions.record_refusal(union=union, reason=refused.reason, user=user)
        log.info("passkey sign-in refused: %s (%s)", refused.reason, refused.__cause__)
        return _error(_SIGNIN_REFUSALS.get(refused.reason, _SIGNIN_REFUSALS["signature"]), 403)
    request.auth_method = PASSKEY
    login(request, user, backend=BACKEND)
    return _private(JsonResponse({"redirect": safe_next(request, body.get("next")) or "/"}))


@login_required
@require_POST
def stepup_options(request):
    """Permission: a signed-in account of this union, with its own passkeys."""
    if request.union is None or ceremonies.rp_id(request) is None:
        raise Http404
    allowed = [bytes(c) for c in passkeys_of(request).values_list("credential_id", flat=True)]
    if not allowed:
        return _error(_("You have no passkey on this site yet. You can add one under "
                        "Passkeys in your user menu."))
    return _options(ceremonies.authentication_options(request, purpose="stepup",
                                                      allowed=allowed))


@login_required
@require_POST
def stepup_verify(request):
    """Permission: the signed-in account, answering with one of its own passkeys. Marks
    the second step fresh (stepup's session keys), like an SMS code."""
    if request.union is None or ceremonies.rp_id(request) is None:
        raise Http404
    body = _json(request)
    try:
        parsed, passkey = _passkey_of(request, body.get("credential") or {}, purpose="stepup")
        if passkey.user_id != request.user.pk:
            raise ceremonies.Refused("other_user")
        sign_count = ceremonies.verify_assertion(request, purpose="stepup", credential=parsed,
                                                 passkey=passkey)
        if not actions.record_use(passkey=passkey, sign_count=sign_count, purpose="stepup"):
            raise ceremonies.Refused("clone")
    except ceremonies.Refused as refused:
        request.session.pop(ceremonies.CHALLENGE_KEY, None)  # single use, right or wrong
        actions.record_refusal(union=request.union, reason=refused.reason, user=request.user)
        return _error(_SIGNIN_REFUSALS.get(refused.reason, _SIGNIN_REFUSALS["signature"]))
    request.session[SESSION_KEY] = int(time.time())
    request.session[METHOD_KEY] = PASSKEY
    messages.success(request, _("Confirmed. You can go on."))
    return _private(JsonResponse({"redirect": safe_next(request, body.get("next")) or "/"}))


_SIGNIN_REFUSALS = {  # lazy: translated when shown, in the request's language
    "unknown": gettext_lazy("This passkey is not known on this union's site. Sign in "
                            "another way, then add a passkey under Passkeys."),
    "clone": gettext_lazy("This passkey was refused because it may have been copied. Sign "
                          "in another way, remove the passkey and contact the union office."),
    "challenge": gettext_lazy("The request was already used or did not start on this page. "
                              "Please try again."),
    "expired": gettext_lazy("The request expired. Please try again."),
    "blocked": gettext_lazy("Your account cannot sign in. Please contact your union."),
    "method": gettext_lazy("Your account may not sign in with a passkey in this union."),
    "signature": gettext_lazy("The passkey could not be verified. Please try again."),
}
