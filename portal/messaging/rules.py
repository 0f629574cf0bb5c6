"""Who may send a bulletin, and whether its branch requires approval first."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import WorkflowPage, WorkflowState


def workflow_of(bulletin):
    """The approval workflow switched on for the bulletin's branch (or the bulletin
    itself), or None. Only a workflow assigned at branch level counts: Wagtail's
    default site-wide workflow on the root page is not a union's switch."""
    branch_id = bulletin.get_parent().pk if bulletin.pk else None
    row = (
        WorkflowPage.objects.filter(page_id__in=[p for p in (bulletin.pk, branch_id) if p],
                                    workflow__active=True)
        .select_related("workflow")
        .order_by("-page__depth")
        .first()
    )
    return row.workflow if row is not None else None


def approved_for_sending(bulletin) -> bool:
    """The live revision is the one a completed workflow approved."""
    if not bulletin.live or bulletin.live_revision_id is None:
        return False
    states = WorkflowState.objects.for_instance(bulletin).filter(
        status=WorkflowState.STATUS_APPROVED
    ).select_related("current_task_state")
    return any(
        s.current_task_state is not None
        and s.current_task_state.revision_id == bulletin.live_revision_id
        for s in states
    )


def send_refusal(bulletin, user) -> str | None:
    """Why `user` may not send `bulletin` now, or None if they may.

    Sending puts the bulletin in every member's inbox, so it needs the publish right on
    the bulletin (branch chair and secretary, staff); a board member may draft only.
    """
    perms = bulletin.permissions_for_user(user)
    if not perms.can_publish():
        return _("You may not send this bulletin.")
    if workflow_of(bulletin) is not None and not approved_for_sending(bulletin):
        return _("This branch's bulletins need approval before sending. "
                 "Submit the bulletin for approval first.")
    return None


def can_send(bulletin, user) -> bool:
    return send_refusal(bulletin, user) is None


def cancel_refusal(bulletin, user) -> str | None:
    """Why `user` may not cancel (or stop) the sending of `bulletin`, or None.

    The right that allows sending allows cancelling: the publish right on the bulletin.
    Approval is not asked again: stopping mail never needs an approver. The front-end
    view and the admin's button both ask this."""
    if not bulletin.permissions_for_user(user).can_publish():
        return _("You may not cancel the sending of this bulletin.")
    return None


def can_cancel(bulletin, user) -> bool:
    return cancel_refusal(bulletin, user) is None
