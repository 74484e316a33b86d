"""Public pages of aluminium capacity replacement (clause 二(七)): schemes in public notice (公示) with the
objection form, announced results (公告) and the province's ledger totals by city.

Anyone may read these pages, signed in or not, and they show the same to everyone: only published schemes
(principle 7), their scheme tables, the notice window and the rule titles they passed. Objectors' names
and contacts, drafts, the journal and the check reports' reasoning stay on the signed-in side."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youse.capacity import rules, services
from youse.capacity.models import CapacityIndicator, ExitLine, NationalCapacityFigure, ReplacementScheme
from youse.capacity.rules import SchemeState
from youse.core.middleware import client_addr
from youse.core.models import Division

S = SchemeState

# Objections filed from one address per hour before the form answers "try later". Generous for a
# person, tight for a script; the department can still take objections by letter or telephone.
OBJECTIONS_PER_HOUR = getattr(settings, "YOUSE_OBJECTIONS_PER_HOUR", 5)
RATE_WINDOW_S = 3600
RECEIPT_SESSION_KEY = "capacity_objection_receipt"

# What the public is told a published scheme's state means. A scheme sent back by an upheld objection
# is a draft again on the signed-in side; the public sees that it left the notice for revision.
PUBLIC_STATUS = {
    S.DRAFT: (gettext_lazy("Withdrawn from notice for revision"), "secondary"),
    S.SUBMITTED: (gettext_lazy("Revised; awaiting a new notice"), "info"),
    S.NOTICE: (gettext_lazy("In public notice (公示)"), "warning"),
    S.REVIEW: (gettext_lazy("Notice ended; under review"), "primary"),
    S.APPROVED: (gettext_lazy("Approved; announcement to follow"), "success"),
    S.ANNOUNCED: (gettext_lazy("Announced (公告)"), "success"),
    S.REJECTED: (gettext_lazy("Rejected"), "danger"),
    S.WITHDRAWN: (gettext_lazy("Withdrawn by the applicant"), "dark"),
}
# The rules' titles as the public reads them (rules.py keeps its own words for the report).
RULE_TITLES = {
    "ratio": gettext_lazy("Replacement ratio"),
    "eligible": gettext_lazy("Every exit tonne eligible"),
    "dismantling": gettext_lazy("Dismantled before the new line produces"),
    "energy": gettext_lazy("Energy threshold for new lines"),
    "ownership": gettext_lazy("Ownership for mergers and intra-group transfers"),
}
HOLDING_COLUMNS = (
    ("active_t", gettext_lazy("Active"), "#3fa66b"),
    ("available_t", gettext_lazy("Available"), "#0f3c78"),
    ("reserved_t", gettext_lazy("Reserved by schemes"), "#e0a800"),
    ("consumed_t", gettext_lazy("Consumed by replacement"), "#8a94a6"),
)


def published() -> QuerySet[ReplacementScheme]:
    """Every scheme ever put to public notice, whoever asks: the public pages never widen this by the
    visitor's own scope, so a signed-in official sees here exactly what the public sees."""
    return ReplacementScheme.objects.filter(published_at__isnull=False).select_related(
        "applicant", "division", "division__prefecture"
    )


def working_days_left(scheme: ReplacementScheme, today: dt.date | None = None) -> int:
    """Working days of the notice still to come, today included (holidays from the calendar)."""
    today = today or timezone.localdate()
    if scheme.notice_end is None or today > scheme.notice_end:
        return 0
    start = max(today, scheme.notice_start or today)
    calendar = services.calendar_exceptions(start, scheme.notice_end)
    days, day = 0, start
    while day <= scheme.notice_end:
        days += rules.is_working_day(day, calendar)
        day += dt.timedelta(days=1)
    return days


def _public_status(scheme: ReplacementScheme) -> dict:
    label, colour = PUBLIC_STATUS[S(scheme.state)]
    return {"label": label, "colour": colour}


def _decorate(schemes, today: dt.date) -> list[ReplacementScheme]:
    rows = list(schemes)
    for s in rows:
        s.public_status = _public_status(s)
        s.days_left = working_days_left(s, today) if s.state == S.NOTICE else 0
        s.open = services.notice_open(s, today)
    return rows


def _ratio(exited: int, new: int) -> str:
    """Exit ÷ new, as the notice prints it beside "1"."""
    return f"{exited / new:.2f}" if new else "—"


def ledger_by_city() -> dict:
    """The province's capacity ledger summed by city: where an indicator's unit stands, else where its
    owner is registered. Tonnes that lapsed, were found ineligible or left the province are not shown."""
    fields = [f for f, _label, _colour in HOLDING_COLUMNS]
    sums = (
        CapacityIndicator.objects.annotate(
            city_id=Coalesce(F("unit__plant__division__prefecture"), F("owner__division__prefecture"))
        )
        .values("city_id")
        .annotate(**{f: Sum(f) for f in fields})
        .order_by()
    )
    by_city = {row["city_id"]: row for row in sums}
    cities = {d.pk: d for d in Division.objects.filter(pk__in=[k for k in by_city if k is not None])}
    rows = []
    for city_id, row in by_city.items():
        city = cities.get(city_id)
        rows.append(
            {
                "city": city.display_name if city else _("Not assigned to a city"),
                "code": city.code if city else "",
                "order": (city.order, city.code) if city else (10**6, ""),
                "values": [row[f] or 0 for f in fields],
            }
        )
    rows.sort(key=lambda r: r["order"])
    totals = [sum(r["values"][i] for r in rows) for i in range(len(fields))]
    chart = {
        "categories": [r["city"] for r in rows],
        "unit": "t/a",
        "series": [
            {"name": str(label), "color": colour, "data": [r["values"][i] for r in rows]}
            for i, (_f, label, colour) in enumerate(HOLDING_COLUMNS)
        ],
    }
    return {
        "columns": [str(label) for _f, label, _c in HOLDING_COLUMNS],
        "rows": rows,
        "totals": totals,
        "chart": chart,
    }


def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    base = published().annotate(exit_total=Sum("exit_lines__tonnes", default=0))
    in_notice = _decorate(base.filter(state=S.NOTICE).order_by("notice_end", "code"), today)
    announced = _decorate(base.filter(state=S.ANNOUNCED).order_by("-announced_at", "-code"), today)
    other = _decorate(
        base.exclude(state__in=[S.NOTICE, S.ANNOUNCED]).order_by("-published_at", "-code"),
        today,
    )
    ledger = ledger_by_city()
    national = NationalCapacityFigure.objects.order_by("-as_of").first()
    active_total = ledger["totals"][0]
    context = {
        "in_notice": in_notice,
        "announced": announced,
        "other": other,
        "ledger": ledger,
        "national": national,
        "share_of_ceiling": (100 * active_total / national.ceiling_t) if national and national.ceiling_t else None,
        "today": today,
    }
    return render(request, "capacity/public/index.html", context)


class ObjectionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=60)
    organisation = forms.CharField(label=gettext_lazy("Organisation (optional)"), max_length=120, required=False)
    contact = forms.CharField(
        label=gettext_lazy("Telephone or e-mail"),
        max_length=120,
        help_text=gettext_lazy("The department contacts you here about its finding. It is not published."),
    )
    text = forms.CharField(
        label=gettext_lazy("Your objection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Which part of the scheme, and why; cite documents where you can. At most 5000 characters."
        ),
    )
    # A field people never see (hidden by CSS, skipped by keyboard and autofill): only scripts fill it.
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"


def _rate_key(addr: str | None) -> str:
    return f"capacity:objections:{addr or 'unknown'}"


def _rate_limited(addr: str | None) -> bool:
    return (cache.get(_rate_key(addr)) or 0) >= OBJECTIONS_PER_HOUR


def _count_filing(addr: str | None) -> None:
    key = _rate_key(addr)
    if not cache.add(key, 1, RATE_WINDOW_S):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RATE_WINDOW_S)


def _scheme_or_404(code: str) -> ReplacementScheme:
    return get_object_or_404(published(), code=code)


def scheme_detail(request: HttpRequest, code: str) -> HttpResponse:
    scheme = _scheme_or_404(code)
    today = timezone.localdate()
    is_open = services.notice_open(scheme, today)
    form = ObjectionForm()
    status = 200
    refusal = ""
    if request.method == "POST":
        addr = client_addr(request)
        form = ObjectionForm(request.POST)
        if not is_open:
            refusal, status = _("The public notice of this scheme has ended; objections are no longer accepted."), 409
        elif request.POST.get("website"):
            refusal, status = _("Your objection could not be accepted. Please contact the department directly."), 400
        elif _rate_limited(addr):
            refusal, status = (
                _(
                    "Too many objections have been filed from your network in the last hour. "
                    "Please try again later, or send your objection to the address below."
                ),
                429,
            )
        elif form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("name", "organisation", "contact", "text")}
            actor = request.user if request.user.is_authenticated else None
            try:
                objection = services.file_objection(actor, scheme, data, remote_addr=addr)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
                status = 400
            else:
                _count_filing(addr)
                request.session[RECEIPT_SESSION_KEY] = {
                    "scheme": scheme.code,
                    "receipt": receipt_number(objection),
                    "filed_at": objection.filed_at.isoformat(),
                }
                return redirect("capacity_public:objection-received", code=scheme.code)
        else:
            status = 400
    exit_lines = list(
        ExitLine.objects.filter(scheme=scheme).select_related(
            "indicator__owner__division", "indicator__unit__plant__division"
        )
    )
    exited = sum(line.tonnes for line in exit_lines)
    context = {
        "scheme": scheme,
        "status": _public_status(scheme),
        "exit_lines": exit_lines,
        "exit_total": exited,
        "ratio": _ratio(exited, scheme.capacity_t),
        "days_left": working_days_left(scheme, today) if scheme.state == S.NOTICE else 0,
        "notice_open": is_open,
        "form": form,
        "refusal": refusal,
        "rule_results": _public_rules(scheme),
    }
    return render(request, "capacity/public/scheme.html", context, status=status)


def _public_rules(scheme: ReplacementScheme) -> list[dict]:
    """The rules the scheme passed when it was published: title, citation, pass/fail, whether the
    reference row it was judged against is still unverified. The reasons stay on the signed-in side."""
    report = scheme.check_report or {}
    return [
        {
            "title": RULE_TITLES.get(r.get("code"), r.get("title", "")),
            "citation": r.get("citation", ""),
            "passed": bool(r.get("passed")),
            "unverified": bool(r.get("unverified")),
        }
        for r in report.get("results", [])
    ]


def receipt_number(objection) -> str:
    """The number a person quotes when asking about their objection: date filed and the record's id."""
    filed = timezone.localtime(objection.filed_at) if objection.filed_at else timezone.localtime()
    return f"YY{filed:%Y%m%d}-{objection.pk:05d}"


def objection_received(request: HttpRequest, code: str) -> HttpResponse:
    scheme = _scheme_or_404(code)
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt or receipt.get("scheme") != scheme.code:
        # The receipt belongs to the browser that filed the objection; anyone else goes to the scheme.
        return redirect("capacity_public:scheme", code=scheme.code)
    context = {
        "scheme": scheme,
        "receipt": receipt["receipt"],
        "filed_at": dt.datetime.fromisoformat(receipt["filed_at"]),
    }
    return render(request, "capacity/public/objection_received.html", context)


class NoticeFeed(Feed):
    """Atom feed of notices and announcements, newest first, for the portal and for subscribers."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return f"{settings.YOUSE_PROVINCE_NAME} " + _("Electrolytic aluminium capacity replacement: notices")

    def subtitle(self) -> str:
        return _("Replacement schemes in public notice (公示) and announced results (公告).")

    def link(self) -> str:
        return reverse("capacity_public:index")

    def items(self):
        return published().order_by("-published_at")[:50]

    def item_title(self, item: ReplacementScheme) -> str:
        kind = _("Announcement") if item.state == S.ANNOUNCED else _("Public notice")
        return f"[{kind}] {item.code} {item.title}"

    def item_description(self, item: ReplacementScheme) -> str:
        window = f"{item.notice_start:%Y-%m-%d} – {item.notice_end:%Y-%m-%d}" if item.notice_end else ""
        parts = [
            f"{item.applicant.name} · {item.site} · {item.main_equipment} · {item.capacity_t:,} t/a",
            _("Notice: %(window)s") % {"window": window} if window else "",
            str(PUBLIC_STATUS[S(item.state)][0]),
        ]
        if item.state == S.ANNOUNCED:
            parts.append(_("Announcement: %(doc)s") % {"doc": item.announcement_document})
        return " · ".join(p for p in parts if p)

    def item_link(self, item: ReplacementScheme) -> str:
        return reverse("capacity_public:scheme", kwargs={"code": item.code})

    def item_pubdate(self, item: ReplacementScheme):
        return item.published_at

    def item_updateddate(self, item: ReplacementScheme):
        return item.announced_at or item.published_at
