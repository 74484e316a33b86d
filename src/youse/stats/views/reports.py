"""Monthly report pages: lists, entry form, review, Excel template and upload."""

urlpatterns: list = []
