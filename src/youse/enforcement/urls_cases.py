"""Campaigns, cases, inspections and orders (merged into the "enforcement" namespace by urls.py)."""

from django.urls import path

from youse.enforcement.views import campaigns, cases, orders

urlpatterns = [
    path("", campaigns.overview, name="overview"),
    path("campaigns/", campaigns.campaign_list, name="campaign-list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("campaigns/preview/", campaigns.campaign_preview, name="campaign-preview"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/new/", cases.case_create, name="case-create"),
    path("cases/from/<slug:source>/<int:pk>/", cases.case_from_source, name="case-from-source"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/inspect/", cases.case_inspect, name="case-inspect"),
    path("cases/<int:pk>/propose-closure/", cases.propose_closure, name="case-propose-closure"),
    path("inspections/<int:pk>/order/", orders.order_issue, name="order-issue"),
    path("orders/", orders.order_list, name="order-list"),
    path("orders/<int:pk>/reinspect/", orders.order_reinspect, name="order-reinspect"),
    path("orders/<int:pk>/<slug:action>/", orders.order_action, name="order-action"),
    path("evidence/<int:pk>/", cases.evidence_file, name="evidence-file"),
]
