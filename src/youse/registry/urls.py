from django.urls import path

from youse.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise-list"),
]
