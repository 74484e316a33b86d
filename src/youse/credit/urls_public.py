"""Public pages of the credit module (mounted at /public/credit/): published editions of the list and
their included enterprises."""

from django.urls import path

from youse.credit import views_public as views

app_name = "credit_public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
]
