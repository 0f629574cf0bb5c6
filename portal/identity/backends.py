from django.core.exceptions import PermissionDenied

from portal.accounts.backends import UnionAwareModelBackend

from .models import Method
from .policy import method_allowed


class PolicyModelBackend(UnionAwareModelBackend):
    """The accounts backend, plus the union's sign-in methods: a right password of an
    account whose role may not use passwords in its union is refused (PermissionDenied
    stops the other backends too), and the sign-in page says why
    (`request.password_refused`, accounts.views.LoginView)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or request is None:
            return user
        if not method_allowed(user, getattr(request, "union", None), Method.PASSWORD):
            request.password_refused = True
            raise PermissionDenied
        return user
