"""Department pages of the monthly bulletin (mounted at /bulletins/)."""

from django.urls import path

from youse.portal.bulletin import views_review as views

app_name = "bulletins"
urlpatterns = [
    path("", views.month_list, name="list"),
    path("draft/", views.draft, name="draft"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/commentary/", views.commentary, name="commentary"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/pdf/", views.preview_pdf, name="pdf"),
    path("<int:pk>/docx/", views.preview_docx, name="docx"),
]
