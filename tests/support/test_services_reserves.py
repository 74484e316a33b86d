"""Reserve plans, holdings and movements through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from youse.core.models import AuditEvent, Division
from youse.support import services
from youse.support.models import Holding, Movement, ReservePlan

TODAY = timezone.localdate


def government(personas, **over) -> Holding:
    data = {"kind": "government", "metal": "Al", "product": "铝锭", "holder_body": "陕西省物资储备局",
            "warehouse": "西安国家储备库", "division": "610100", **over}  # fmt: skip
    return services.create_holding(personas.department, data)


def commercial(personas, who="a", **over) -> Holding:
    user, enterprise, div = {
        "a": (personas.ent_a, personas.enterprise_a, "610822"),
        "b": (personas.ent_b, personas.enterprise_b, "610300"),
    }[who]
    data = {"kind": "commercial", "metal": "Mg", "product": "电解镁", "enterprise": enterprise,
            "warehouse": "厂区成品库", "division": div, **over}  # fmt: skip
    return services.create_holding(user, data)


def move(user, holding, kind, qty, days_ago=0, doc="入库单001"):
    data = {"kind": kind, "quantity_t": qty, "document": doc, "moved_on": TODAY() - dt.timedelta(days=days_ago)}
    return services.record_movement(user, holding, data)


def test_it_sets_plans_without_overlap(personas):
    dep = personas.department
    data = {"metal": "Al", "kind": "government", "product": "铝锭", "target_t": "50000",
            "starts_on": dt.date(2020, 1, 1), "ends_on": dt.date(2020, 12, 31)}  # fmt: skip
    services.set_plan(dep, data)
    with pytest.raises(ValidationError) as exc:
        services.set_plan(dep, {**data, "starts_on": dt.date(2020, 6, 1), "ends_on": dt.date(2021, 5, 31)})
    assert "starts_on" in exc.value.message_dict
    services.set_plan(dep, {**data, "kind": "commercial"})
    with pytest.raises(PermissionDenied):
        services.set_plan(personas.city, {**data, "starts_on": dt.date(2022, 1, 1), "ends_on": dt.date(2022, 2, 1)})
    assert ReservePlan.objects.count() == 2


def test_it_keeps_the_stock_from_the_movements(personas):
    h = government(personas)
    move(personas.department, h, "in", "3000", days_ago=30)
    move(personas.department, h, "out", "500", days_ago=20)
    move(personas.department, h, "rotation", "1000", days_ago=10)
    h.refresh_from_db()
    assert h.quantity_t == Decimal(2500) and h.last_moved_on == TODAY() - dt.timedelta(days=10)
    assert list(h.movements.values_list("balance_t", flat=True)) == [Decimal(3000), Decimal(2500), Decimal(2500)]
    assert AuditEvent.objects.filter(object_id=str(h.pk), after__event="moved_out").exists()


def test_it_refuses_an_out_movement_beyond_the_stock(personas):
    h = government(personas)
    move(personas.department, h, "in", "100")
    with pytest.raises(ValidationError, match="100"):
        move(personas.department, h, "out", "100.5")
    h.refresh_from_db()
    assert h.quantity_t == Decimal(100) and h.movements.count() == 1


def test_it_refuses_movements_out_of_order_or_in_the_future(personas):
    h = government(personas)
    move(personas.department, h, "in", "100", days_ago=5)
    with pytest.raises(ValidationError):
        move(personas.department, h, "in", "1", days_ago=6)
    with pytest.raises(ValidationError):
        move(personas.department, h, "in", "1", days_ago=-1)


def test_it_lets_the_holder_record_its_commercial_reserve_and_nobody_else(personas):
    h = commercial(personas)
    move(personas.ent_a, h, "in", "800")
    move(personas.department, h, "out", "10", doc="纸质报表")  # the department, from the holder's paper return
    with pytest.raises(Http404):
        move(personas.ent_b, h, "out", "10")
    with pytest.raises(PermissionDenied):
        move(personas.city, h, "out", "10")
    gov = government(personas)
    with pytest.raises(Http404):
        move(personas.ent_a, gov, "in", "10")
    h.refresh_from_db()
    assert h.quantity_t == Decimal(790)


def test_it_keeps_an_enterprise_to_registering_its_own_reserve(personas):
    with pytest.raises(Http404):
        commercial(personas, "a", enterprise=personas.enterprise_b)
    with pytest.raises(PermissionDenied):
        government(personas) if False else services.create_holding(
            personas.ent_a, {"kind": "government", "metal": "Al", "product": "铝锭", "holder_body": "x",
                             "warehouse": "w", "division": "610100"}
        )  # fmt: skip
    assert not Holding.objects.exists()


def test_it_refuses_a_duplicate_holding_and_a_bad_location(personas):
    government(personas)
    with pytest.raises(ValidationError):
        government(personas)
    with pytest.raises(ValidationError) as exc:
        government(personas, warehouse="另一库", division="999999")
    assert "division" in exc.value.message_dict


def test_the_database_refuses_a_negative_stock(personas):
    h = government(personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Holding.objects.filter(pk=h.pk).update(quantity_t=Decimal(-1))


def test_a_city_sees_holdings_located_in_it(personas):
    from youse.core import scopes

    yulin = government(personas, warehouse="榆林库", division="610822")
    xian = government(personas)
    visible = set(scopes.visible(personas.city, Holding).values_list("pk", flat=True))
    assert yulin.pk in visible and xian.pk not in visible
    assert Division.objects.get(code="610822").prefecture.code == "610800"
    assert Movement.objects.count() == 0
