from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.union.tenancy import UnionOwnedPage


class ContentPage(UnionOwnedPage):
    """An ordinary content page anywhere in a union's tree."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic"])
    body = RichTextField(
        _("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    parent_page_types = ["union.UnionPage", "pages.ContentPage"]
    subpage_types = ["pages.ContentPage"]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")
