"""Reading the list, scoped: what pages, the API and the export share.

Drafts are the department's working papers: only those who manage the list see them. Everyone else with
`credit.view` sees published and superseded editions, a city its own city's entries, an enterprise its
own entry. The public sees published editions and their included enterprises only (`public_*`), whatever
the visitor's own scope would allow."""

from collections import Counter

from django.db.models import Count, Q, QuerySet

from youse.core import scopes
from youse.core.models import Division, Metal
from youse.credit.models import Edition, Entry

RELEASED = (Edition.Status.PUBLISHED, Edition.Status.SUPERSEDED)


def editions(user) -> QuerySet[Edition]:
    qs = scopes.visible(user, Edition).distinct()
    if not scopes.can(user, "credit.manage"):
        qs = qs.filter(status__in=RELEASED)
    return qs.order_by("-year", "-number")


def entries(user, edition: Edition | None = None) -> QuerySet[Entry]:
    qs = scopes.visible(user, Entry)
    if not scopes.can(user, "credit.manage"):
        qs = qs.filter(edition__status__in=RELEASED)
    if edition is not None:
        qs = qs.filter(edition=edition)
    return qs.select_related("edition", "city", "metal", "overridden_by")


def filter_entries(qs: QuerySet[Entry], *, included: str = "", city: str = "", metal: str = "", failing: str = "",
                   q: str = "") -> QuerySet[Entry]:  # fmt: skip
    """The entry filters of the edition page and the API: included yes/no, city code, metal code, a
    failed criterion's code, a name."""
    if included in ("yes", "true", "1"):
        qs = qs.filter(included=True)
    elif included in ("no", "false", "0"):
        qs = qs.filter(included=False)
    elif included == "overridden":
        qs = qs.filter(override_included__isnull=False)
    if city:
        qs = qs.filter(city__code=city) if city.isdigit() and len(city) == 6 else qs.filter(city_id=_int(city))
    if metal:
        qs = qs.filter(metal__code=metal)
    if failing:
        qs = qs.filter(failed__contains=f",{failing},")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    return qs


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def counts(qs: QuerySet[Entry]) -> dict:
    """Included and excluded entries by city and by metal, and how often each criterion failed."""
    tally = {"n_in": Count("pk", filter=Q(included=True)), "n_out": Count("pk", filter=Q(included=False))}
    by_city = list(qs.values("city").annotate(**tally).order_by())
    by_metal = list(qs.values("metal").annotate(**tally).order_by())
    cities = Division.objects.in_bulk([r["city"] for r in by_city if r["city"]])
    metals = Metal.objects.in_bulk([r["metal"] for r in by_metal if r["metal"]])

    def rows(items, lookup, key, sort):
        out = [{"object": lookup.get(r[key]), "included": r["n_in"], "excluded": r["n_out"]} for r in items]
        out.sort(key=lambda r: sort(r["object"]))
        return out

    failures: Counter = Counter()
    for failed in qs.exclude(failed="").values_list("failed", flat=True):
        failures.update(c for c in failed.split(",") if c)
    total_in = sum(r["n_in"] for r in by_city)
    total_out = sum(r["n_out"] for r in by_city)
    return {
        "included": total_in,
        "excluded": total_out,
        "overridden": qs.filter(override_included__isnull=False).count(),
        "by_city": rows(by_city, cities, "city", lambda d: (d is None, getattr(d, "order", 0), getattr(d, "code", ""))),
        "by_metal": rows(by_metal, metals, "metal", lambda m: (m is None, getattr(m, "order", 0))),
        "failures": dict(failures),
    }


def public_editions() -> QuerySet[Edition]:
    return Edition.objects.filter(status=Edition.Status.PUBLISHED).order_by("-year", "-number")


def public_entries(edition: Edition) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(edition=edition, edition__status=Edition.Status.PUBLISHED, included=True)
        .select_related("city", "metal")
        .order_by("city__code", "name")
    )
