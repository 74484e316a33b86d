from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "youse.core"
    label = "core"
    verbose_name = _("Core: divisions, policy, roles, audit")
