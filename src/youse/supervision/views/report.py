"""The supervision report for a chosen period: as a page and as a Word document for the provincial
government (document.py)."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from youse.supervision import document, report
from youse.supervision.views.common import badge, render_page, viewer


def _period(request: HttpRequest) -> tuple[int, int]:
    text = request.GET.get("period", "")
    try:
        start, end = (int(x) for x in text.split("-", 1))
    except ValueError:
        return report.DEFAULT_PERIODS[0]
    return (start, end) if 2000 <= start <= end <= 2100 else report.DEFAULT_PERIODS[0]


@viewer("supervision.report")
def report_page(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    rep = report.build(start, end, timezone.localdate())
    for section in rep.tasks + rep.cities:
        section.badge = badge(section.status)
        for row in section.rows:
            row.badge = badge(row.status)
    periods = [f"{a}-{b}" for a, b in report.DEFAULT_PERIODS]
    return render_page(
        request, "supervision/report.html", {"report": rep, "periods": periods, "period": f"{start}-{end}"}
    )


@viewer("supervision.report")
def report_docx(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    rep = report.build(start, end, timezone.localdate())
    response = HttpResponse(
        document.render(rep),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="supervision-report-{start}-{end}.docx"'
    return response
