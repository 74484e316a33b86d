"""Pages of the support app (mounted at /support/): fund calls and applications (三(四)), reserves (三(六))."""

from django.urls import path

from youse.support.views import funds, reserves

app_name = "support"
urlpatterns = [
    path("", funds.applications, name="applications"),
    path("applications/export/", funds.applications_export, name="applications-export"),
    path("applications/new/", funds.application_create, name="application-create"),
    path("applications/<int:pk>/", funds.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", funds.application_edit, name="application-edit"),
    path("applications/<int:pk>/step/", funds.application_action, name="application-action"),
    path("calls/", funds.calls, name="calls"),
    path("calls/new/", funds.call_create, name="call-create"),
    path("calls/<int:pk>/", funds.call_detail, name="call-detail"),
    path("calls/<int:pk>/step/", funds.call_action, name="call-action"),
    path("reserves/", reserves.reserves, name="reserves"),
    path("reserves/plans/", reserves.plan_create, name="plan-create"),
    path("reserves/holdings/", reserves.holdings, name="holdings"),
    path("reserves/holdings/export/", reserves.holdings_export, name="holdings-export"),
    path("reserves/holdings/new/", reserves.holding_create, name="holding-create"),
    path("reserves/holdings/<int:pk>/", reserves.holding_detail, name="holding-detail"),
    path("reserves/holdings/<int:pk>/move/", reserves.holding_move, name="holding-move"),
]
