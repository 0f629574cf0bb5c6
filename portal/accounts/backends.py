from django.contrib.auth.backends import ModelBackend


class UnionAwareModelBackend(ModelBackend):
    """Password sign-in that only admits a user on their own union's site.

    A union admin of union A who tries to sign in on union B's hostname is refused:
    sessions are per site, and no account of one tenant acts on another tenant's site.
    Platform operators have no union and may sign in anywhere (they see no personal data).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or request is None:
            return user
        union = getattr(request, "union", None)
        if user.union_id is not None and union is not None and user.union_id != union.pk:
            return None
        return user
