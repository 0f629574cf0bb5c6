"""Per-site brand settings and the main page's link menu (U-3.1.10, U-3.16.7).

Both are Wagtail site settings: one row per Site, so per union. A union admin edits
them in the admin (Settings menu); the union's admin group is granted the change
permission for its own site only (GroupSitePermission, see `actions.py`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from portal.union.models import hex_colour

from .brand_admin import BrandPreviewPanel, BrandSettingsForm, ColourInput
from .contrast import AA_NORMAL_TEXT, contrast_ratio
from .forms import LinkMenuForm

# The link label's field in each language (the union's default one is required).
LABEL_FIELDS = {"fi": "label", "sv": "label_sv", "en": "label_en"}

DEFAULT_PRIMARY = "#33475b"
DEFAULT_ON_PRIMARY = "#ffffff"


class Font(models.TextChoices):
    # Only fonts installed on the device: no web fonts, so no third-party requests.
    SYSTEM = "system", _("System sans-serif")
    HUMANIST = "humanist", _("Humanist sans-serif")
    SERIF = "serif", _("Serif")
    ROUNDED = "rounded", _("Rounded")


FONT_STACKS = {
    Font.SYSTEM: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
    Font.HUMANIST: 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", sans-serif',
    Font.SERIF: 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
    Font.ROUNDED: 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, '
    '"Arial Rounded MT", "Arial Rounded MT Bold", Calibri, source-sans-pro, sans-serif',
}


def union_of_site(site_id):
    from portal.union.models import Union

    return Union.objects.filter(site_id=site_id).first() if site_id else None


@register_setting(icon="view")
class BrandSettings(BaseSiteSetting):
    """The union's brand: colours, logo, favicon and font, served as /theme.css."""

    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        validators=[hex_colour],
        help_text=_("Bars and buttons, as #rrggbb. Empty: the colour given when the union was "
                    "created."),
    )
    secondary_colour = models.CharField(
        _("secondary colour"),
        max_length=7,
        blank=True,
        validators=[hex_colour],
        help_text=_("Text and icons on the primary colour, as #rrggbb. It must contrast with "
                    "the primary colour at least 4.5:1 (WCAG AA)."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("favicon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square image; shown in browser tabs and on the home screen."),
    )
    font = models.CharField(_("font"), max_length=16, choices=Font.choices, default=Font.SYSTEM)

    # Colour pickers and a live preview (themes/brand_admin.py).
    base_form_class = BrandSettingsForm

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([
                    FieldPanel("primary_colour", widget=ColourInput),
                    FieldPanel("secondary_colour", widget=ColourInput),
                ]),
                BrandPreviewPanel(),
            ],
            heading=_("Colours"),
        ),
        FieldPanel("logo"),
        FieldPanel("favicon"),
        FieldPanel("font"),
    ]

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def colours(self) -> tuple[str, str]:
        """The effective pair: these settings, else the union's seeded colours."""
        union = union_of_site(self.site_id)
        primary = self.primary_colour or (union.primary_colour if union else DEFAULT_PRIMARY)
        secondary = self.secondary_colour or (
            union.secondary_colour if union else DEFAULT_ON_PRIMARY
        )
        return primary.lower(), secondary.lower()

    def clean(self):
        super().clean()
        self._refuse_foreign_images()
        try:
            primary, secondary = self.colours()
            ratio = contrast_ratio(primary, secondary)
        except ValueError:
            return  # the field validators report malformed colours
        if ratio < AA_NORMAL_TEXT:
            raise ValidationError(
                {
                    "secondary_colour": _(
                        "The colours %(primary)s and %(secondary)s contrast only %(ratio).2f:1; "
                        "text needs at least 4.5:1 (WCAG AA). Choose a darker or lighter "
                        "colour."
                    )
                    % {"primary": primary, "secondary": secondary, "ratio": ratio}
                }
            )

    def _refuse_foreign_images(self) -> None:
        """The logo and favicon come from the union's own collection: a posted id of
        another union's image would show that union's file on this union's site."""
        from portal.union.relations import FOREIGN_TARGET, scoped_targets

        chosen = {name: getattr(self, f"{name}_id") for name in ("logo", "favicon")}
        chosen = {name: pk for name, pk in chosen.items() if pk}
        if not chosen:
            return
        union = union_of_site(self.site_id)
        allowed = set(
            scoped_targets(self._meta.get_field("logo"), union.pk if union else None)
            .filter(pk__in=chosen.values()).values_list("pk", flat=True)
        )
        errors = {name: FOREIGN_TARGET for name, pk in chosen.items() if pk not in allowed}
        if errors:
            raise ValidationError(errors)

    @property
    def font_stack(self) -> str:
        return FONT_STACKS.get(self.font, FONT_STACKS[Font.SYSTEM])


@register_setting(icon="list-ul")
class LinkMenu(ClusterableModel, BaseSiteSetting):
    """The main page's link menu (U-3.16.7), shown in the side menu."""

    panels = [InlinePanel(
        "items", label=_("Links"), heading=_("Links"),
        help_text=_("The label in the union's default language is required; the other "
                    "languages are optional and show that label when empty."),
    )]
    # Marks the label in the union's default language required (the others optional).
    base_form_class = LinkMenuForm

    class Meta:
        verbose_name = _("link menu")
        verbose_name_plural = _("link menus")

    @classmethod
    def entries_for_site(cls, site, language: str | None = None) -> list[dict]:
        """The site's links in order, labelled in `language`, else in the union's default
        language (read in the same query): one query, no row created."""
        items = (
            LinkMenuItem.objects.filter(menu__site=site).select_related("link_page")
            .annotate(default_language=F("menu__site__union__default_language"))
        )
        return cls._entries(items.order_by("sort_order"), language)

    def entries(self, language: str | None = None) -> list[dict]:
        return self._entries(self.items.all(), language)

    @staticmethod
    def _entries(items, language: str | None) -> list[dict]:
        language = (language or get_language() or "fi")[:2]
        result = []
        for item in items:
            url = item.url()
            if url:
                label = item.label_for(language, getattr(item, "default_language", None))
                result.append({"label": label, "url": url, "external": item.is_external})
        return result


def validate_web_url(value: str) -> None:
    if urlsplit(value).scheme.lower() not in {"http", "https"}:
        raise ValidationError(_("Give a web address that starts with http:// or https://."))


class LinkMenuItem(Orderable):
    menu = ParentalKey(LinkMenu, on_delete=models.CASCADE, related_name="items")
    # Only the label in the union's default language is required (clean, LinkMenuForm):
    # a Swedish-speaking union writes its links in Swedish only.
    label = models.CharField(_("label (Finnish)"), max_length=80, blank=True)
    label_sv = models.CharField(_("label (Swedish)"), max_length=80, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=80, blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.URLField(
        _("external address"), blank=True, max_length=500, validators=[validate_web_url]
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("label_sv"), FieldPanel("label_en")]),
        FieldPanel("link_page"),
        FieldPanel("link_url"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.label_for("")

    @property
    def is_external(self) -> bool:
        return not self.link_page_id

    def label_for(self, language: str, default_language: str | None = None) -> str:
        """The label in `language`, else in the union's default language, else any."""
        labels = {lang: getattr(self, field) for lang, field in LABEL_FIELDS.items()}
        return (labels.get(language) or labels.get(default_language or "")
                or next((label for label in labels.values() if label), ""))

    def url(self) -> str:
        if self.link_page_id:
            page = self.link_page
            return page.localized.url if page.live else ""
        return self.link_url

    def clean(self):
        super().clean()
        union = union_of_site(self.menu.site_id) if self.menu_id else None
        required = LABEL_FIELDS.get(union.default_language) if union is not None else None
        if required and not getattr(self, required):
            raise ValidationError({required: _("Give the label in the union's default "
                                               "language.")})
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError(_("Choose either a page or an external address, not both."))
        if self.link_page_id and self.menu_id:
            roots = self.menu.site.root_page.get_translations(inclusive=True)
            if not any(self.link_page.path.startswith(root.path) for root in roots):
                raise ValidationError({"link_page": _("Choose a page of this union's site.")})
