"""The data dictionary is generated from the models and committed; it must never drift from them."""

import difflib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from youse.core.management.commands.datadict import render, youse_models

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"


def test_it_matches_the_committed_dictionary():
    committed = COMMITTED.read_text(encoding="utf-8")
    generated = render()
    if committed != generated:
        diff = "\n".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(),
                    generated.splitlines(),
                    "docs/data-dictionary.md",
                    "models",
                    lineterm="",
                )
            )[:40]
        )
        pytest.fail(f"docs/data-dictionary.md differs from the models: run `youse datadict` and commit it.\n{diff}")


def test_it_covers_every_model_of_the_youse_apps():
    expected = {
        m._meta.label
        for config in apps.get_app_configs()
        if config.name.startswith("youse.")
        for m in config.get_models()
    }
    assert {"core.User", "registry.Enterprise", "demo.DemoDataset"} <= expected
    assert {m._meta.label for m in youse_models()} == expected
    text = render()
    for label in expected:
        model = apps.get_model(label)
        assert f"## {label}: " in text
        assert f"- Table: `{model._meta.db_table}`" in text


def test_it_leaves_out_django_s_own_models():
    labels = {m._meta.label for m in youse_models()}
    assert "auth.Group" not in labels
    assert "contenttypes.ContentType" not in labels


def test_it_describes_fields_relations_and_choices():
    text = render()
    enterprise = text.split("## registry.Enterprise: ")[1].split("\n## ")[0]
    assert "| `credit_code` | `credit_code` | CharField(18), unique | unified social credit code |" in enterprise
    assert "→ core.Division (`core_division`); on delete PROTECT" in enterprise
    assert "`central_soe` Central state-owned" in enterprise
    unit = text.split("## registry.ProductionUnit: ")[1].split("\n## ")[0]
    assert "`planned` Planned" in unit and "`exited` Exited (dismantled)" in unit
    assert "check design_capacity__gt=0" in unit
    assert 'For example "500kA×256"' in unit
    base = text.split("## core.IndustrialBase: ")[1].split("\n## ")[0]
    assert "link table `core_industrialbase_metals`" in base


def test_it_does_not_depend_on_the_active_language():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert render() == render(None)


def test_it_writes_the_file(tmp_path):
    out = tmp_path / "dd.md"
    call_command("datadict", output=str(out))
    assert out.read_text(encoding="utf-8") == render()


def test_it_check_fails_on_a_stale_file(tmp_path):
    out = tmp_path / "dd.md"
    out.write_text(render().replace("credit_code", "credit_no"), encoding="utf-8")
    with pytest.raises(CommandError, match="run `youse datadict`"):
        call_command("datadict", "--check", output=str(out))
    out.write_text(render(), encoding="utf-8")
    call_command("datadict", "--check", output=str(out))  # up to date: no error
