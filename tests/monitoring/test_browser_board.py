"""The monitoring board updates live in a real browser. The HJ 212 gateway runs in process on a free port
and stores into the test database; the data-logger simulator plays the registered point against it. The
department opens the board before anything has arrived: the point's card says it has no data; then, without
the page being reloaded, htmx polling brings the first real-time readings and then newer ones."""

import asyncio
import threading

import pytest
from django.db import connections
from django.urls import reverse

from tests.browser import browser_page, shot, sign_in  # noqa: F401  (the fixture)
from tests.conftest import Personas
from youse.monitoring import views
from youse.monitoring.hj212 import simulator
from youse.monitoring.hj212.gateway import DjangoStore, Gateway, Limits
from youse.monitoring.hj212.journal import Journal
from youse.monitoring.models import Reading
from youse.monitoring.services import create_point

POLL_SECONDS = 1


class ClosingStore(DjangoStore):
    """The gateway's store, closing the writer thread's connection after each batch so that none is left
    open when the thread ends (PostgreSQL could not drop the test database)."""

    def write(self, records, decoded=None):
        try:
            return super().write(records, decoded)
        finally:
            connections.close_all()


class GatewayAndSimulator:
    """The gateway and one simulated logger on an event loop of their own, in a background thread."""

    def __init__(self, journal_dir, devices: list[simulator.Device]) -> None:
        self.journal_dir = journal_dir
        self.devices = devices
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_event: asyncio.Event | None = None
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="hj212-gateway-and-simulator", daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to the test thread
            self.error = exc
            self.ready.set()

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stop_event = asyncio.Event()
        journal = Journal(self.journal_dir)
        gateway = Gateway(journal, ClosingStore(), Limits())
        try:
            (host, port), *_ = await gateway.start(("127.0.0.1", 0))
            self.ready.set()
            await simulator.simulate(self.devices, host, port, {"rate": 2, "seed": 7}, self.stop_event)
        finally:
            await gateway.stop()
            journal.close()

    def __enter__(self) -> "GatewayAndSimulator":
        self.thread.start()
        assert self.ready.wait(10), "the gateway did not start"
        if self.error:
            raise self.error
        return self

    def __exit__(self, *exc) -> None:
        if self.loop and self.stop_event:
            self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(15)
        assert not self.thread.is_alive(), "the gateway and simulator did not stop"
        if self.error:
            raise self.error


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_monitoring_board_updates_live_from_the_simulator(browser_page, live_server, tmp_path, monkeypatch):  # noqa: F811
    # The board polls every 10 s; a second is enough to see it work and keeps the test short.
    monkeypatch.setattr(views, "POLL_SECONDS", POLL_SECONDS)
    base = live_server.url
    personas = Personas()
    point = create_point(
        personas.department,
        {
            "plant": personas.plant_a,
            "mn": "88888880000001",
            "pw": "123456",
            "name": "1# 电解烟气",
            "outlet": "DA001",
            "medium": "gas",
            "standard": "GB 25465-2010",
            "plant_type": "电解铝",
        },
    )
    devices = simulator.registered_devices()
    assert [d.mn for d in devices] == [point.mn]

    page = browser_page
    sign_in(page, base, personas.department.username, reverse("monitoring:board"))
    card = page.locator(f"#board-cards section[data-point='{point.pk}']")
    assert card.locator("table").count() == 0  # "the data logger has not reported yet"
    shot(page, "1-no-data")
    # A mark on the window: it survives htmx swaps, not a reload.
    page.evaluate("window.ysNotReloaded = true")

    with GatewayAndSimulator(tmp_path / "journal", devices):
        # The first real-time readings arrive on the board by polling.
        card.locator("tr[data-factor]").first.wait_for(timeout=20_000)
        factors = set(card.locator("tr[data-factor]").evaluate_all("rows => rows.map(r => r.dataset.factor)"))
        assert factors, "no factor rows on the card"
        first_time = card.locator("h2 > span.ms-auto").inner_text()
        shot(page, "2-first-readings")
        # Newer readings replace them at the next polls: the card's data time moves on.
        page.wait_for_function(
            "([sel, before]) => { const e = document.querySelector(sel); return e && e.innerText.trim() !== before; }",
            arg=[f"#board-cards section[data-point='{point.pk}'] h2 > span.ms-auto", first_time.strip()],
            timeout=20_000,
        )
        shot(page, "3-newer-readings")
    assert page.evaluate("window.ysNotReloaded === true"), "the page was reloaded"
    stored = set(Reading.objects.filter(point=point, kind="rtd").values_list("factor", flat=True))
    assert factors <= stored
