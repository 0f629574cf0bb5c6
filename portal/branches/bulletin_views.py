"""Front-end views for branch officials: write, preview, send and follow bulletins.

Rights come from Wagtail's page policy (positions of trust included): the add right on
the branch to write, the change right on the bulletin to edit and preview, and the
publish right (plus approval, where the branch has a workflow) to send; the publish
right alone to cancel a sending (`messaging.rules.cancel_refusal`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from portal.messaging.actions import cancel_send, send_bulletin
from portal.messaging.audience import Audience, audience_choices, count_audience
from portal.messaging.email import render_bulletin, versions_of
from portal.messaging.models import BulletinSend
from portal.messaging.rules import can_cancel, cancel_refusal, send_refusal, workflow_of
from portal.messaging.selectors import audience_sample, report_for
from portal.stepup.decorators import step_is_fresh, stepup_redirect
from portal.union.features import require_feature
from portal.union.models import UnionFeature

from . import actions
from .forms import AudienceForm, BulletinForm
from .models import BranchPage, BulletinPage


def _branch(request, branch_id: int) -> BranchPage:
    branch = BranchPage.objects.for_union(request.union).filter(pk=branch_id).first()
    if branch is None:
        raise Http404
    return branch


def _bulletin(request, pk: int) -> BulletinPage:
    """A bulletin of this union's tree (any other union's is a 404, not a 403)."""
    bulletin = BulletinPage.objects.for_union(request.union).filter(pk=pk).first()
    if bulletin is None:
        raise Http404
    return bulletin


def _require_edit(request, bulletin) -> None:
    if not bulletin.permissions_for_user(request.user).can_edit():
        raise PermissionDenied


@login_required
def branch_bulletins(request, branch_id: int):
    """Permission: the add right on the branch page (chair, secretary, board, staff)."""
    branch = _branch(request, branch_id)
    if not branch.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    bulletins = list(BulletinPage.objects.child_of(branch).order_by("-date", "-pk")
                     .only("id", "title", "date", "live", "has_unpublished_changes")[:100])
    sends = {s.bulletin_id: s for s in BulletinSend.objects.for_union(request.union)
             .filter(bulletin__in=bulletins)}
    rows = [{"bulletin": b, "send": sends.get(b.pk)} for b in bulletins]
    return render(request, "branches/bulletin_list.html", {"branch": branch, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_new(request, branch_id: int):
    """Permission: the add right on the branch page."""
    branch = _branch(request, branch_id)
    if not branch.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = actions.create_bulletin(branch=branch, acting_user=request.user,
                                               **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("bulletins:preview", pk=bulletin.pk)
    return render(request, "branches/bulletin_form.html", {"branch": branch, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_edit(request, pk: int):
    """Permission: the change right on the bulletin."""
    bulletin = _bulletin(request, pk)
    _require_edit(request, bulletin)
    draft = actions.latest_draft(bulletin)
    initial = {name: getattr(draft, name) for name in actions.EDITABLE_FIELDS}
    form = BulletinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_bulletin(bulletin=bulletin, acting_user=request.user,
                                    values=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("bulletins:preview", pk=bulletin.pk)
    return render(request, "branches/bulletin_form.html",
                  {"branch": bulletin.get_parent(), "form": form, "bulletin": bulletin})


@login_required
def bulletin_preview(request, pk: int):
    """Permission: the change right on the bulletin. `?as=email` shows the email itself."""
    bulletin = _bulletin(request, pk)
    _require_edit(request, bulletin)
    draft = actions.latest_draft(bulletin)
    language = draft.locale.language_code
    rendered = render_bulletin(draft, root_url=request.union.site.root_url, language=language)
    if request.GET.get("as") == "email":
        return HttpResponse(rendered.html)
    context = {
        "bulletin": bulletin, "draft": draft, "rendered": rendered,
        "branch": bulletin.get_parent(),
        "send": BulletinSend.objects.for_union(request.union).filter(bulletin=bulletin).first(),
        "send_refusal": send_refusal(bulletin, request.user),
        "may_cancel": can_cancel(bulletin, request.user),
        "has_workflow": workflow_of(bulletin) is not None,
        "translations": sorted(versions_of(bulletin)) if bulletin.live else [],
    }
    return render(request, "branches/bulletin_preview.html", context)


def _audience_from(form) -> Audience:
    data = form.cleaned_data
    return Audience(statuses=tuple(data["statuses"]), workplaces=tuple(data["workplaces"]),
                    employers=tuple(data["employers"]), languages=tuple(data["languages"]))


def _audience_query(form) -> str:
    """The audience filters as a query string: the confirmation's way back to them."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name in ("statuses", "workplaces", "employers", "languages"):
        query.setlist(name, [str(value) for value in form.cleaned_data[name]])
    return query.urlencode()


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_send(request, pk: int):
    """Permission: may send (publish right on the bulletin; approval where required).

    GET with the audience filters, or POST with `action=count`, shows the recipient
    count and a sample (logged); POST asks "send to N people?" (the count computed here,
    on the server), and the confirmed POST (`confirm=1`) sends now or schedules."""
    require_feature(request, UnionFeature.MESSAGING)
    bulletin = _bulletin(request, pk)
    refusal = send_refusal(bulletin, request.user)
    if refusal:
        raise PermissionDenied(refusal)
    existing = BulletinSend.objects.for_union(request.union).filter(bulletin=bulletin).first()
    if existing is not None and not existing.may_send_again:
        return redirect("bulletins:report", pk=bulletin.pk)
    branch = bulletin.get_parent().specific
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = AudienceForm(data, choices=audience_choices(branch))
    audience = _audience_from(form) if form.is_valid() else Audience()
    counts = count_audience(branch, audience)
    counting = request.POST.get("action") == "count"
    if (request.method == "POST" and form.is_valid() and not counting
            and audience.whole_branch and not step_is_fresh(request)):
        # The whole branch needs a fresh second step (portal/stepup); back to this
        # form with the audience ticked, not to a replayed POST.
        return stepup_redirect(request, reverse("bulletins:send", args=[bulletin.pk])
                               + "?" + _audience_query(form))
    if (request.method == "POST" and form.is_valid() and not counting
            and request.POST.get("confirm") != "1"):
        return render(request, "branches/bulletin_send_confirm.html", {
            "bulletin": bulletin, "branch": branch, "form": form, "counts": counts,
            "send_at": form.cleaned_data["send_at"],
            "back_query": _audience_query(form),
        })
    if request.method == "POST" and form.is_valid() and not counting:
        try:
            send_bulletin(bulletin=bulletin, audience=audience, acting_user=request.user,
                          send_at=form.cleaned_data["send_at"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The bulletin is on its way."))
            return redirect("bulletins:report", pk=bulletin.pk)
    context = {
        "bulletin": bulletin, "branch": branch, "form": form,
        "counts": counts,
        "sample": audience_sample(request=request, branch=branch, audience=audience),
    }
    return render(request, "branches/bulletin_send.html", context)


@login_required
def bulletin_report(request, pk: int):
    """Permission: the change right on the bulletin. Shows counts only; the cancel
    button only to those who may cancel (the publish right)."""
    bulletin = _bulletin(request, pk)
    _require_edit(request, bulletin)
    send = BulletinSend.objects.for_union(request.union).filter(bulletin=bulletin).first()
    return render(request, "branches/bulletin_report.html", {
        "bulletin": bulletin, "branch": bulletin.get_parent(), "send": send,
        "report": report_for(send) if send else None,
        "may_cancel": send is not None and send.cancellable and can_cancel(bulletin,
                                                                           request.user),
        "may_send": send is not None and send.may_send_again and send_refusal(
            bulletin, request.user) is None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_cancel(request, pk: int):
    """Permission: the right that allows sending, the publish right on the bulletin
    (`messaging.rules.cancel_refusal`; the admin's "Cancel sending" button asks the
    same and leads here). Another union's bulletin is a 404. Open even when the union
    has switched bulletins off, so that a pending sending can always be stopped.

    GET asks for confirmation; POST (CSRF-protected) cancels a scheduled sending, or
    stops one under way: what was sent stays sent, the rest is not sent."""
    bulletin = _bulletin(request, pk)
    refusal = cancel_refusal(bulletin, request.user)
    if refusal:
        raise PermissionDenied(refusal)
    send = BulletinSend.objects.for_union(request.union).filter(bulletin=bulletin).first()
    if send is None:
        raise Http404
    if not send.cancellable:
        messages.info(request, _("This sending has finished or was cancelled already."))
        return redirect("bulletins:report", pk=bulletin.pk)
    if request.method == "POST":
        started = send.queued_at is not None
        try:
            not_sent = cancel_send(send=send, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if started:
                messages.success(request, ngettext(
                    "Sending stopped: %(count)d recipient will not get the bulletin.",
                    "Sending stopped: %(count)d recipients will not get the bulletin.",
                    not_sent) % {"count": not_sent})
            else:
                messages.success(request, _("The sending was cancelled. Nobody was emailed."))
        return redirect("bulletins:report", pk=bulletin.pk)
    return render(request, "branches/bulletin_cancel.html", {
        "bulletin": bulletin, "branch": bulletin.get_parent(), "send": send,
        "report": report_for(send),
    })
