from youse.stats.views import indicators, reports

app_name = "stats"
urlpatterns = [*indicators.urlpatterns, *reports.urlpatterns]
