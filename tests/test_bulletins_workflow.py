"""A union switches on approval per branch with a Wagtail workflow; the admin links to
the send view."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from portal.branches.actions import create_bulletin, publish_bulletin
from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.rules import can_send
from portal.messaging.sending import deliver
from portal.messaging.tests.scenario import build
from portal.union.models import Role
from tests.factories import make_bulletin
from tests.shared import module_world


def _build_s():
    return build("flow")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


def _switch_on_approval(s):
    """What a union admin does in Settings → Workflows: a workflow whose approvers are
    the union's staff, assigned to the branch page."""
    task = GroupApprovalTask.objects.create(name="Staff approval")
    task.groups.set([s.union.role_group(Role.STAFF)])
    workflow = Workflow.objects.create(name="Bulletin approval", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=s.branch)
    return workflow


def test_a_bulletin_under_a_branch_with_a_workflow_needs_approval_before_sending(s):
    workflow = _switch_on_approval(s)
    bulletin = create_bulletin(branch=s.branch, acting_user=s.chair.user, title="Vote",
                               body="<p>Vote</p>")
    assert not can_send(bulletin, s.chair.user)
    with pytest.raises(PermissionDenied):
        send_bulletin(bulletin=bulletin, audience=Audience(), acting_user=s.chair.user)
    with pytest.raises(ValidationError):
        publish_bulletin(bulletin=bulletin, acting_user=s.chair.user)
    # Published outside the workflow (e.g. by a script) is still not approved.
    bulletin.get_latest_revision().publish()
    bulletin.refresh_from_db()
    assert not can_send(bulletin, s.chair.user)

    state = workflow.start(bulletin, s.chair.user)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not can_send(bulletin, s.chair.user)
    state.current_task_state.approve(user=s.staff.user)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    bulletin.refresh_from_db()
    assert can_send(bulletin, s.chair.user)
    send = send_bulletin(bulletin=bulletin, audience=Audience(), acting_user=s.chair.user)
    assert deliver(send.pk)["sent"] == len(s.emailed)


def test_branches_without_a_workflow_send_directly(s):
    _switch_on_approval(s)
    bulletin = make_bulletin(s.other_branch)
    chair_b = s.other_chair
    assert can_send(bulletin, chair_b.user)


def test_the_admin_offers_send_on_bulletins_to_those_who_may_send(s):
    chair = Client(HTTP_HOST=s.union.site.hostname)
    chair.force_login(s.chair.user)
    edit = chair.get(f"/admin/pages/{s.bulletin.pk}/edit/")
    assert edit.status_code == 200
    assert f"/bulletins/{s.bulletin.pk}/send/".encode() in edit.content
    listing = chair.get(f"/admin/pages/{s.branch.pk}/")
    assert f"/bulletins/{s.bulletin.pk}/send/".encode() in listing.content
    board = Client(HTTP_HOST=s.union.site.hostname)
    board.force_login(s.board.user)
    response = board.get(f"/admin/pages/{s.bulletin.pk}/edit/")
    assert response.status_code == 200
    assert f"/bulletins/{s.bulletin.pk}/send/".encode() not in response.content
