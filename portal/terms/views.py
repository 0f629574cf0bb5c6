"""The terms pages of a union's site: the current terms (anyone) and the acceptance
page the gate sends signed-in users to (middleware.py)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from . import actions
from .selectors import accepted_current, current_version, remember_acceptance


def _local_next(request) -> str:
    """`next` when it is a path on this site (never another host, scheme or `//`)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (target.startswith("/") and not target.startswith(("//", "/\\"))
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target
    return "/"


def _text(request, version) -> tuple[str, str]:
    return version.body_in(get_language() or "fi", request.union.default_language)


def current_terms(request):
    """Permission: anyone on the union's site (the terms are public)."""
    version = current_version(getattr(request, "union", None))
    if version is None:
        raise Http404
    language, body = _text(request, version)
    return render(request, "terms/current.html",
                  {"version": version, "body": body, "body_language": language})


@require_http_methods(["GET", "POST"])
def accept(request):
    """Permission: a signed-in account of this union. Shows the current terms with
    "I accept" and sign-out; accepting records it (audited) and goes on to `next`."""
    union = getattr(request, "union", None)
    version = current_version(union)
    user = request.user
    if version is None or not user.is_authenticated or user.union_id != union.pk:
        return redirect("terms:current") if version is not None else redirect(_local_next(request))
    next_url = _local_next(request)
    if request.method == "POST":
        # A version published while the page was open is shown, not accepted unseen.
        if request.POST.get("version") == str(version.pk):
            acceptance = actions.accept(version=version, acting_user=user)
            remember_acceptance(request.session, user=user, acceptance=acceptance)
            return redirect(next_url)
    elif accepted_current(request, version):
        return redirect(next_url)
    language, body = _text(request, version)
    response = render(request, "terms/accept.html", {
        "version": version, "body": body, "body_language": language, "next": next_url,
        # Only the terms: no entries of the chrome that would lead back here anyway.
        "bar_items": [], "top_items": [], "side_items": [], "has_member_card": False})
    response["Cache-Control"] = "private, no-store"
    return response
