"""Each bug the permission matrix or the schema fuzzing found in the API, held down by one test."""

import pytest
from django.test import Client

from tests.api.apiclient import PREFIX, Objects, call, tokens

pytestmark = pytest.mark.django_db


def test_it_refuses_the_acceptance_to_those_who_may_not_record_it_before_reading_the_figures(personas):
    # POST /support/applications/{id}/acceptance checked the figures first: the environment department,
    # the city and the enterprise itself got 400 "achieved_1 required" instead of 403.
    app = Objects(personas).get("support_app", "a")
    keys = tokens(personas)
    url = f"{PREFIX}/support/applications/{app.pk}/acceptance"
    body = ("application/json", {"passed": True, "report": "合格", "achieved": []})
    for persona in ("environment", "city", "ent_a"):
        response = call(Client(), "POST", url, keys[persona], body)
        assert response.status_code == 403, persona
        assert "achieved" not in response.json()["errors"]
    # The department still gets the field error on the same body.
    response = call(Client(), "POST", url, keys["department"], body)
    assert response.status_code == 400
    assert f"achieved_{app.outcomes.get().pk}" in response.json()["errors"]


def test_it_documents_each_schema_under_a_name_of_its_own():
    # The OpenAPI schema files every model under its class name, so two apps' models of one name were
    # published as one: GET /cooperation/projects carried the support fund totals, the monthly report
    # endpoints the capacity rule report, capacity's approve and publish bodies those of support and
    # credit, the registry's status changes cooperation's progress reports. Same name, same schema.
    import json
    import sys
    from collections import defaultdict

    from pydantic import BaseModel

    import youse.api  # noqa: F401  (imports every app's API and schemas)

    schemas: dict[str, set[str]] = defaultdict(set)
    for name, module in list(sys.modules.items()):
        if not name.startswith("youse.") or not any(part in name for part in ("schemas", "api")):
            continue
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == name:
                schemas[obj.__name__].add(json.dumps(obj.model_json_schema(), sort_keys=True, default=str))
    assert not sorted(name for name, variants in schemas.items() if len(variants) > 1)


@pytest.mark.parametrize(("step", "who"), [("return", ("environment", "ent_a")), ("correction", ("environment",))])
def test_it_refuses_a_report_step_to_those_who_may_not_take_it_before_reading_the_reason(personas, step, who):
    # POST /stats/reports/{id}/return and /correction checked the reason first: without one, the
    # environment department (and, for return, the enterprise) got 400 instead of 403.
    report = Objects(personas).get("report", "a")
    keys = tokens(personas)
    for persona in who:
        response = call(
            Client(), "POST", f"{PREFIX}/stats/reports/{report.pk}/{step}", keys[persona], ("application/json", {})
        )
        assert response.status_code == 403, persona


@pytest.mark.parametrize("month", ["0386-86", "2024-13", "2024-00", "0000-01"])
def test_it_refuses_a_bulletin_month_the_calendar_does_not_have(month):
    # GET /api/v1/public/datasets/indicators?bulletin=0386-86 matched the pattern \d{4}-\d{2} and then
    # failed to parse: 500.
    response = Client().get(f"{PREFIX}/public/datasets/indicators", {"bulletin": month})
    assert response.status_code == 400
    assert "bulletin" in response.json()["errors"]
