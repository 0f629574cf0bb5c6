"""Writes on user accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.access.roles import forget_roles
from portal.audit.log import AuditAction, record
from portal.union.models import Role, Union

from . import rights
from .emails import INVITATION, PASSWORD_RESET
from .models import Block, User
from .selectors import accounts_that_may_set_a_password


@transaction.atomic
def create_user(
    *,
    email: str,
    union: Union | None,
    roles: tuple[str, ...] = (),
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    acting_user=None,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, union=union, first_name=first_name, last_name=last_name
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if roles:
        set_roles(user=user, roles=roles, acting_user=acting_user)
    record(actor=acting_user, union=union, action=AuditAction.CREATE, target=f"user:{user.pk}")
    return user


@transaction.atomic
def set_roles(*, user: User, roles: tuple[str, ...] | set[str], acting_user=None) -> None:
    """Put the user in exactly these role groups of their union (others are left as they are)."""
    union = user.union
    if union is None:
        raise ValueError("A user without a union holds no union roles.")
    role_groups = {rg.role: rg.group for rg in union.role_groups.select_related("group")}
    unknown = set(roles) - set(role_groups)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    current = set(user.groups.filter(union_role__union=union))
    wanted = {role_groups[r] for r in roles}
    if wanted - current:
        user.groups.add(*(wanted - current))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    forget_roles(user)
    if wanted != current:
        record(
            actor=acting_user,
            union=union,
            action=AuditAction.GRANT,
            target=f"user:{user.pk}",
            fields=sorted(roles),
        )


def add_role(*, user: User, role: str, acting_user=None) -> None:
    current = set(user.groups.filter(union_role__union=user.union).values_list(
        "union_role__role", flat=True))
    if role not in current:
        set_roles(user=user, roles=(*current, role), acting_user=acting_user)


def remove_role(*, user: User, role: str, acting_user=None) -> None:
    current = set(user.groups.filter(union_role__union=user.union).values_list(
        "union_role__role", flat=True))
    if role in current:
        set_roles(user=user, roles=tuple(current - {role}), acting_user=acting_user)


def _require_manage(acting_user, user: User) -> None:
    if not rights.may_manage_user(acting_user, user):
        raise PermissionDenied(_("You may not manage this account."))


@transaction.atomic
def change_roles(*, user: User, roles: tuple[str, ...] | set[str], acting_user: User) -> None:
    """Set the user's manually granted roles on behalf of an admin (U-3.16.2).

    Refuses an account of another union and any role (granted or taken away) ranked
    above the acting user's own highest role. The official role follows positions of
    trust and is kept as it is.
    """
    _require_manage(acting_user, user)
    if user.union is None:  # a platform operator's account: no union, no union roles
        if roles:
            raise ValidationError(_("An account without a union holds no union roles."))
        return
    current = set(
        user.groups.filter(union_role__union=user.union).values_list("union_role__role", flat=True)
    )
    wanted = {r for r in roles if r != Role.OFFICIAL} | (current & {Role.OFFICIAL})
    if user.pk == acting_user.pk and Role.ADMIN in current - wanted:
        raise ValidationError(_("You cannot remove your own admin role."))
    allowed = set(rights.grantable_roles(acting_user))
    if (wanted ^ current) - allowed:
        raise PermissionDenied(_("Nobody can grant or take away a role above their own."))
    set_roles(user=user, roles=tuple(sorted(wanted)), acting_user=acting_user)


@transaction.atomic
def create_account(
    *,
    union: Union,
    email: str,
    first_name: str = "",
    last_name: str = "",
    roles: tuple[str, ...] = (),
    acting_user: User,
) -> User:
    """An admin adds an account to their own union. It has no password: once the
    transaction commits, the person gets an invitation to set one (`_invite`)."""
    if not rights.may_manage_accounts(acting_user) or not (
        acting_user.is_superuser or acting_user.union_id == union.pk
    ):
        raise PermissionDenied(_("You may not add accounts to this union."))
    if set(roles) - set(rights.grantable_roles(acting_user)):
        raise PermissionDenied(_("Nobody can grant a role above their own."))
    user = create_user(email=email, union=union, first_name=first_name, last_name=last_name,
                       acting_user=acting_user)
    if roles:
        set_roles(user=user, roles=tuple(roles), acting_user=acting_user)
    _invite(user=user, acting_user=acting_user)
    return user


@transaction.atomic
def create_union_admin(*, union: Union, email: str, acting_user) -> User:
    """The first admin of a new union, added by the platform operator who created the
    union (or by `manage.py create_union`, `acting_user=None`). Invited like any account
    an admin creates."""
    if acting_user is not None and not (
        acting_user.is_active and (acting_user.is_platform_operator or acting_user.is_superuser)
    ):
        raise PermissionDenied(_("You may not add accounts to this union."))
    user = create_user(email=email, union=union, roles=(Role.ADMIN,), acting_user=acting_user)
    _invite(user=user, acting_user=acting_user)
    return user


def _recently(moment: dt.datetime | None, seconds: int) -> bool:
    return moment is not None and timezone.now() - moment < dt.timedelta(seconds=seconds)


def _send_after_commit(user: User, kind: str) -> None:
    from .tasks import send_account_email_task

    user_id = user.pk
    transaction.on_commit(lambda: send_account_email_task.enqueue(user_id, kind))


def _invite(*, user: User, acting_user) -> None:
    """Stamp and send an invitation. The stamp is part of the invitation's token
    (tokens.InvitationTokenGenerator), so this also voids any earlier invitation link."""
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    record(actor=acting_user, union=user.union, action=AuditAction.EDIT,
           target=f"user:{user.pk}", fields=["invitation"])
    _send_after_commit(user, INVITATION)


@transaction.atomic
def resend_invitation(*, user: User, acting_user: User) -> None:
    """An admin sends the invitation again (its link expired or the email went astray).
    The earlier link stops working. Refused for an account that already has a password
    (its owner uses "Forgot your password?"), that cannot sign in, or that was invited
    less than ACCOUNT_INVITATION_RESEND_INTERVAL ago."""
    _require_manage(acting_user, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise ValidationError(_("This account already has a password. Its owner can ask "
                                "for a new one with “Forgot your password?” on the sign-in "
                                "page."))
    if not user.is_active or Block.objects.in_force().filter(user=user).exists():
        raise ValidationError(_("This account is inactive or blocked: it gets no "
                                "invitation."))
    interval = settings.ACCOUNT_INVITATION_RESEND_INTERVAL
    if _recently(user.invited_at, interval):
        minutes = max(1, interval // 60)
        raise ValidationError(ngettext(
            "An invitation was sent less than %(minutes)d minute ago. Try again later.",
            "An invitation was sent less than %(minutes)d minutes ago. Try again later.",
            minutes,
        ) % {"minutes": minutes})
    _invite(user=user, acting_user=acting_user)


@transaction.atomic
def request_password_reset(*, email: str, union: Union | None, acting_user=None) -> None:
    """Someone asked for a password reset link on the site of `union` (None: a hostname
    that is no union's). Each account with this address that may set a password there
    (`selectors.accounts_that_may_set_a_password`) gets a link, at most one per
    PASSWORD_RESET_EMAIL_INTERVAL; nobody else gets anything. Returns nothing: the
    caller answers the same whether or not an account matched."""
    now = timezone.now()
    users = accounts_that_may_set_a_password(union).filter(email__iexact=email.strip())
    for user in users.select_for_update():
        if _recently(user.password_reset_sent_at, settings.PASSWORD_RESET_EMAIL_INTERVAL):
            continue
        user.password_reset_sent_at = now
        user.save(update_fields=["password_reset_sent_at"])
        record(actor=acting_user, union=user.union, action=AuditAction.EDIT,
               target=f"user:{user.pk}", fields=["password_reset_sent"])
        _send_after_commit(user, PASSWORD_RESET)


@transaction.atomic
def set_password(*, user: User, password: str, acting_user: User) -> None:
    """The account's owner sets their password, through a reset or invitation link
    whose token the view has checked (so `acting_user` is the account itself). The
    password must pass AUTH_PASSWORD_VALIDATORS. Any earlier link stops working, and
    other sessions of the account end (their session hash no longer matches)."""
    if acting_user is None or acting_user.pk != user.pk:
        raise PermissionDenied(_("Only the account's owner sets its password."))
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=acting_user, union=user.union, action=AuditAction.EDIT,
           target=f"user:{user.pk}", fields=["password"])


ACCOUNT_FIELDS = ("email", "first_name", "last_name", "is_active")


@transaction.atomic
def update_account(*, user: User, values: dict[str, Any], acting_user: User) -> list[str]:
    """An admin edits the basic fields of an account of their union."""
    _require_manage(acting_user, user)
    if user.pk == acting_user.pk and values.get("is_active") is False:
        raise ValidationError(_("You cannot deactivate your own account."))
    changed = [f for f in ACCOUNT_FIELDS if f in values and getattr(user, f) != values[f]]
    for field in changed:
        setattr(user, field, values[field])
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=changed)
        record(actor=acting_user, union=user.union, action=AuditAction.EDIT,
               target=f"user:{user.pk}", fields=changed)
    return changed


@transaction.atomic
def block_user(
    *, user: User, reason: str, ends_at: dt.datetime | None = None, acting_user: User
) -> Block:
    """Blacklist an account (U-3.16.11): it cannot sign in, and its open sessions end on
    their next request (see backends.UnionAwareModelBackend and BlockedUserMiddleware)."""
    _require_manage(acting_user, user)
    if user.pk == acting_user.pk:
        raise ValidationError(_("You cannot block your own account."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for the block."))
    now = timezone.now()
    if ends_at is not None and ends_at <= now:
        raise ValidationError(_("A block must end in the future."))
    block = Block.objects.create(union=user.union, user=user, reason=reason.strip(),
                                 starts_at=now, ends_at=ends_at, blocked_by=acting_user)
    _end_sessions_of(user)
    record(actor=acting_user, union=user.union, action=AuditAction.REVOKE,
           target=f"block:user:{user.pk}", fields=["blocked"])
    return block


@transaction.atomic
def unblock_user(*, block: Block, acting_user: User) -> Block:
    """Lift a block; the account may sign in again."""
    _require_manage(acting_user, block.user)
    if block.lifted_at is None:
        block.lifted_at, block.lifted_by = timezone.now(), acting_user
        block.save(update_fields=["lifted_at", "lifted_by"])
        record(actor=acting_user, union=block.union, action=AuditAction.GRANT,
               target=f"block:user:{block.user_id}", fields=["unblocked"])
    return block


def _end_sessions_of(user: User) -> None:
    """Delete the user's stored sessions now. The session backend stores the user id
    only inside the encoded data, so this decodes the unexpired sessions; the backend's
    refusal of blocked users (checked on every request) is what guarantees the effect,
    this just frees the rows at once."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    doomed = [
        s.pk for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]
    if doomed:
        Session.objects.filter(pk__in=doomed).delete()


@transaction.atomic
def create_platform_operator(*, email: str, password: str | None = None,
                             acting_user=None) -> User:
    """An account of the service operator (SPEC §2): no union, so no union role and no
    personal data; it may enter the Wagtail admin to create and configure unions."""
    from django.contrib.auth.models import Permission

    user = create_user(email=email, union=None, password=password, acting_user=acting_user)
    user.is_platform_operator = True
    user.save(update_fields=["is_platform_operator"])
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    record(actor=acting_user, union=None, action=AuditAction.GRANT,
           target=f"user:{user.pk}", fields=["platform_operator"])
    return user


@transaction.atomic
def record_lockout(*, union: Union | None, kind: str, key: str, value: str) -> None:
    """A paced form (`kind`: signin, reset, set-password) has just been locked for an
    account (`value`: the email typed) or an address (the client IP) on the site of
    `union` (portal.accounts.pacing). Nobody acts; the entry says what was locked: an
    existing account of the union by its id, anything else as typed."""
    target = f"{key}:{value}"
    if key == "account":
        users = User.objects.filter(email__iexact=value)
        user = (users.filter(union=union) if union is not None
                else users.filter(union__isnull=True)).first()
        if user is not None:
            target = f"user:{user.pk}"
    record(actor=None, union=union, action=AuditAction.LOCK, target=target,
           fields=[f"{kind}_locked"])
