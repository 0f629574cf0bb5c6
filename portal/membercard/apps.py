from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemberCardConfig(AppConfig):
    name = "portal.membercard"
    label = "membercard"
    verbose_name = _("Member card")
