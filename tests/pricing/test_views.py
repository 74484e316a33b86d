"""The pricing pages per persona: the list with its chart and totals, the assessment with the arithmetic
and the department's adjustment, approval, the Excel export for the grid company, the enterprise's own
surcharge, direct trading and the calculator."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from youse.pricing import services
from youse.pricing.models import DirectTrading, SurchargeList

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted(smelters):
    lst = services.draft_list(smelters.p.department, 2022)
    smelters.lst = lst
    smelters.a = lst.assessments.get(enterprise=smelters.p.enterprise_a)
    smelters.b = lst.assessments.get(enterprise=smelters.p.enterprise_b)
    return smelters


def test_the_department_sees_the_list_with_totals_and_the_chart(drafted):
    p = drafted.p
    html = p.client("department").get("/pricing/?year=2022").content.decode()
    assert p.enterprise_a.name in html and p.enterprise_b.name in html
    assert f"/pricing/assessments/{drafted.a.pk}/" in html
    assert 'data-status="draft"' in html and "ys-pricing-data" in html and '"threshold": 13650.0' in html
    assert 'data-action="draft"' in html and 'data-action="approve"' in html
    assert "16,386,000.00" in html  # A's amount: 1,638,600,000 kWh × 0.01


def test_a_city_sees_its_smelters_and_a_provincial_unit_reads_all(drafted):
    p = drafted.p
    city = p.client("city").get("/pricing/?year=2022").content.decode()
    assert p.enterprise_a.name in city and p.enterprise_b.name not in city
    assert 'data-action="draft"' not in city and 'data-action="approve"' not in city
    hbt = p.client("environment").get("/pricing/?year=2022").content.decode()
    assert p.enterprise_a.name in hbt and p.enterprise_b.name in hbt and 'data-action="approve"' not in hbt
    assert p.client("city").get(f"/pricing/assessments/{drafted.b.pk}/").status_code == 404


def test_an_enterprise_sees_only_its_own_surcharge_with_the_arithmetic(drafted):
    p = drafted.p
    client = p.client("ent_a")
    assert client.get("/pricing/").url == "/pricing/mine/"
    html = client.get("/pricing/mine/").content.decode()
    assert p.enterprise_a.name not in html or p.enterprise_b.name not in html
    assert f"/pricing/assessments/{drafted.a.pk}/" in html and f"/pricing/assessments/{drafted.b.pk}/" not in html
    assert 'data-step="steps"' in html and "13655.0" in html
    page = client.get(f"/pricing/assessments/{drafted.a.pk}/").content.decode()
    assert 'data-step="threshold"' in page and 'data-action="adjust"' not in page
    assert client.get(f"/pricing/assessments/{drafted.b.pk}/").status_code == 404
    assert client.get(f"/pricing/lists/{drafted.lst.pk}/export/").status_code == 403
    assert client.post(f"/pricing/assessments/{drafted.a.pk}/", {"reason": "x"}).status_code == 403


def test_the_assessment_page_shows_each_step(drafted):
    p = drafted.p
    html = p.client("department").get(f"/pricing/assessments/{drafted.a.pk}/").content.decode()
    codes = "consumption rule_set threshold excess steps tier_surcharge renewable_share reduction surcharge_per_kwh"
    for code in (*codes.split(), "differential", "total_per_kwh", "electricity", "amount"):
        assert f'data-step="{code}"' in html, code
    assert "发改价格〔2021〕1239号" in html and "as reported" in html and "data-unverified" not in html
    excluded = p.client("department").get(f"/pricing/assessments/{drafted.b.pk}/").content.decode()
    assert 'data-step="excluded"' in excluded and "5 months" in excluded


def test_the_department_adjusts_with_a_reason(drafted):
    p = drafted.p
    client = p.client("department")
    url = f"/pricing/assessments/{drafted.a.pk}/"
    refused = client.post(url, {"audited_consumption": "13690", "category": "normal", "reason": ""})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    drafted.a.refresh_from_db()
    assert drafted.a.audited_consumption is None
    response = client.post(
        url, {"audited_consumption": "13690", "renewable_share": "", "category": "eliminated", "reason": "审计报告"}
    )
    assert response.status_code == 302
    drafted.a.refresh_from_db()
    assert drafted.a.audited_consumption == Decimal("13690") and drafted.a.surcharge_per_kwh == Decimal("0.3200")
    html = client.get(url).content.decode()
    assert "审计报告" in html and "audited by the inspectorate" in html and "data-unverified" in html
    assert p.client("city").post(url, {"reason": "x", "category": "normal"}).status_code == 403


def test_approval_makes_the_list_final(drafted):
    p = drafted.p
    client = p.client("department")
    url = f"/pricing/lists/{drafted.lst.pk}/approve/"
    assert client.get(url).status_code == 405
    assert p.client("city").post(url, {"document": "x"}).status_code == 403
    client.post(url, {"document": ""})
    assert SurchargeList.objects.get().status == "draft"
    assert client.post(url, {"document": "陕工信发〔2022〕10号"}).url == "/pricing/?year=2022"
    lst = SurchargeList.objects.get()
    assert lst.status == "approved" and lst.document == "陕工信发〔2022〕10号"
    html = client.get("/pricing/?year=2022").content.decode()
    assert 'data-action="approve"' not in html and 'data-action="draft"' not in html and "陕工信发〔2022〕10号" in html
    assert 'data-action="adjust"' not in client.get(f"/pricing/assessments/{drafted.a.pk}/").content.decode()


def test_the_department_drafts_from_the_page(smelters):
    p = smelters.p
    client = p.client("department")
    assert client.get("/pricing/draft/").status_code == 405
    assert p.client("environment").post("/pricing/draft/", {"year": "2022"}).status_code == 403
    response = client.post("/pricing/draft/", {"year": "2022"}, follow=True)
    assert "drafted from the statistics: 2 smelters" in response.content.decode()
    response = client.post("/pricing/draft/", {"year": "2025"}, follow=True)
    assert "No accepted reports of electrolytic aluminium output in 2024" in response.content.decode()


def test_the_excel_export_for_the_grid_company(drafted):
    p = drafted.p
    services.approve_list(p.department, drafted.lst, document="陕工信发〔2022〕10号")
    response = p.client("department").get(f"/pricing/lists/{drafted.lst.pk}/export/")
    assert response.status_code == 200 and "2022" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = {row[0]: row[1] for row in values[:7] if row and row[0]}
    assert header["Year the price applies"] == 2022
    assert "1239-2022" in header["Rule set"] and "发改价格〔2021〕1239号" in header["Rule set"]
    assert header["Approval document"] == "陕工信发〔2022〕10号"
    start = next(i for i, row in enumerate(values) if row[0] == "Smelter")
    rows = {row[0]: row for row in values[start + 1 :] if row[0] in (p.enterprise_a.name, p.enterprise_b.name)}
    a = rows[p.enterprise_a.name]
    assert isinstance(a[3], float | int | Decimal) and Decimal(str(a[3])) == Decimal("13655")
    assert Decimal(str(a[12])) == Decimal("0.01") and Decimal(str(a[14])) == Decimal("16386000")
    assert rows[p.enterprise_b.name][6] == "yes"
    total = next(row for row in values if row[0] == "Total")
    assert Decimal(str(total[14])) == Decimal("16386000")
    assert any(row[0] == "发改价格〔2021〕1239号" for row in values[start:])
    city = load_workbook(io.BytesIO(p.client("city").get(f"/pricing/lists/{drafted.lst.pk}/export/").content)).active
    names = [row[0] for row in city.iter_rows(values_only=True)]
    assert p.enterprise_a.name in names and p.enterprise_b.name not in names


def test_direct_trading_overview_and_form(smelters):
    p = smelters.p
    client = p.client("department")
    html = client.get("/pricing/trading/?year=2023").content.decode()
    assert 'data-action="record"' in html
    bad = client.post(
        "/pricing/trading/?year=2023",
        {"enterprise": p.enterprise_a.pk, "year": "2023", "direct_share": "30"},
    )
    assert bad.status_code == 200 and "needs direct trading ticked" in bad.content.decode()
    response = client.post(
        "/pricing/trading/",
        {
            "enterprise": p.enterprise_a.pk,
            "year": "2023",
            "trades_directly": "on",
            "direct_share": "30",
            "integrated": "on",
        },
    )
    assert response.status_code == 302
    row = DirectTrading.objects.get()
    assert (row.direct_share, row.integrated) == (Decimal(30), True)
    city = p.client("city").get("/pricing/trading/?year=2023").content.decode()
    assert p.enterprise_a.name in city and 'data-action="record"' not in city and "ys-trading-data" in city
    assert p.client("city").post("/pricing/trading/", {"enterprise": p.enterprise_a.pk}).status_code == 403
    assert p.client("ent_a").get("/pricing/trading/").status_code == 403


def test_the_calculator_computes_as_the_cli_does(personas):
    client = personas.client("city")
    html = client.get(
        "/pricing/calculator/?year=2022&consumption=13700&renewable_share=20&incentive_weight=16"
        "&electricity_kwh=1000000&category=normal&months=12"
    ).content.decode()
    assert "0.0288" in html and "28800.00" in html and 'data-step="reduction"' in html
    refused = client.get("/pricing/calculator/?year=2010&consumption=13700&category=normal&months=12")
    assert "No surcharge rule set is in force in 2010" in refused.content.decode()
    bad = client.get("/pricing/calculator/?year=2022&consumption=13700&renewable_share=150&category=normal&months=12")
    assert "is-invalid" in bad.content.decode()
    assert personas.client("ent_a").get("/pricing/calculator/").status_code == 403
