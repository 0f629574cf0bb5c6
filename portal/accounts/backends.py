from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef


def _blocked_now(at=None):
    from .models import Block

    return Exists(Block.objects.in_force(at).filter(user_id=OuterRef("pk")))


class UnionAwareModelBackend(ModelBackend):
    """Password sign-in that only admits a user on their own union's site.

    A union admin of union A who tries to sign in on union B's hostname is refused:
    sessions are per site, and no account of one tenant acts on another tenant's site.
    Platform operators (no union) sign in only on the platform's hostname, and union
    accounts not there (accounts.middleware.signed_in_here, as TenantUserMiddleware).

    Blocked users (accounts.Block in force) are refused both at sign-in and when an
    existing session is resolved on each request, so a block ends open sessions at once.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = self._account_of(request, username or kwargs.get("email"), password)
        if user is None or request is None:
            return user
        from .middleware import signed_in_here

        # Only where the session would count (TenantUserMiddleware): a session made on
        # another hostname would be anonymous there anyway.
        return user if signed_in_here(user, request) else None

    def _account_of(self, request, email, password):
        """The account with this address in the request's union (or, on a hostname of
        no union, among the accounts without one), if the password is right. An address
        is unique only within a union, so it is never looked up across unions."""
        from .models import User, with_email

        if not email or password is None:
            return None
        union = getattr(request, "union", None)
        accounts = User.objects.filter(union=union) if union else User.objects.filter(
            union__isnull=True)
        user = with_email(accounts, email).first()
        if user is None:
            User().set_password(password)  # as long as a wrong password takes (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        blocked = getattr(user, "is_blocked_now", None)
        if blocked is None:
            from .models import Block

            blocked = Block.objects.in_force().filter(user_id=user.pk).exists()
        return not blocked

    def get_user(self, user_id):
        # The block check rides in the same query that loads the session's user, so
        # checking every request costs no extra round trip.
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from portal.union.compiled import run_compiled

        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        now = timezone.now()
        # Every request asks this: run from SQL compiled once (union/compiled.py).
        found = run_compiled(
            user_model,
            lambda: user_model._default_manager.annotate(
                is_blocked_now=_blocked_now(now)).filter(pk=user_id),
            ("session-user",), [1, now, now, user_id])
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None


class PacedBackend(AxesStandaloneBackend):
    """First in AUTHENTICATION_BACKENDS: refuses a sign-in whose account or address is
    locked for too many failures (django-axes, portal/accounts/pacing.py) and otherwise
    lets the next backend authenticate. Sessions it is named in — `login()` without a
    backend and the test client's `force_login` take the first backend — resolve their
    user exactly as UnionAwareModelBackend does (blocked accounts included)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Without a request (code, e.g. the test client's login()) there is no address
        # to pace; the portal's backend decides as it would without axes.
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        return UnionAwareModelBackend().get_user(user_id)
