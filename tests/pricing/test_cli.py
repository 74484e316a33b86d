"""`youse pricing surcharge`: one smelter-year's computation on the command line."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("pricing", "surcharge", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_computation_as_json():
    data = json.loads(
        run("--year", "2022", "--consumption", "13700", "--renewable-share", "20", "--incentive-weight", "16",
            "--electricity-kwh", "1000000", "--json")
    )  # fmt: skip
    assert data["surcharge_per_kwh"] == "0.0288"
    assert Decimal(data["amount_yuan"]) == Decimal("28800.00")
    assert (data["threshold"], data["steps"], data["tier_surcharge"]) == ("13650.0", 3, "0.0300")
    assert (Decimal(data["renewable_base"]), data["reduction_points"]) == (16, 4)
    assert data["documents"] == ["发改价格〔2021〕1239号"] and data["rule_set"] == "1239-2022"


def test_it_prints_a_table_without_json():
    out = run("--year", "2021", "--consumption", "13750")
    assert "2530" in out and "surcharge_per_kwh" in out and "0.0200" in out


def test_it_excludes_a_line_that_ran_under_six_months():
    data = json.loads(run("--year", "2022", "--consumption", "14000", "--months", "4", "--json"))
    assert data["excluded"] is True and data["total_per_kwh"] == "0.0000"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2010", "--consumption", "13700"), "No surcharge rule set is in force in 2010"),
        (("--year", "2022", "--consumption", "13700", "--renewable-share", "120"), "--renewable-share"),
        (("--year", "2022", "--consumption", "13700", "--incentive-weight", "-1"), "--incentive-weight"),
        (("--year", "2022", "--consumption", "0"), "--consumption"),
    ],
)
def test_it_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_share_that_is_not_a_number_is_refused():
    with pytest.raises(CommandError):
        run("--year", "2022", "--consumption", "13700", "--renewable-share", "lots")
