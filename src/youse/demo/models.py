from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """Records that the synthetic data set was loaded: every page then labels its data as synthetic."""

    seed = models.IntegerField(_("seed"))
    scale = models.PositiveIntegerField(_("scale"))
    built_at = models.DateTimeField(_("built"), auto_now_add=True)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("synthetic data set (示例数据)")
        verbose_name_plural = _("synthetic data sets")

    def __str__(self) -> str:
        return f"seed {self.seed}, scale {self.scale}"
