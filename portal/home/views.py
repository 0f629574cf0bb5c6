"""The personal home (`/home/`): where a signed-in user lands (LOGIN_REDIRECT_URL, the
union's name in the top bar, "My home" in the menu)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from portal.access.roles import roles_for
from portal.audit.log import AuditAction, record
from portal.people.selectors import own_person

from .selectors import home_for

# What the home shows of the viewer themself (the audit entry's fields).
OWN_FIELDS = ("name", "branch", "employments", "positions", "activity")


@login_required
@require_GET
def home(request):
    """Permission: signed in on their own union's site, any role. Shows the viewer's own
    branch, employments, positions and unread activity, the contact cards of the
    officials of their branch, workplaces and employers (which every member of the union
    may see; audited), and only bulletins they may see (`branches.visibility`). Without
    a role here the site's front page instead; on the platform's host (an operator) the
    admin."""
    union = getattr(request, "union", None)
    if union is None:
        # The platform's host has no front page: its signed-in users are operators.
        return redirect("wagtailadmin_home")
    if not roles_for(request.user, union):
        return redirect("/")
    person = own_person(request)
    context = {"home": home_for(request, person)}
    if person is not None:
        record(actor=request.user, union=union, action=AuditAction.VIEW, person=person,
               fields=OWN_FIELDS, target=request.path)
    # Private, no-store: PrivateResponseMiddleware, as every signed-in response.
    return render(request, "home/home.html", context)
