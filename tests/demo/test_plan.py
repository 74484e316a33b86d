"""The demo plan is a pure function of (seed, scale): tested without a database."""

import pytest

from youse.demo.catalogue import CLUSTERS, LEADERS
from youse.demo.places import PLACES
from youse.demo.plan import AS_OF, SYNTHETIC_SUFFIX, history_is_consistent, plan
from youse.registry.rules import validate_credit_code

POLICY_METALS = {"Ti", "Mo", "Al", "Mg", "V", "Pb", "Zn"}
BASES = {"baoji-ti", "tongchuan-almg", "yulin-almg", "weinan-mo", "xian-mo", "shangluo-v"}


@pytest.fixture(scope="module")
def plans():
    return plan(42, 1)


def test_it_draws_the_same_data_for_the_same_seed(plans):
    again = plan(42, 1)
    assert [(e.name, e.credit_code) for e in again] == [(e.name, e.credit_code) for e in plans]
    assert again == plans


def test_it_draws_different_data_for_another_seed(plans):
    other = plan(7, 1)
    followers = {e.name for e in plans} - {leader.name for leader in LEADERS}
    assert followers.isdisjoint({e.name for e in other}) or len(followers & {e.name for e in other}) < 5
    assert {e.credit_code for e in plans}.isdisjoint({e.credit_code for e in other})


def test_it_draws_about_two_hundred_enterprises_per_scale(plans):
    assert 180 <= len(plans) <= 220
    three = plan(42, 3)
    assert len(three) == len(LEADERS) + sum(round(c.count * 3) for c in CLUSTERS)


def test_it_covers_every_policy_metal_and_base(plans):
    assert {u.metal for e in plans for u in e.units} >= POLICY_METALS
    assert {e.base for e in plans} - {None} == BASES


def test_it_gives_valid_unique_credit_codes_with_the_division_in_them(plans):
    codes = [e.credit_code for e in plans]
    assert len(set(codes)) == len(codes)
    for e in plans:
        assert validate_credit_code(e.credit_code) == e.credit_code
        assert e.credit_code[2:8] == PLACES[e.place].code_area


def test_it_labels_every_name_as_synthetic(plans):
    names = [e.name for e in plans]
    assert len(set(names)) == len(names)
    assert all(e.name.endswith(SYNTHETIC_SUFFIX) and SYNTHETIC_SUFFIX in e.short_name for e in plans)
    assert all(e.contact_email.endswith(".example") for e in plans)


def test_it_dates_every_history_as_a_legal_life_cycle(plans):
    units = [u for e in plans for u in e.units]
    assert all(history_is_consistent(u.history) for u in units)
    assert {u.status for u in units} == {"planned", "approved", "construction", "operating", "idle", "exited"}
    operating = sum(u.status == "operating" for u in units)
    assert operating > len(units) / 2


def test_it_places_plants_around_their_division(plans):
    for e in plans:
        for p in e.plants:
            place = PLACES[p.place]
            assert place.lon - place.west <= float(p.longitude) <= place.lon + place.east
            assert abs(float(p.latitude) - place.lat) <= place.dlat


def test_it_shapes_yulin_and_baoji_on_the_facts(plans):
    fugu_mg = sum(
        u.capacity
        for e in plans
        for u in e.units
        if e.place == "610822" and u.metal == "Mg" and u.stage == "smelting" and u.status in ("operating", "idle")
    )
    assert 200_000 <= fugu_mg <= 600_000  # FACTS.md: 府谷 37.01万t in 2018
    yulin = next(e for e in plans if e.key == "yulin-almg")
    assert {"500kA×256", "500kA×184"} <= {u.equipment for u in yulin.units}
    assert any(u.metal == "Ti" for e in plans if e.place == "610300" for u in e.units)


def test_it_closes_enterprises_whose_units_all_exited(plans):
    for e in plans:
        assert (e.status == "closed") == all(u.status == "exited" for u in e.units)


def test_it_keeps_history_dates_on_or_before_the_data_set_date(plans):
    assert max(s.on for e in plans for u in e.units for s in u.history) <= AS_OF
