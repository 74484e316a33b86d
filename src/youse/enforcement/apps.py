from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "youse.enforcement"
    label = "enforcement"
    verbose_name = _("Enforcement: inspections, rectification, closure, resettlement, announcements")

    def ready(self) -> None:
        from youse.enforcement import duties  # noqa: F401  (registers its tick duties)
