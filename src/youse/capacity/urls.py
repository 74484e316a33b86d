"""Pages of the capacity module for signed-in users (mounted at /capacity/)."""

from django.urls import path

from youse.capacity.views import dismantling, ledger, schemes

app_name = "capacity"
urlpatterns = [
    path("", ledger.overview, name="overview"),
    path("indicators/", ledger.indicator_list, name="indicator-list"),
    path("indicators/new/", ledger.indicator_register, name="indicator-register"),
    path("indicators/<int:pk>/", ledger.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/<slug:action>/", ledger.indicator_action, name="indicator-action"),
    path("schemes/", schemes.scheme_list, name="scheme-list"),
    path("schemes/new/", schemes.scheme_form, name="scheme-create"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme-detail"),
    path("schemes/<int:pk>/edit/", schemes.scheme_form, name="scheme-edit"),
    path("schemes/<int:pk>/check/", schemes.scheme_check, name="scheme-check"),
    path("schemes/<int:pk>/<slug:action>/", schemes.scheme_action, name="scheme-action"),
    path("objections/<int:pk>/decide/", schemes.objection_decide, name="objection-decide"),
    path("dismantling/", dismantling.dismantling_list, name="dismantling-list"),
    path("dismantling/<int:pk>/", dismantling.exit_line, name="exit-line"),
    path("evidence/<int:pk>/", dismantling.evidence_file, name="evidence-file"),
    path("violations/", dismantling.violation_list, name="violation-list"),
]
