from django.contrib import admin
from django.urls import include, path

from youse.api import api
from youse.monitoring.views_metrics import metrics

urlpatterns = [
    path("", include("youse.core.urls")),
    path("registry/", include("youse.registry.urls")),
    path("stats/", include("youse.stats.urls")),
    path("monitoring/", include("youse.monitoring.urls")),
    path("capacity/", include("youse.capacity.urls")),
    path("public/", include("youse.portal.urls")),
    path("public/capacity/", include("youse.capacity.urls_public")),
    path("enforcement/", include("youse.enforcement.urls")),
    path("public/enforcement/", include("youse.enforcement.urls_public")),
    path("public/credit/", include("youse.credit.urls_public")),
    path("pricing/", include("youse.pricing.urls")),
    path("supervision/", include("youse.supervision.urls")),
    path("cooperation/", include("youse.cooperation.urls")),
    path("support/", include("youse.support.urls")),
    path("credit/", include("youse.credit.urls")),
    path("bulletins/", include("youse.portal.bulletin.urls_review")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("metrics", metrics, name="metrics"),
]

# A database outage answers 503 with Retry-After, not a bare 500 (core/availability.py).
handler500 = "youse.core.availability.server_error"
