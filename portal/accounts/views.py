from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Permission: anyone. Accounts of another union are refused on this union's site
    (see UnionAwareModelBackend)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Permission: anyone (POST only)."""
