"""The demo's monitoring points: one flue-gas stack per smelting plant of the metals the emission standards
cover (and a wastewater outlet at lead and zinc smelters), registered by the environment department through
monitoring.services.create_point, as a person would.

Each point names the standard and plant type of the Limit rows that apply (FACTS.md: GB 25465-2010
aluminium, GB 25466-2010 lead-zinc, GB 25468-2010 magnesium-titanium, GB 26452-2011 vanadium, GB 16297
for molybdenum roasting, which has no smelting standard of its own). MN and PW are drawn from the seed, so
a rebuilt demo answers to the same simulated loggers; every seventh point's logger signs with
CRC-16/MODBUS, a vendor habit the point is registered to accept."""

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from youse.core.models import User
from youse.monitoring import alarms
from youse.monitoring import services as monitoring_services
from youse.monitoring.hj212 import codec, simulator
from youse.monitoring.hj212.journal import KIND_FRAME, Record
from youse.monitoring.hj212.store import Store
from youse.monitoring.models import MonitoringPoint
from youse.registry.models import Plant, ProductionUnit


@dataclass(frozen=True)
class Outlet:
    standard: str
    plant_type: str
    outlet: str  # the outlet as the discharge permit names it
    name: str
    medium: str = "gas"


# Metal of the plant's smelting line -> its outlets. Standard and plant type are the strings the Limit rows
# carry (monitoring/reference_data.py: "电解铝", "铅锌冶炼"); magnesium, titanium, vanadium and molybdenum
# name their standards in the same style, ready for the rows the environment department adds.
OUTLETS: dict[str, tuple[Outlet, ...]] = {
    "Al": (Outlet("GB 25465-2010", "电解铝", "电解烟气净化排放口 DA001", "电解烟囱"),),
    "Pb": (
        Outlet("GB 25466-2010", "铅锌冶炼", "冶炼烟气制酸尾气排放口 DA001", "制酸尾气烟囱"),
        Outlet("GB 25466-2010", "铅锌冶炼", "废水总排放口 DW001", "废水总排口", "water"),
    ),
    "Zn": (
        Outlet("GB 25466-2010", "铅锌冶炼", "焙烧烟气制酸尾气排放口 DA001", "制酸尾气烟囱"),
        Outlet("GB 25466-2010", "铅锌冶炼", "废水总排放口 DW001", "废水总排口", "water"),
    ),
    "Mg": (Outlet("GB 25468-2010", "镁冶炼", "还原炉烟气排放口 DA001", "还原炉烟囱"),),
    "Ti": (Outlet("GB 25468-2010", "钛冶炼", "氯化尾气排放口 DA001", "氯化尾气烟囱"),),
    "V": (Outlet("GB 26452-2011", "钒冶炼", "焙烧窑烟气排放口 DA001", "焙烧窑烟囱"),),
    "Mo": (Outlet("GB 16297-1996", "钼焙烧", "多膛炉焙烧烟气排放口 DA001", "焙烧烟囱"),),
}
MODBUS_EVERY = 7


def mn_for(seed: int, plant: Plant, index: int) -> str:
    """24 characters: province 61, the plant's division code, a running number and a digest."""
    digest = hashlib.sha256(f"{seed}:{plant.pk}:{plant.name}:{index}".encode()).hexdigest().upper()
    code = (plant.division.code or "610000")[:6]
    return f"61{code}YS{index:04d}{digest}"[:24]


def pw_for(seed: int, mn: str) -> str:
    return f"{int(hashlib.sha256(f'{seed}:pw:{mn}'.encode()).hexdigest(), 16) % 1_000_000:06d}"


def smelting_plants() -> list[tuple[Plant, str]]:
    """Each plant with a smelting line of a metal in OUTLETS, with that metal, in a stable order."""
    rows = (
        ProductionUnit.objects.filter(stage__code="smelting", metal__code__in=list(OUTLETS))
        .exclude(status__in=["planned", "exited"])
        .values_list("plant_id", "metal__code")
        .order_by("plant_id", "metal__order", "pk")
    )
    first: dict[int, str] = {}
    for plant_id, metal in rows:
        first.setdefault(plant_id, metal)
    plants = Plant.objects.select_related("division", "enterprise").in_bulk(list(first))
    return [(plants[pk], first[pk]) for pk in sorted(first)]


def build(actor: User, seed: int, history: bool = True) -> list[MonitoringPoint]:
    """Register the demo's points; `actor` holds monitoring.manage (the environment department). With
    `history`, give them the recent readings and alarms of build_history."""
    created = []
    index = 0
    for plant, metal in smelting_plants():
        for outlet in OUTLETS[metal]:
            index += 1
            mn = mn_for(seed, plant, index)
            data = {
                "plant": plant,
                "mn": mn,
                "pw": pw_for(seed, mn),
                "name": outlet.name,
                "outlet": outlet.outlet,
                "medium": outlet.medium,
                "standard": outlet.standard,
                "plant_type": outlet.plant_type,
                "special_limits": False,
                "accepted_crc": ["modbus"] if index % MODBUS_EVERY == 0 else [],
                "expected_interval_s": 60,
            }
            created.append(monitoring_services.create_point(actor, data, reason="示例数据"))
    if history and created:
        build_history(seed, created)
    return created


# --- A recent history, as the loggers would have reported it ------------------------------------------

HISTORY_DAYS = 7  # hourly data (CN 2061) of this many days before the current hour
MINUTE_HOURS = 3  # minute data (CN 2051) of this many hours up to the last whole minute
BATCH = 1000  # packets per store transaction
PEER = "demo-history"
UPLOAD_DELAY_S = 7  # a logger uploads a period a few seconds after it ends


def device_for(point: MonitoringPoint) -> simulator.Device:
    """The simulated logger of a point, as `youse hj212 simulate --from-database` plays it."""
    return simulator.Device(
        mn=point.mn,
        pw=point.pw,
        medium=point.medium,
        kind=simulator.kind_of_standard(point.standard),
        crc="modbus" if "modbus" in (point.accepted_crc or []) else "hj212",
    )


def history_records(
    seed: int, point: MonitoringPoint, now: dt.datetime, days: int = HISTORY_DAYS, minute_hours: int = MINUTE_HOURS
) -> Iterator[Record]:
    """The 2061 and 2051 uploads a point's logger would have sent before `now`, as journal records.

    Hours end before the current hour, minutes before the current minute; each packet is received a few
    seconds after its period ends (never after `now`). The figures are the simulator's, so they are a
    function of the seed, the MN and the data time alone."""
    device = device_for(point)
    hour = now.replace(minute=0, second=0, microsecond=0)
    minute = now.replace(second=0, microsecond=0)
    periods = [("2061", hour - dt.timedelta(hours=h), dt.timedelta(hours=1)) for h in range(days * 24, 0, -1)]
    periods += [
        ("2051", minute - dt.timedelta(minutes=m), dt.timedelta(minutes=1)) for m in range(minute_hours * 60, 0, -1)
    ]
    for cn, start, length in periods:
        fields = simulator.fields_for(seed, device, cn, start, qn_ms=1)  # qn_ms: a QN of the data time
        received = min(start + length + dt.timedelta(seconds=UPLOAD_DELAY_S), now)
        yield Record(KIND_FRAME, received.timestamp(), PEER, "", codec.encode(fields, crc=device.crc))


def build_history(seed: int, points: list[MonitoringPoint], now: dt.datetime | None = None) -> alarms.Outcome:
    """Store the points' recent uploads through the gateway's store, then evaluate alarms over them once."""
    now = now or timezone.now()
    store = Store()
    batch: list[Record] = []
    for point in points:
        for record in history_records(seed, point, now):
            batch.append(record)
            if len(batch) >= BATCH:
                store.write(batch)
                batch = []
    if batch:
        store.write(batch)
    return alarms.evaluate_all(now, start=now - dt.timedelta(days=HISTORY_DAYS))
