"""The models and the migrations agree, and the reference data arrives with the migrations."""

from io import StringIO

import pytest
from django.core.management import call_command

from youse.core.models import ClauseResponsibility, Division, IndustrialBase, Metal, PolicyTarget, ValueChainStage


@pytest.mark.django_db
def test_it_has_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.django_db
def test_it_loads_the_reference_data():
    cities = Division.objects.filter(level="city")
    assert sorted(cities.values_list("code", flat=True)) == [f"61{n:02d}00" for n in range(1, 11)]
    assert set(Division.objects.filter(level="zone").values_list("name", flat=True)) == {"杨凌示范区", "西咸新区"}
    assert Division.objects.get(code="610822").prefecture.code == "610800"
    assert set(Metal.objects.values_list("code", flat=True)) == {"Ti", "Mo", "Al", "Mg", "V", "Pb", "Zn", "Cu", "other"}
    assert ValueChainStage.objects.get(deep_processing=True).code == "deep_processing"
    assert IndustrialBase.objects.count() == 6
    assert set(IndustrialBase.objects.get(code="yulin-almg").metals.values_list("code", flat=True)) == {"Al", "Mg"}
    lead = ClauseResponsibility.objects.get(clause__number="二(七)", lead=True)
    assert lead.unit.name == "省发展改革委"
    value_added = PolicyTarget.objects.get(code="value_added")
    assert (value_added.value, value_added.unit, value_added.target_year) == (1000, "亿元", 2020)
    assert all(row.source for model in (Division, Metal, IndustrialBase, PolicyTarget) for row in model.objects.all())
