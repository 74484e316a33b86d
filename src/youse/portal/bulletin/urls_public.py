"""Public pages of the monthly bulletin (included by portal/urls.py under /public/bulletins/, in the
"portal" namespace). No sign-in; published versions only."""

from django.urls import path

from youse.portal.bulletin import views_public as views

urlpatterns = [
    path("", views.bulletin_list, name="bulletins"),
    path("<str:month>/", views.bulletin, name="bulletin"),
    path("<str:month>/v<int:version>/", views.bulletin_version, name="bulletin-version"),
    path("<str:month>/v<int:version>/pdf/", views.bulletin_pdf, name="bulletin-pdf"),
    path("<str:month>/v<int:version>/docx/", views.bulletin_docx, name="bulletin-docx"),
]
