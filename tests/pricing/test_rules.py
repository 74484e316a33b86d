"""The surcharge arithmetic (pricing/rules.py) on tables at and around every threshold, step boundary and
renewable-share edge. The rule sets are the reference rows the migration loads (reference_data.py)."""

from decimal import Decimal

import pytest

from youse.pricing import reference_data, rules

D = Decimal


def rule_sets() -> list[tuple[int, int | None, rules.RuleSet]]:
    rows = []
    for code, doc, measure, method, first, last, tiers, thr, step, per, base, red, verified in reference_data.RULE_SETS:
        rows.append(
            (
                first,
                last,
                rules.RuleSet(
                    code=code,
                    document=doc.split(" ")[0],
                    measure=measure,
                    method=method,
                    tiers=tuple(rules.Tier(D(t["above"]), D(t["surcharge"])) for t in tiers),
                    threshold=D(thr) if thr else None,
                    step_kwh=D(step) if step else None,
                    step_surcharge=D(per) if per else None,
                    renewable_base_share=D(base) if base else None,
                    reduction_per_point=D(red) if red else None,
                    verified=verified,
                ),
            )
        )
    return rows


RULE_SETS = rule_sets()
DIFFERENTIALS = {
    "restricted": rules.Differential("restricted", D("0.10"), "发改价格〔2010〕978号", verified=False),
    "eliminated": rules.Differential("eliminated", D("0.30"), "发改价格〔2010〕978号", verified=False),
}


def compute(year: int, consumption: str, **kwargs) -> rules.Computation:
    inputs = rules.Inputs(year=year, consumption=D(consumption), **kwargs)
    return rules.compute(inputs, rules.rule_set_for(year, RULE_SETS), DIFFERENTIALS)


@pytest.mark.parametrize(
    ("consumption", "excess", "steps", "per_kwh"),
    [
        ("13000", "0", 0, "0.0000"),
        ("13650", "0", 0, "0.0000"),  # at the threshold: nothing
        ("13650.1", "0.1", 1, "0.0100"),  # a part step counts as a whole
        ("13670", "20", 1, "0.0100"),  # exactly one step
        ("13670.1", "20.1", 2, "0.0200"),
        ("13690", "40", 2, "0.0200"),
        ("13700", "50", 3, "0.0300"),
        ("14000", "350", 18, "0.1800"),
    ],
)
def test_1239_steps_of_20_kwh_above_13650_in_2022(consumption, excess, steps, per_kwh):
    c = compute(2022, consumption)
    assert (c.rule_set, c.threshold, c.measure) == ("1239-2022", D("13650"), "comprehensive_ac")
    assert (c.excess_kwh, c.steps, c.surcharge_per_kwh, c.total_per_kwh) == (D(excess), steps, D(per_kwh), D(per_kwh))
    assert c.documents == ("发改价格〔2021〕1239号",) and not c.unverified


@pytest.mark.parametrize(
    ("consumption", "per_kwh"),
    [("13600", "0"), ("13700", "0"), ("13700.1", "0.02"), ("13800", "0.02"), ("13800.1", "0.08"), ("14500", "0.08")],
)
def test_2530_tiers_on_electrolysis_consumption(consumption, per_kwh):
    for year in (2014, 2021):
        c = compute(year, consumption)
        assert (c.rule_set, c.measure, c.steps, c.threshold) == ("2530", "electrolysis_ac", 0, D("13700"))
        assert c.surcharge_per_kwh == D(per_kwh)


@pytest.mark.parametrize(
    ("year", "threshold", "unverified"), [(2022, "13650", False), (2023, "13450", True), (2025, "13300", True)]
)
def test_the_threshold_falls_by_year_and_unconfirmed_ones_are_marked(year, threshold, unverified):
    c = compute(year, threshold)
    assert (c.threshold, c.steps, c.unverified) == (D(threshold), 0, unverified)
    assert compute(year, str(D(threshold) + D("0.1"))).steps == 1


@pytest.mark.parametrize(
    ("share", "weight", "base", "points", "percent", "per_kwh"),
    [
        (None, None, None, 0, "0", "0.0300"),  # no share given: no reduction
        ("10", None, "15", 0, "0", "0.0300"),  # below the base
        ("15", None, "15", 0, "0", "0.0300"),  # at 15%: not above it
        ("15.9", None, "15", 0, "0", "0.0300"),  # not a full point above
        ("16", None, "15", 1, "1", "0.0297"),
        ("16", "16", "16", 0, "0", "0.0300"),  # must exceed the incentive weight too
        ("20", "16", "16", 4, "4", "0.0288"),  # four points above 16%: 4% off
        ("20", "12", "15", 5, "5", "0.0285"),  # a weight below 15%: 15% is the base
        ("100", "0", "15", 85, "85", "0.0045"),
    ],
)
def test_the_renewable_share_reduction(share, weight, base, points, percent, per_kwh):
    c = compute(
        2022,
        "13700",
        renewable_share=D(share) if share else None,
        incentive_weight=D(weight) if weight else None,
    )
    assert c.tier_surcharge == D("0.0300")
    assert c.renewable_base == (D(base) if base else None)
    assert (c.reduction_points, c.reduction_percent, c.surcharge_per_kwh) == (points, D(percent), D(per_kwh))


def test_2530_has_no_renewable_reduction():
    c = compute(2021, "13750", renewable_share=D(30), incentive_weight=D(16))
    assert (c.renewable_base, c.reduction_percent, c.surcharge_per_kwh) == (None, 0, D("0.0200"))


@pytest.mark.parametrize(
    ("category", "differential", "total"),
    [("normal", "0", "0.0100"), ("restricted", "0.10", "0.1100"), ("eliminated", "0.30", "0.3100")],
)
def test_differential_categories_add_to_the_surcharge(category, differential, total):
    c = compute(2022, "13660", category=category, electricity_kwh=D(1000))
    assert (c.differential_per_kwh, c.total_per_kwh, c.amount_yuan) == (D(differential), D(total), D(total) * 1000)
    assert c.unverified is (category != "normal")  # 978号's prices are stored unverified
    assert ("发改价格〔2010〕978号" in c.documents) is (category != "normal")


@pytest.mark.parametrize(("months", "excluded"), [(0, True), (5, True), (6, False), (12, False)])
def test_lines_that_ran_under_six_months_are_excluded(months, excluded):
    c = compute(2022, "14000", months_operated=months, category="restricted", electricity_kwh=D(500))
    assert c.excluded is excluded
    assert c.total_per_kwh == (D(0) if excluded else D("0.2800"))
    assert (c.excluded_reason != "") is excluded


def test_the_amount_is_rounded_to_the_fen_and_absent_without_electricity():
    assert compute(2022, "13700", electricity_kwh=D(1_000_000)).amount_yuan == D("30000.00")
    assert compute(2022, "13700", electricity_kwh=D("333.333")).amount_yuan == D("10.00")
    assert compute(2022, "13700").amount_yuan is None


def test_the_computation_serialises_every_figure_as_text():
    data = compute(2022, "13700", renewable_share=D(20), incentive_weight=D(16)).as_dict()
    assert data["surcharge_per_kwh"] == "0.0288" and data["steps"] == 3
    assert data["documents"] == ["发改价格〔2021〕1239号"] and data["renewable_base"] == "16"


@pytest.mark.parametrize(
    ("amount", "days", "due"), [("100.00", 0, "100.00"), ("100.00", 90, "100.00"), ("100.00", 91, "150.00")]
)
def test_overdue_surcharges_are_charged_at_one_and_a_half_times(amount, days, due):
    assert rules.overdue_amount(D(amount), days) == D(due)


def test_weighted_consumption_weights_by_aluminium_liquid():
    assert rules.weighted_consumption([(D(13600), D(9000)), (D(13700), D(11000))]) == D("13655.0")
    assert rules.weighted_consumption([(D("13333.33"), D(1))]) == D("13333.3")
    assert rules.weighted_consumption([]) is None
    assert rules.weighted_consumption([(D(13600), D(0))]) is None


@pytest.mark.parametrize(
    ("year", "code"), [(2014, "2530"), (2021, "2530"), (2022, "1239-2022"), (2024, "1239-2023"), (2030, "1239-2025")]
)
def test_rule_set_for_the_year_the_price_applies(year, code):
    assert rules.rule_set_for(year, RULE_SETS).code == code


def test_rule_set_for_a_year_without_one_and_the_latest_start_wins():
    with pytest.raises(rules.NoRuleSet):
        rules.rule_set_for(2013, RULE_SETS)
    a, b = RULE_SETS[0][2], RULE_SETS[1][2]
    assert rules.rule_set_for(2023, {2014: a, 2022: b}).code == b.code  # open-ended rows: the later one
