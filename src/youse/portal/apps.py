from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "youse.portal"
    label = "portal"
    verbose_name = _("Public portal and monthly bulletin")

    def ready(self) -> None:
        from youse.portal.bulletin import duties  # noqa: F401  (registers the bulletin's tick duty)
