from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site

from . import actions, pacing
from .forms import PasswordResetRequestForm
from .selectors import may_set_a_password_here
from .tokens import invitation_token_generator, password_reset_token_generator


def _drop_wagtails_refusal(request) -> None:
    """Take Wagtail's "no permission to access the admin" out of the queued messages,
    keeping any other."""
    refusal = _("You do not have permission to access the admin.")  # Wagtail's own words
    storage = messages.get_messages(request)
    others = [m for m in storage if str(m.message).strip() != refusal]  # consumes them all
    for message in others:
        messages.add_message(request, message.level, message.message,
                             extra_tags=message.extra_tags)


class LoginView(auth_views.LoginView):
    """Permission: anyone. Accounts of another union are refused on this union's site
    (see UnionAwareModelBackend). Paced per account and address by django-axes
    (pacing.py): a locked sign-in answers 429 with the wait."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # Wagtail sends a signed-in account without admin access to sign in (with next=
        # the admin URL), and a signed-in account is sent on to next: a redirect loop.
        # Such an account goes to its home instead, told why.
        if request.user.is_authenticated:
            target = urlsplit(self.get_success_url()).path
            if (target.startswith(reverse("wagtailadmin_home"))
                    and not request.user.has_perm("wagtailadmin.access_admin")):
                _drop_wagtails_refusal(request)  # it says the same; one notice is enough
                messages.info(request, _("Your account has no access to the administration."))
                return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Other sign-in methods offered here (identity's strong identification button):
        # apps above accounts add them through the `sign_in_options` hook.
        for options in hooks.get_hooks("sign_in_options"):
            context.update(options(self.request))
        return context

    def form_invalid(self, form):
        # The union does not let this account's role sign in with a password
        # (identity.backends.PolicyModelBackend): say so instead of "wrong password".
        if getattr(self.request, "password_refused", False):
            form.errors.clear()
            form.add_error(None, _("Your account may not sign in with a password in this "
                                   "union. Please sign in with strong identification."))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Permission: anyone (POST only)."""


class PasswordResetView(auth_views.PasswordResetView):
    """Permission: anyone. Asks for a reset link; the answer is the same whether or not
    the address belongs to anyone, and only accounts that may set a password on this
    site get an email (actions.request_password_reset). Paced per address and per
    email typed (pacing.RESET): past the limit, 429 with the wait and nothing sent."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if pacing.is_paced(self.request, pacing.RESET, email):
            pacing.hit(self.request, pacing.RESET, email)
            return pacing.paced_response(self.request, self.template_name, {"form": form})
        pacing.hit(self.request, pacing.RESET, email)
        actions.request_password_reset(email=email,
                                       union=getattr(self.request, "union", None))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Permission: anyone."""

    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Permission: whoever holds a valid reset link of an account that may set a password
    on this site (selectors.accounts_that_may_set_a_password); for anyone else — another
    union's account, a blocked one, an expired or used link — the link is invalid.
    Invalid links are paced per address (pacing.SET_PASSWORD): past the limit even a
    valid one waits, so links cannot be guessed."""

    template_name = "accounts/password_set.html"
    token_generator = password_reset_token_generator
    success_url = reverse_lazy("accounts:password_reset_complete")
    invited = False

    def dispatch(self, request, *args, **kwargs):
        if pacing.is_paced(request, pacing.SET_PASSWORD):
            pacing.hit(request, pacing.SET_PASSWORD)
            return pacing.paced_response(request, self.template_name,
                                         {"invitation": self.invited, "validlink": False})
        response = super().dispatch(request, *args, **kwargs)
        if not self.validlink:
            pacing.hit(request, pacing.SET_PASSWORD)
        return response

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        union = getattr(self.request, "union", None)
        if user is not None and not may_set_a_password_here(user, union, invited=self.invited):
            return None
        return user

    def form_valid(self, form):
        actions.set_password(user=form.user, password=form.cleaned_data["new_password1"],
                             acting_user=form.user)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invited
        return context


class InvitationView(PasswordResetConfirmView):
    """Permission: whoever holds a valid invitation link of an account of this site's
    union (sent when an admin created it); otherwise the link is invalid."""

    token_generator = invitation_token_generator
    invited = True


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """Permission: anyone."""

    template_name = "accounts/password_reset_complete.html"


def authenticate_with_password(request, page_view_restriction_id: int, page_id: int):
    """Permission: anyone. Wagtail's password form of a password-restricted page, only for
    a page of this site under that restriction: Wagtail's own view takes any page id and
    renders that page's title (and runs its context), whatever the site."""
    site = Site.find_for_request(request)
    page = Page.objects.filter(pk=page_id).only("path").first()
    restriction = (PageViewRestriction.objects.filter(pk=page_view_restriction_id)
                   .select_related("page").first())
    if (site is None or page is None or restriction is None
            or not page.path.startswith(site.root_page.path)
            or not page.path.startswith(restriction.page.path)):
        raise Http404
    return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
