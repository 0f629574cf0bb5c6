from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.union.tenancy import UnionOwnedPage


class BranchIndexPage(UnionOwnedPage):
    parent_page_types = ["union.UnionPage"]
    subpage_types = ["branches.BranchPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("branch index")
        verbose_name_plural = _("branch indexes")

    def get_context(self, request, *args, **kwargs):
        from .page_context import branch_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(branch_index_context(self, request))
        return context


class BranchPage(UnionOwnedPage):
    """A branch (ammattiosasto): card, basic info, officials, members, workplaces."""

    number = models.CharField(_("branch number"), max_length=20, blank=True, db_index=True)
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link"])
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)

    parent_page_types = ["branches.BranchIndexPage"]
    subpage_types = ["branches.BulletinPage"]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("number"),
                FieldPanel("municipality"),
                FieldPanel("founded"),
                FieldPanel("email"),
                FieldPanel("phone"),
            ],
            heading=_("Basic info"),
        ),
        FieldPanel("description"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("municipality"),
        index.FilterField("union_id"),
    ]

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def get_context(self, request, *args, **kwargs):
        from .page_context import branch_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(branch_page_context(self, request))
        return context


class BulletinPage(UnionOwnedPage):
    """A branch bulletin (tiedote). Sending belongs to the bulletins feature."""

    date = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    parent_page_types = ["branches.BranchPage"]
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("union_id"),
    ]

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-date"]

    def serve(self, request, *args, **kwargs):
        """Only to those `visibility.may_view` allows: a signed-out visitor is asked to
        sign in (the link in a member's email must work); anyone else gets a 404, so a
        bulletin's existence is not confirmed to those outside its audience."""
        from django.contrib.auth.views import redirect_to_login
        from django.http import Http404
        from django.utils.cache import add_never_cache_headers, patch_cache_control

        from .visibility import is_public, may_view

        union = getattr(request, "union", None)
        public = union is not None and self.union_id == union.pk and is_public(self)
        if not public and not may_view(request.user, union, self):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        response = super().serve(request, *args, **kwargs)
        if not public:
            # Shown to its audience only: no shared cache may keep it.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response

    def full_clean(self, *args, **kwargs):
        # Sanitised on every save path: front-end editor, admin form and revisions.
        from .sanitize import sanitize_bulletin_html

        self.body = sanitize_bulletin_html(self.body)
        super().full_clean(*args, **kwargs)
