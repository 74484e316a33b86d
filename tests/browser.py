"""Browser tests drive the system Chromium (installed from the distribution, never downloaded) through
Python playwright. A test asks for `browser_page` and pytest-django's `live_server`:

    from tests.browser import browser_page, shot  # noqa: F401  (the fixture)

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_it_works_in_a_browser(browser_page, live_server):
        ...
        shot(browser_page, "1-home")  # var/screenshots/test_it_works_in_a_browser-1-home.png

Every page of the test's browser (the fixture's and those opened with `fresh_page`) is watched: an error on
its console or an uncaught exception fails the test when it ends. A test that expects one opts out:

    @pytest.mark.parametrize("browser_page", [{"console_errors": "allowed"}], indirect=True)

and may read what was seen with `console_errors(page)`.

Screenshots go to one folder, `var/screenshots/` of the repository (YOUSE_SCREENSHOTS overrides), which CI
keeps as artefacts. Without /usr/bin/chromium the test is skipped and says why; CI installs it (.ci/run)."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

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
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000
REPOSITORY = Path(__file__).resolve().parent.parent

# The errors seen by each running browser's pages, by the browser's id (one browser per test).
_ERRORS: dict[int, list[str]] = {}


def screenshot_folder() -> Path:
    folder = Path(os.environ.get("YOUSE_SCREENSHOTS") or REPOSITORY / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _test_name() -> str:
    # "tests/capacity/test_browser.py::test_the_public_notice_end_to_end (call)"
    current = os.environ.get("PYTEST_CURRENT_TEST", "browser").split("::")[-1].split(" ")[0]
    return re.sub(r"[^\w.-]+", "_", current)


def shot(target, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot of a page (the whole page unless told) or of a locator's element, as
    `<screenshot folder>/<test>-<name>.png`, and return its path."""
    path = screenshot_folder() / f"{_test_name()}-{name}.png"
    if hasattr(target, "goto"):
        target.screenshot(path=str(path), full_page=full_page)
    else:
        target.screenshot(path=str(path))
    return path


def _watch(page, errors: list[str]) -> None:
    page.on("console", lambda m: errors.append(f"console: {m.text} ({page.url})") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e} ({page.url})"))


def console_errors(page) -> list[str]:
    """What the pages of `page`'s browser have reported as errors so far."""
    return list(_ERRORS.get(id(page.context.browser), []))


def fresh_page(page, viewport: dict | None = None):
    """Another visitor: a new browser context of the same Chromium, without the first one's cookies, watched
    for console errors like the fixture's page."""
    context = page.context.browser.new_context(viewport=viewport or VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    new = context.new_page()
    _watch(new, _ERRORS.setdefault(id(page.context.browser), []))
    return new


def sign_in(page, base: str, username: str, then: str, password: str | None = None) -> None:
    """Through the real sign-in form, which sends the user on to `then`."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}{reverse('login')}?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", password or PASSWORD)
    page.locator("form:has(#id_username) button").click()
    page.wait_for_url(f"{base}{then}")


@pytest.fixture
def browser_page(request, monkeypatch) -> Iterator:
    """A fresh page in a fresh browser context (no cookies: an anonymous visitor, Chinese first)."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser test: no system Chromium at {CHROMIUM} (apt install chromium)")
    from playwright.sync_api import sync_playwright

    allowed = getattr(request, "param", {}).get("console_errors") == "allowed"
    # Playwright's sync API keeps an event loop in this thread; Django would then refuse the test's own
    # ORM calls as "async unsafe". The test thread never runs coroutines of its own, so the check is moot.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        errors = _ERRORS.setdefault(id(browser), [])
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        _watch(page, errors)
        try:
            yield page
        finally:
            for other in browser.contexts:
                other.close()
            browser.close()
            _ERRORS.pop(id(browser), None)
            # Under playwright's sync API the test body runs with other context variables than
            # pytest-django's setup, so asgiref hands it database connections of its own: close them, or
            # PostgreSQL cannot drop the test database at the end of the session.
            connections.close_all()
        if errors and not allowed:
            pytest.fail("the browser reported errors:\n" + "\n".join(errors), pytrace=False)
