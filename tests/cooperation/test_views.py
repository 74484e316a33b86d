"""The cooperation pages as each persona: the list in scope with its totals and charts, the Excel export
(parsed back), the project page and its forms shown only to those who may act, the steps taken from
them, and the draft form."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from youse.cooperation.models import OverseasProject

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("department", {"a", "b", "draft"}),
        ("environment", {"a", "b", "draft"}),
        ("city", {"a", "draft"}),
        ("ent_a", {"a", "draft"}),
        ("ent_b", {"b"}),
    ],
)
def test_the_list_shows_the_projects_in_scope(projects, personas, name, sees):
    response = personas.client(name).get(reverse("cooperation:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("a", "b", "draft"):
        code = getattr(projects, key).code
        assert (f'data-project="{code}"' in html) is (key in sees), (name, key)
    assert response.context["totals"]["projects"] == len(sees)
    for key in ("a", "b"):
        status = personas.client(name).get(reverse("cooperation:detail", args=[getattr(projects, key).pk])).status_code
        assert status == (200 if key in sees else 404)


def test_anonymous_is_sent_to_sign_in(projects, personas):
    for url in (reverse("cooperation:list"), reverse("cooperation:detail", args=[projects.a.pk])):
        response = personas.client("anonymous").get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_filters_and_charts(projects, personas):
    client = personas.client("department")
    response = client.get(reverse("cooperation:list") + "?country=VN")
    assert [p.pk for p in response.context["projects"]] == [projects.b.pk]
    chart = client.get(reverse("cooperation:list")).context["chart"]
    assert set(chart["countries"]["categories"]) == {"哈萨克斯坦", "越南"}
    assert chart["modes"]["data"][0]["value"] == 14400.0
    response = client.get(reverse("cooperation:list") + "?country=ZZ")
    assert response.status_code == 200 and "Host country: Select a valid choice" in response.content.decode()


def test_the_excel_export_parses_back_with_the_filtered_rows(projects, personas):
    response = personas.client("city").get(reverse("cooperation:export") + "?filing=filed")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Number")
    data = [r for r in rows[header + 1 :] if r and r[0] and str(r[0]).startswith("JW-")]
    assert [r[0] for r in data] == [projects.a.code]
    titles = rows[header]
    assert data[0][titles.index("Total investment (万美元)")] == 12000
    assert data[0][titles.index("ISO 3166 code")] == "KZ"
    assert "Kazakh Aluminium JSC" in data[0][titles.index("Foreign partners")]


def test_the_forms_appear_only_for_those_who_may_act(projects, personas):
    def actions(name, project):
        html = personas.client(name).get(reverse("cooperation:detail", args=[project.pk])).content.decode()
        return {a for a in ("submit", "file", "return", "progress", "review", "flag") if f'data-action="{a}"' in html}

    assert actions("department", projects.a) == {"progress", "review", "flag"}
    assert actions("ent_a", projects.a) == {"progress"}
    assert actions("city", projects.a) == {"progress"}
    assert actions("environment", projects.a) == set()
    assert actions("ent_a", projects.draft) == {"submit"}
    assert actions("department", projects.draft) == {"submit"}


def test_the_steps_from_the_page(projects, personas):
    ent, dep = personas.client("ent_a"), personas.client("department")
    draft = projects.draft
    assert ent.post(reverse("cooperation:submit", args=[draft.pk])).status_code == 302
    response = dep.post(reverse("cooperation:return", args=[draft.pk]), {"reason": ""})
    assert response.status_code == 400
    dep.post(reverse("cooperation:return", args=[draft.pk]), {"reason": "请补充商务厅证书"})
    draft.refresh_from_db()
    assert draft.filing == "returned"
    assert ent.get(reverse("cooperation:edit", args=[draft.pk])).status_code == 200
    ent.post(reverse("cooperation:submit", args=[draft.pk]))
    dep.post(reverse("cooperation:file", args=[draft.pk]), {"note": ""})
    draft.refresh_from_db()
    assert draft.filing == "filed"
    today = timezone.localdate()
    response = ent.post(reverse("cooperation:progress", args=[draft.pk]), {"status": "operating", "on": today})
    assert response.status_code == 400 and "cannot go from" in response.content.decode()
    ent.post(reverse("cooperation:progress", args=[draft.pk]), {"status": "planned", "on": today, "invested": "100"})
    draft.refresh_from_db()
    assert draft.invested == 100
    review = {
        "year": 2025,
        "reviewed_on": today,
        "reviewer": "对外合作处",
        "risk_level": "high",
        "findings": "风险上升",
    }
    assert ent.post(reverse("cooperation:review", args=[draft.pk]), review).status_code == 403
    dep.post(reverse("cooperation:review", args=[draft.pk]), review)
    dep.post(reverse("cooperation:flag", args=[draft.pk]), {"flagged": "1", "reason": "关注"})
    draft.refresh_from_db()
    assert draft.risk_level == "high" and draft.flagged
    html = ent.get(reverse("cooperation:detail", args=[draft.pk])).content.decode()
    assert html.count('data-entry="review"') == 1 and "data-flag-reason" in html
    assert personas.client("ent_b").post(reverse("cooperation:flag", args=[draft.pk]), {}).status_code == 404


def test_the_draft_form_registers_a_project_with_partners(personas):
    data = {
        "enterprise": personas.enterprise_a.pk,
        "name": "老挝钾盐配套镁冶炼项目",
        "country": "LA",
        "metal": "Mg",
        "stage": "smelting",
        "mode": "holding",
        "equity_share": "70",
        "total_investment": "8000",
        "status": "planned",
        "risk_level": "medium",
        "signed_on": dt.date(2024, 1, 5),
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-0-side": "foreign",
        "partners-0-name": "Lao Potash Co.",
        "partners-0-role": "合资方",
        "partners-1-side": "",
        "partners-1-name": "",
        "partners-1-role": "",
    }
    client = personas.client("city")
    response = client.post(reverse("cooperation:create"), {**data, "equity_share": "40"})
    assert response.status_code == 200 and "Holding control" in response.content.decode()
    assert not OverseasProject.objects.exists()
    response = client.post(reverse("cooperation:create"), data)
    project = OverseasProject.objects.get()
    assert response.status_code == 302 and project.partners.get().name == "Lao Potash Co."
    assert personas.client("environment").get(reverse("cooperation:create")).status_code == 403
    assert personas.client("ent_b").get(reverse("cooperation:edit", args=[project.pk])).status_code == 404
