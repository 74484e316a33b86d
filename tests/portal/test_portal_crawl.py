"""Public means published (principle 7): with unpublished rows of every kind in the database, a visitor
who follows every link of the portal from its home page meets none of them, and no link is broken."""

import re
from urllib.parse import urldefrag, urlsplit

from django.test import Client

from tests.portal.portal_fixtures import UNPUBLISHED

PUBLIC_PREFIXES = ("/public/", "/api/v1/public/")
LINK = re.compile(r'href="([^"]+)"')
MAX_PAGES = 400


def crawl(client: Client, start: str) -> dict[str, str]:
    """Every public page reachable from `start`, by path: its decoded body (binary downloads: "")."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        kind = response.get("Content-Type", "")
        readable = kind.startswith(("text/", "application/json", "application/atom+xml"))
        body = response.content.decode("utf-8-sig") if readable else ""
        seen[url] = body
        if "html" not in kind:
            continue
        for href in LINK.findall(body):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith(PUBLIC_PREFIXES):
                continue
            if href not in seen:
                queue.append(href)
    return seen


def test_no_unpublished_row_is_reachable_from_the_portal(world):
    pages = crawl(Client(), "/public/")
    assert len(pages) > 10
    assert any("/public/capacity/schemes/" in url for url in pages)
    assert any("/public/enforcement/" in url for url in pages)
    assert any(url.startswith("/public/bulletins/2020-06/") for url in pages)
    assert f"/public/credit/{world.credit_list.pk}/" in pages
    for url, body in pages.items():
        assert UNPUBLISHED not in body, url
        assert world.draft_scheme.code not in body and world.submitted.code not in body, url
        assert "999.99" not in body, url  # the draft bulletin's headline figure
    assert not any(url.startswith("/public/bulletins/2020-07") for url in pages)


def test_unpublished_rows_are_404_at_their_would_be_addresses(world):
    client = Client()
    assert client.get(f"/public/capacity/schemes/{world.draft_scheme.code}/").status_code == 404
    assert client.get(f"/public/capacity/schemes/{world.submitted.code}/").status_code == 404
    assert client.get(f"/public/enforcement/{world.draft_announcement.pk}/").status_code == 404
    assert client.get("/public/bulletins/2020-07/").status_code == 404
    assert client.get("/public/bulletins/2020-07/v1/pdf/").status_code == 404
    assert client.get(f"/public/credit/{world.credit_draft.pk}/").status_code == 404
