from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "youse.supervision"
    label = "supervision"
    verbose_name = _("Supervision: policy tasks, city plans, progress, reports")

    def ready(self) -> None:
        from youse.supervision import duties  # noqa: F401  (registers its tick duties)
