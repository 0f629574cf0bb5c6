"""Strong sign-in: the redirect to the union's identity provider, the callback that
activates or signs in, the public keys, and sign-out that also ends the provider's
session. Every refusal is audited (reason code only) and shown as a translated page."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.backends import UnionAwareModelBackend
from portal.accounts.sessions import auth_of

from . import actions, keys, oidc
from .models import ACR_LEVELS, Method
from .policy import level_enough, method_allowed
from .selectors import provider_for, union_contact

log = logging.getLogger(__name__)
PENDING = "identity_pending"
MAX_AGE = 600  # seconds from the redirect to the callback
BACKEND = "portal.identity.backends.PolicyModelBackend"

_NOT_VERIFIED = _("The answer of the identification service could not be verified, so "
                  "you were not signed in. Please start again.")
REASONS = {
    "state": _("The sign-in could not be matched to this browser (it was started "
               "elsewhere, has expired or was altered). Please start again."),
    "nonce": _NOT_VERIFIED, "issuer": _NOT_VERIFIED, "audience": _NOT_VERIFIED,
    "signature": _NOT_VERIFIED, "unsigned": _NOT_VERIFIED, "unencrypted": _NOT_VERIFIED,
    "decrypt": _NOT_VERIFIED, "expired": _NOT_VERIFIED, "claims": _NOT_VERIFIED,
    "code": _("The identification service did not accept the sign-in (it was used "
              "already or has expired). Please start again."),
    "identity_claim": _("The identification service did not tell your personal identity "
                        "code, so your profile cannot be found."),
    "acr": _("Your identification was not at a level this union accepts."),
    "level": _("This union asks its elected officials and staff to identify at a higher "
               "level. Please identify again with a stronger method."),
    "method": _("Your account may not sign in with strong identification in this union."),
    "blocked": _("Your account cannot sign in. Please contact your union."),
    "provider": _("The identification was cancelled or did not succeed."),
    "unavailable": _("Strong identification is not available right now. Please try again "
                     "later."),
}


def _refused(request, union, reason: str, *, user=None, detail: str = ""):
    actions.record_refusal(union=union, reason=reason, user=user)
    log.info("strong sign-in refused: %s (%s)", reason, detail[:200])
    status = 503 if reason == "unavailable" else 403
    response = render(request, "identity/refused.html",
                      {"message": REASONS.get(reason, _NOT_VERIFIED), "reason": reason},
                      status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _callback_url(request) -> str:
    return request.build_absolute_uri(reverse("identity:callback"))


@require_GET
def start(request):
    """Permission: anyone on a union's site whose union has strong identification.
    Sends the browser to the provider with a signed request object. A link, not a form:
    the site's CSP `form-action 'self'` would stop a form's redirect to the provider."""
    union = getattr(request, "union", None)
    provider = provider_for(union)
    if provider is None:
        raise Http404
    try:
        url, pending = oidc.authorization_url(
            provider, redirect_uri=_callback_url(request), acr_values=provider.allowed_acr)
    except oidc.Refused as refusal:
        return _refused(request, union, refusal.reason, detail=refusal.detail)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = ""
    request.session[PENDING] = {**pending.as_dict(), "next": target}
    return HttpResponseRedirect(url)


@require_GET
def callback(request):
    """Permission: anyone coming back from the provider with the state this browser's
    session holds. Activates the pre-made profile on the first strong sign-in."""
    union = getattr(request, "union", None)
    if union is None:
        raise Http404
    saved = request.session.pop(PENDING, None)  # one use: a replayed callback finds none
    provider = provider_for(union)
    try:
        if provider is None:
            raise oidc.Refused("unavailable", "no provider")
        if not saved or not constant_time_compare(request.GET.get("state", ""),
                                                  saved.get("state", "")):
            raise oidc.Refused("state")
        if time.time() - saved["started"] > MAX_AGE:
            raise oidc.Refused("state", "too old")
        if request.GET.get("error"):
            raise oidc.Refused("provider", request.GET["error"][:100])
        pending = oidc.Pending(**{k: saved[k] for k in
                                  ("state", "nonce", "verifier", "redirect_uri", "started")})
        token = oidc.exchange_code(provider, code=request.GET.get("code", ""), pending=pending)
        claims = oidc.id_token_claims(provider, id_token=token["id_token"], pending=pending,
                                      allowed_acr=provider.allowed_acr)
        identity_code = claims.pop(provider.identity_claim, "")
        if not identity_code or not isinstance(identity_code, str):
            raise oidc.Refused("identity_claim")
        person = actions.profile_for(union=union, identity_code=identity_code)
        del identity_code
    except oidc.Refused as refusal:
        return _refused(request, union, refusal.reason, detail=refusal.detail)
    if person is None:
        actions.record_refusal(union=union, reason="unknown")
        response = render(request, "identity/unknown.html",
                          {"contact": union_contact(union)}, status=403)
        response["Cache-Control"] = "private, no-store"
        return response
    level = ACR_LEVELS[claims["acr"]]
    try:
        with transaction.atomic():  # a refusal below undoes the activation
            user, activated = actions.sign_in_identity(
                union=union, person=person, given_name=claims.get(provider.given_name_claim, ""),
                family_name=claims.get(provider.family_name_claim, ""))
            if not UnionAwareModelBackend().user_can_authenticate(user):
                raise oidc.Refused("blocked")
            if not method_allowed(user, union, Method.OIDC):
                raise oidc.Refused("method")
            if not level_enough(user, union, level):
                raise oidc.Refused("level")
    except oidc.Refused as refusal:
        return _refused(request, union, refusal.reason, user=person.user)
    request.auth_method, request.auth_level = Method.OIDC, level
    login(request, user, backend=BACKEND)
    if activated:
        messages.success(request, _("Welcome! Your profile is now activated."))
    return HttpResponseRedirect(saved.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))


@require_GET
def jwks(request):
    """Permission: anyone. The union's public signing and encryption keys."""
    union = getattr(request, "union", None)
    if union is None:
        raise Http404
    provider = provider_for(union)
    response = JsonResponse(keys.public_jwks(provider))
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_POST
def sign_out(request):
    """Permission: anyone (POST). Ends the session; after a strong sign-in it also ends
    the provider's session when the provider offers RP-initiated logout."""
    method, _level = auth_of(request)
    provider = provider_for(getattr(request, "union", None))
    logout(request)
    home = request.build_absolute_uri("/")
    if method == Method.OIDC and provider is not None:
        url = oidc.end_session_url(provider, post_logout_redirect_uri=home)
        if url:
            # A page that goes on by itself, not a redirect: the site's CSP
            # `form-action 'self'` stops a form's redirect to another origin.
            response = render(request, "identity/signed_out.html", {"end_session_url": url})
            response["Cache-Control"] = "private, no-store"
            return response
    return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
