"""Public pages of the credit support list (principle 7): the editions a service function published and,
for each, the enterprises it includes with their city and main metal. Exclusions and their reasons are
not public; superseded editions and drafts are not shown. The visitor's own scope never widens this."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from youse.credit import queries


def index(request: HttpRequest) -> HttpResponse:
    editions = queries.public_editions().annotate(n_in=Count("entries", filter=Q(entries__included=True)))
    return render(request, "credit/public/index.html", {"editions": editions})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(queries.public_editions(), pk=pk)
    rows = list(queries.public_entries(edition))
    return render(request, "credit/public/detail.html", {"edition": edition, "rows": rows})
