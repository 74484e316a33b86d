"""Browser tests drive the system Chromium (installed from the distribution, never downloaded) through
Python playwright. A test asks for `browser_page` and pytest-django's `live_server`:

    from tests.browser import browser_page  # noqa: F401  (the fixture)

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_it_works_in_a_browser(browser_page, live_server): ...

Without /usr/bin/chromium the test is skipped and says why; CI installs it (.ci/run), so there it runs."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
# Quiet, headless and self-contained: no sandbox (containers), no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1360, "height": 900}
TIMEOUT_MS = 15_000


@pytest.fixture
def browser_page(monkeypatch) -> Iterator:
    """A fresh page in a fresh browser context (no cookies: an anonymous visitor, Chinese first)."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser test: no system Chromium at {CHROMIUM} (apt install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would then refuse the test's own
    # ORM calls as "async unsafe". The test thread never runs coroutines of its own, so the check is moot.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # Under playwright's sync API the test body runs with other context variables than
            # pytest-django's setup, so asgiref hands it database connections of its own: close them, or
            # PostgreSQL cannot drop the test database at the end of the session.
            connections.close_all()
