"""The public API: no credentials needed, published rows only, filters checked."""

from django.test import Client

from tests.portal.portal_fixtures import UNPUBLISHED


def test_it_answers_without_credentials_and_shows_published_items_only(world):
    body = Client().get("/api/v1/public/announcements").json()
    kinds = {i["kind"] for i in body}
    assert {"notice", "announcement", "bulletin"} <= kinds
    assert all(UNPUBLISHED not in i["title"] + i["summary"] for i in body)
    notice = next(i for i in body if i["kind"] == "notice")
    assert notice["objections_open"] and notice["closes_on"]


def test_it_filters_and_pages(world):
    client = Client()
    every = client.get("/api/v1/public/announcements").json()
    assert [i["kind"] for i in client.get("/api/v1/public/announcements?kind=bulletin").json()] == ["bulletin"] * 2
    assert client.get("/api/v1/public/announcements?limit=1&offset=1").json() == every[1:2]


def test_it_refuses_bad_filters_with_the_field_named(world):
    client = Client()
    response = client.get("/api/v1/public/announcements?kind=secret")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    response = client.get("/api/v1/public/announcements?since=yesterday")
    assert response.status_code == 400
    assert client.get("/api/v1/public/announcements?limit=100000").status_code == 400


def test_bulletins_are_the_current_published_versions(world):
    body = Client().get("/api/v1/public/bulletins").json()
    assert [(b["month"], b["version"]) for b in body] == [("2020-06", 2), ("2020-05", 1)]
    assert body[0]["url"].endswith("/2020-06/v2/")


def test_credentials_are_not_looked_at_and_change_nothing(world, personas):
    """The public part answers the same to everyone: a wrong token is not an error here, and a signed-in
    department session sees no draft."""
    anonymous = Client().get("/api/v1/public/bulletins").json()
    assert Client().get("/api/v1/public/bulletins", HTTP_AUTHORIZATION="Bearer ys_wrong").json() == anonymous
    assert personas.client("department").get("/api/v1/public/bulletins").json() == anonymous
