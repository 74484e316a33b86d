from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "youse.monitoring"
    label = "monitoring"
    verbose_name = _("Online monitoring: points, readings, limits, alarms")

    def ready(self) -> None:
        from youse.monitoring import duties  # noqa: F401  (registers its tick duties)
