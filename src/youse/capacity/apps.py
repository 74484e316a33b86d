from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "youse.capacity"
    label = "capacity"
    verbose_name = _("Aluminium capacity: ledger, replacement schemes, public notice")

    def ready(self) -> None:
        from youse.capacity import duties  # noqa: F401  (registers its tick duties)
