from django.urls import path

from youse.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise-create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("enterprises/<int:pk>/plants/new/", views.plant_create, name="plant-create"),
    path("plants/<int:pk>/", views.plant_detail, name="plant-detail"),
    path("plants/<int:pk>/edit/", views.plant_edit, name="plant-edit"),
    path("plants/<int:pk>/units/new/", views.unit_create, name="unit-create"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<int:pk>/transition/", views.unit_transition, name="unit-transition"),
    path("map/", views.plant_map, name="plant-map"),
]
