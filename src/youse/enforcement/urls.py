"""Pages of the enforcement module for signed-in users (mounted at /enforcement/): campaigns, cases,
inspections and orders (urls_cases.py); closures, resettlement, land and announcements (urls_closures.py)."""

from youse.enforcement import urls_cases, urls_closures

app_name = "enforcement"
urlpatterns = [*urls_cases.urlpatterns, *urls_closures.urlpatterns]
