"""Open data: the published figures only, stable columns, versions that follow the rows, and the CSV, Excel
and JSON forms agreeing with each other."""

import csv
import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.portal.portal_fixtures import bulletin
from youse.portal import opendata


def test_indicators_come_from_the_current_published_bulletins_only(world):
    ds = opendata.indicators()
    assert {r["bulletin"] for r in ds.rows} == {"2020-05 v1", "2020-06 v2"}
    assert [c.key for c in ds.columns][:3] == ["bulletin", "period", "scope"]
    assert all(r["value"] != "999.99" for r in ds.rows)
    assert ds.as_of.isoformat() == "2020-06-17"  # v2 published two days after the 15th


def test_one_bulletins_indicators(world):
    import datetime as dt

    ds = opendata.indicators(dt.date(2020, 5, 1))
    assert {r["bulletin"] for r in ds.rows} == {"2020-05 v1"}


def test_the_version_changes_with_the_rows_and_only_with_them(world):
    before = opendata.indicators().version
    assert opendata.indicators().version == before
    bulletin("2020-08")
    after = opendata.indicators().version
    assert after != before and after.startswith("2020.08.16-")


def test_bulletin_tables_become_datasets_over_the_months(world):
    tables = opendata.bulletin_tables()
    by_city = tables["bulletin-by-city"]
    assert [c.key for c in by_city.columns] == ["month", "city", "output"]
    assert [r["month"] for r in by_city.rows] == ["2020-05"] * 3 + ["2020-06"] * 3


def test_closures_are_listed_only_when_announced(personas):
    from tests.enforcement.conftest import Enforcement
    from tests.enforcement.test_closure_views import decided_closure
    from youse.enforcement import services

    closure = decided_closure(Enforcement(personas), personas)
    assert opendata.closures().rows == []  # decided, not yet announced
    announcement = services.draft_announcement(personas.department, "closure", closure=closure)
    services.publish_announcement(personas.department, announcement)
    (row,) = opendata.closures().rows
    assert row["enterprise"] == personas.enterprise_a.name and row["city_code"] == "610800"
    assert row["decided_on"] == closure.decided_on and row["announcement"].endswith(f"/{announcement.pk}/")


def test_the_credit_list_holds_the_published_editions_included_enterprises_only(world):
    ds = opendata.credit_list()
    published = world.credit_list.entries.filter(included=True)
    assert sorted(r["credit_code"] for r in ds.rows) == sorted(e.credit_code for e in published)
    assert {r["year"] for r in ds.rows} <= {2025}
    assert world.credit_list.entries.filter(included=False).count() + published.count() >= 2


def test_csv_excel_and_json_agree(world):
    client = Client()
    ds = opendata.indicators()
    response = client.get(reverse("portal:download", args=["indicators", "csv"]))
    assert response["Content-Disposition"].endswith(f'filename="youse-indicators-{ds.version}.csv"')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(ds.rows) and rows[0]["scope_label"] == "陕西省"

    book = load_workbook(io.BytesIO(client.get(reverse("portal:download", args=["indicators", "xlsx"])).content))
    data = list(book["data"].iter_rows(values_only=True))
    assert list(data[0]) == [c.key for c in ds.columns] and len(data) == 2 + len(ds.rows)
    assert data[2][6] == 88.4  # value, as a number
    meta = {row[0]: row[1] for row in book["dictionary"].iter_rows(values_only=True) if row and row[0]}
    assert meta["版本"] == ds.version  # an anonymous download is in Chinese, like the public pages

    api = client.get("/api/v1/public/datasets/indicators").json()
    assert api["version"] == ds.version and len(api["rows"]) == len(rows)
    assert api["rows"][0]["value"] == rows[0]["value"]


def test_unknown_datasets_and_formats_are_404(world):
    client = Client()
    assert client.get("/public/data/secret.csv").status_code == 404
    assert client.get("/public/data/indicators.exe").status_code == 404
    assert client.get("/public/data/indicators.csv", {"bulletin": "June"}).status_code == 404
    assert client.get("/api/v1/public/datasets/secret").status_code == 404


def test_the_catalogue_and_dictionary_list_every_dataset(world):
    client = Client()
    html = client.get(reverse("portal:open-data")).content.decode()
    dictionary = client.get(reverse("portal:dictionary")).content.decode()
    for ds in opendata.catalogue():
        assert f'data-dataset="{ds.key}"' in html and ds.version in html
        assert f'data-dictionary="{ds.key}"' in dictionary
    assert {d["key"] for d in client.get("/api/v1/public/datasets").json()} == {ds.key for ds in opendata.catalogue()}


def test_the_catalogue_follows_a_publication_at_once(world, personas):
    from youse.portal.bulletin import services

    before = {ds.key: ds.version for ds in opendata.catalogue()}
    services.publish_bulletin(personas.department, world.july_draft)
    after = {ds.key: ds.version for ds in opendata.catalogue()}
    assert after["indicators"] != before["indicators"]
    assert "2020-07 v1" in {r["bulletin"] for r in opendata.get("indicators").rows}
