from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "youse.stats"
    label = "stats"
    verbose_name = _("Statistics: monthly reports, indicators, early warnings")

    def ready(self) -> None:
        from youse.stats import overdue, warnings  # noqa: F401  (register their tick duties)
