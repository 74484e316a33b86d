"""Who may do what through the API: every operation of /api/v1/openapi.json, called by every persona.

The table OPERATIONS is the specification. An operation added to the API without a row fails
`test_it_has_a_row_for_every_operation`. Rows with targets are called with enterprise A's object (Yulin,
ent_a's, in the city's ground) and B's (Baoji). Every persona authenticates with a bearer token; the
anonymous visitor sends none.

Unsafe operations send the body of BODIES (a meaningful request) or else the minimal body that the
request schema accepts (`apiclient.request_body`), so the answer is the endpoint's own decision, never a
schema error: 401 (no credentials), 404 (the object is outside the caller's scope), 403 (the role lacks
the capability), 400 (the service refused the data or the object's state: the caller got past both
checks), 200/201 (done). Every answer must also be one the OpenAPI schema documents: its status, and
its body against the documented response schema. Each call runs in a savepoint that is rolled back, so
one persona's change never decides the next persona's answer."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests.api.apiclient import (
    PREFIX,
    Objects,
    call,
    ids_of,
    object_path,
    openapi,
    operations,
    request_body,
    tokens,
    undocumented,
)
from tests.core.test_persona_matrix import PERSONAS


def row(department, environment, city, ent_a, ent_b, anonymous):
    return dict(zip(PERSONAS, (department, environment, city, ent_a, ent_b, anonymous), strict=True))


OPEN = row(200, 200, 200, 200, 200, 200)
SIGNED_IN = row(200, 200, 200, 200, 200, 401)
# Reads of an object: A's is in the city's (Yulin's) scope and ent_a's, B's in neither.
READ_A = row(200, 200, 200, 200, 404, 401)
READ_B = row(200, 200, 404, 404, 200, 401)
# The department alone, on an object every signed-in persona may read (or that is province-wide).
DEPT_ONLY = row(200, 403, 403, 403, 403, 401)
# The department alone, on an enterprise's object: those who cannot see it get 404 before the 403.
DEPT_A = row(200, 403, 403, 403, 404, 401)
DEPT_B = row(200, 403, 404, 404, 403, 401)
# The department and the city in its own city; no one else.
STAFF_A = row(200, 403, 200, 403, 404, 401)
STAFF_B = row(200, 403, 404, 404, 403, 401)
# The department, the city in its own city and the enterprise itself.
OWNERS_A = row(200, 403, 200, 200, 404, 401)
OWNERS_B = row(200, 403, 404, 404, 200, 401)


def refused(expected: dict, status: int = 400, *who: str) -> dict:
    """`expected` with `status` (the service's refusal of the data or the state) for the personas `who`."""
    return {**expected, **dict.fromkeys(who, status)}


# (METHOD, path under /api/v1) -> (kind of the path object or None, {target: {persona: status}})
OPERATIONS: dict[tuple[str, str], tuple[str | None, dict]] = {
    # Reference data: every signed-in persona.
    ("GET", "/reference/divisions"): (None, {None: SIGNED_IN}),
    ("GET", "/reference/metals"): (None, {None: SIGNED_IN}),
    ("GET", "/reference/stages"): (None, {None: SIGNED_IN}),
    ("GET", "/reference/bases"): (None, {None: SIGNED_IN}),
    ("GET", "/reference/units"): (None, {None: SIGNED_IN}),
    ("GET", "/reference/clauses"): (None, {None: SIGNED_IN}),
    ("GET", "/reference/targets"): (None, {None: SIGNED_IN}),
    # Registry. The department and a city register enterprises (a city in its own city); an enterprise
    # keeps its own contact details; plants and units are the department's and the city's.
    ("GET", "/registry/enterprises"): (None, {None: SIGNED_IN}),
    ("POST", "/registry/enterprises"): (None, {None: row(201, 403, 201, 403, 403, 401)}),
    ("GET", "/registry/enterprises/{enterprise_id}"): ("enterprise", {"a": READ_A, "b": READ_B}),
    ("PATCH", "/registry/enterprises/{enterprise_id}"): ("enterprise", {"a": OWNERS_A, "b": OWNERS_B}),
    ("GET", "/registry/enterprises/{enterprise_id}/history"): ("enterprise", {"a": READ_A, "b": READ_B}),
    ("GET", "/registry/plants"): (None, {None: SIGNED_IN}),
    # A plant of enterprise A in Fugu: ent_b does not see A (an unknown enterprise, 400, not its name).
    ("POST", "/registry/plants"): (None, {None: row(201, 403, 201, 403, 400, 401)}),
    ("GET", "/registry/plants/{plant_id}"): ("plant", {"a": READ_A, "b": READ_B}),
    ("PATCH", "/registry/plants/{plant_id}"): ("plant", {"a": STAFF_A, "b": STAFF_B}),
    ("GET", "/registry/plants/{plant_id}/history"): ("plant", {"a": READ_A, "b": READ_B}),
    ("GET", "/registry/units"): (None, {None: SIGNED_IN}),
    ("POST", "/registry/units"): (None, {None: row(201, 403, 201, 403, 400, 401)}),
    ("GET", "/registry/units/{unit_id}"): ("unit", {"a": READ_A, "b": READ_B}),
    ("PATCH", "/registry/units/{unit_id}"): ("unit", {"a": STAFF_A, "b": STAFF_B}),
    ("POST", "/registry/units/{unit_id}/status"): ("unit", {"a": STAFF_A, "b": STAFF_B}),
    ("GET", "/registry/units/{unit_id}/history"): ("unit", {"a": READ_A, "b": READ_B}),
    # Monthly reports: the enterprise files, the city checks first, the department accepts; the
    # environment department reads. A draft cannot be accepted or returned: 400 for those who may.
    ("GET", "/stats/reports"): (None, {None: SIGNED_IN}),
    # The report of enterprise A: ent_b is told A is unknown (400 naming the field), not that it exists.
    ("PUT", "/stats/reports"): (None, {None: row(200, 403, 200, 200, 400, 401)}),
    ("GET", "/stats/reports/{report_id}"): ("report", {"a": READ_A, "b": READ_B}),
    ("POST", "/stats/reports/{report_id}/submit"): ("report", {"a": OWNERS_A, "b": OWNERS_B}),
    ("POST", "/stats/reports/{report_id}/accept"): (
        "report",
        {"a": refused(STAFF_A, 400, "department", "city"), "b": refused(STAFF_B, 400, "department")},
    ),
    ("POST", "/stats/reports/{report_id}/return"): (
        "report",
        {"a": refused(STAFF_A, 400, "department", "city"), "b": refused(STAFF_B, 400, "department")},
    ),
    # A correction is asked of an accepted report only.
    ("POST", "/stats/reports/{report_id}/correction"): (
        "report",
        {
            "a": refused(OWNERS_A, 400, "department", "city", "ent_a"),
            "b": refused(OWNERS_B, 400, "department", "ent_b"),
        },
    ),
    # Online monitoring: reads only.
    ("GET", "/monitoring/points"): (None, {None: SIGNED_IN}),
    ("GET", "/monitoring/points/{point_id}"): ("point", {"a": READ_A, "b": READ_B}),
    ("GET", "/monitoring/readings"): (None, {None: SIGNED_IN}),
    ("GET", "/monitoring/aggregates"): (None, {None: SIGNED_IN}),
    ("GET", "/monitoring/alarms"): (None, {None: SIGNED_IN}),
    # Aluminium capacity (二(七)). The ledger is the department's; an enterprise applies for a replacement
    # scheme (the department for one), the department decides. A's and B's schemes are drafts, so the
    # department's decisions are refused on the state (400) after the checks of scope and capability; B's
    # scheme (Baoji, in the Fen-Wei plain) fails the rules on submission.
    ("GET", "/capacity/indicators"): (None, {None: SIGNED_IN}),
    ("POST", "/capacity/indicators"): (None, {None: refused(DEPT_ONLY, 400, "department")}),
    ("GET", "/capacity/indicators/{indicator_id}"): ("indicator", {"a": READ_A, "b": READ_B}),
    # The whole indicator is still available, not active: nothing to close.
    ("POST", "/capacity/indicators/{indicator_id}/close"): (
        "indicator",
        {"a": refused(DEPT_A, 400, "department"), "b": refused(DEPT_B, 400, "department")},
    ),
    ("POST", "/capacity/indicators/{indicator_id}/disqualify"): ("indicator", {"a": DEPT_A, "b": DEPT_B}),
    ("POST", "/capacity/indicators/{indicator_id}/transfer-out"): ("indicator", {"a": DEPT_A, "b": DEPT_B}),
    ("GET", "/capacity/schemes"): (None, {None: SIGNED_IN}),
    # The minimal body names no applicant: an enterprise applies for itself, the department must name one.
    ("POST", "/capacity/schemes"): (None, {None: row(400, 403, 403, 201, 201, 401)}),
    ("GET", "/capacity/schemes/{scheme_id}"): ("scheme", {"a": READ_A, "b": READ_B}),
    ("PATCH", "/capacity/schemes/{scheme_id}"): (
        "scheme",
        {"a": row(200, 403, 403, 200, 404, 401), "b": row(200, 403, 404, 404, 200, 401)},
    ),
    ("POST", "/capacity/schemes/{scheme_id}/check"): ("scheme", {"a": READ_A, "b": READ_B}),
    ("POST", "/capacity/schemes/{scheme_id}/submit"): (
        "scheme",
        {"a": row(200, 403, 403, 200, 404, 401), "b": row(400, 403, 404, 404, 400, 401)},
    ),
    ("POST", "/capacity/schemes/{scheme_id}/withdraw"): (
        "scheme",
        {"a": row(200, 403, 403, 200, 404, 401), "b": row(200, 403, 404, 404, 200, 401)},
    ),
    **{
        ("POST", f"/capacity/schemes/{{scheme_id}}/{step}"): (
            "scheme",
            {"a": refused(DEPT_A, 400, "department"), "b": refused(DEPT_B, 400, "department")},
        )
        for step in ("publish", "approve", "reject", "announce")
    },
    # Anyone may object to a scheme in public notice (A's here), signed in or not.
    ("POST", "/capacity/schemes/{scheme_id}/objections"): (
        "public_scheme",
        {"a": row(201, 201, 201, 201, 201, 201)},
    ),
    ("GET", "/capacity/objections"): (None, {None: SIGNED_IN}),
    ("POST", "/capacity/objections/{objection_id}/decide"): ("objection", {"a": DEPT_A}),
    # The minimal multipart body carries no file: refused (400) for those who may confirm.
    ("POST", "/capacity/exit-lines/{line_id}/dismantling"): (
        "exit_line",
        {"a": refused(STAFF_A, 400, "department", "city")},
    ),
    ("GET", "/capacity/ledger/summary"): (None, {None: SIGNED_IN}),
    # Enforcement: reads in scope; an order's steps belong to the department, the city and the enterprise.
    ("GET", "/enforcement/campaigns"): (None, {None: SIGNED_IN}),
    ("GET", "/enforcement/campaigns/{campaign_id}"): ("campaign", {"a": SIGNED_IN}),
    ("GET", "/enforcement/cases"): (None, {None: SIGNED_IN}),
    ("GET", "/enforcement/cases/{case_id}"): ("case", {"a": READ_A, "b": READ_B}),
    ("GET", "/enforcement/orders"): (None, {None: SIGNED_IN}),
    ("GET", "/enforcement/orders/{order_id}"): ("order", {"a": READ_A, "b": READ_B}),
    ("POST", "/enforcement/orders/{order_id}/start"): ("order", {"a": OWNERS_A, "b": OWNERS_B}),
    ("POST", "/enforcement/orders/{order_id}/report-done"): ("order", {"a": OWNERS_A, "b": OWNERS_B}),
    ("GET", "/enforcement/closures"): (None, {None: SIGNED_IN}),
    ("GET", "/enforcement/closures/{closure_id}"): ("closure", {"a": READ_A, "b": READ_B}),
    ("GET", "/enforcement/announcements"): (None, {None: SIGNED_IN}),
    # International cooperation: the enterprise, its city and the department register and report; the
    # department files, returns, reviews and flags. A's and B's projects are filed; the drafts are edited.
    ("GET", "/cooperation/countries"): (None, {None: SIGNED_IN}),
    ("GET", "/cooperation/projects"): (None, {None: SIGNED_IN}),
    ("POST", "/cooperation/projects"): (None, {None: row(201, 403, 201, 201, 404, 401)}),
    ("GET", "/cooperation/projects/{project_id}"): ("coop_project", {"a": READ_A, "b": READ_B}),
    ("PATCH", "/cooperation/projects/{project_id}"): ("coop_draft", {"a": OWNERS_A, "b": OWNERS_B}),
    ("POST", "/cooperation/projects/{project_id}/submit"): ("coop_draft", {"a": OWNERS_A, "b": OWNERS_B}),
    **{
        ("POST", f"/cooperation/projects/{{project_id}}/{step}"): (
            "coop_project",
            {"a": refused(DEPT_A, 400, "department"), "b": refused(DEPT_B, 400, "department")},
        )
        for step in ("file", "return", "flag")
    },
    ("POST", "/cooperation/projects/{project_id}/status"): ("coop_project", {"a": OWNERS_A, "b": OWNERS_B}),
    ("POST", "/cooperation/projects/{project_id}/reviews"): (
        "coop_project",
        {"a": {**DEPT_A, "department": 201}, "b": {**DEPT_B, "department": 201}},
    ),
    # Support funds (三(四)): the department keeps the calls; an enterprise applies (a city or the
    # department for it); the city recommends or returns; the department decides and pays. The
    # applications here are drafts, so every step after submission is refused on the state.
    ("GET", "/support/calls"): (None, {None: SIGNED_IN}),
    ("POST", "/support/calls"): (None, {None: {**DEPT_ONLY, "department": 201}}),
    ("GET", "/support/calls/{call_id}"): ("support_call", {"a": SIGNED_IN}),
    ("POST", "/support/calls/{call_id}/open"): ("support_call", {"a": refused(DEPT_ONLY, 400, "department")}),
    ("POST", "/support/calls/{call_id}/close"): ("support_call", {"a": DEPT_ONLY}),
    # For A: an enterprise user applies for itself whatever it names (ent_b's is its own).
    ("POST", "/support/applications"): (None, {None: row(201, 403, 201, 201, 201, 401)}),
    ("GET", "/support/applications/totals"): (None, {None: SIGNED_IN}),
    ("GET", "/support/applications"): (None, {None: SIGNED_IN}),
    ("GET", "/support/applications/{app_id}"): ("support_app", {"a": READ_A, "b": READ_B}),
    ("PUT", "/support/applications/{app_id}"): ("support_app", {"a": OWNERS_A, "b": OWNERS_B}),
    ("POST", "/support/applications/{app_id}/submit"): ("support_app", {"a": OWNERS_A, "b": OWNERS_B}),
    **{
        ("POST", f"/support/applications/{{app_id}}/{step}"): (
            "support_app",
            {"a": refused(STAFF_A, 400, "department", "city"), "b": refused(STAFF_B, 400, "department")},
        )
        for step in ("recommend", "return")
    },
    **{
        ("POST", f"/support/applications/{{app_id}}/{step}"): (
            "support_app",
            {"a": refused(DEPT_A, 400, "department"), "b": refused(DEPT_B, 400, "department")},
        )
        for step in ("approve", "reject", "disbursements", "repayment", "acceptance")
    },
    # Reserves (三(六)): the department plans; holdings are kept by the department or the enterprise.
    ("GET", "/support/plans"): (None, {None: SIGNED_IN}),
    ("POST", "/support/plans"): (None, {None: {**DEPT_ONLY, "department": 201}}),
    ("GET", "/support/reserves"): (None, {None: SIGNED_IN}),
    ("GET", "/support/holdings"): (None, {None: SIGNED_IN}),
    ("POST", "/support/holdings"): (None, {None: row(201, 403, 403, 201, 201, 401)}),
    ("GET", "/support/holdings/{holding_id}"): ("support_holding", {"a": READ_A, "b": READ_B}),
    ("POST", "/support/holdings/{holding_id}/movements"): (
        "support_holding",
        {"a": row(200, 403, 403, 200, 404, 401), "b": row(200, 403, 404, 404, 200, 401)},
    ),
    # The credit support list (三(五)): published editions are public; entries in scope; the department
    # derives, overrides and publishes (the edition here is published already: refused on its state).
    ("GET", "/credit/criteria"): (None, {None: SIGNED_IN}),
    ("GET", "/credit/editions"): (None, {None: SIGNED_IN}),
    ("POST", "/credit/editions/derive"): (None, {None: DEPT_ONLY}),
    ("GET", "/credit/editions/{edition_id}"): ("credit_edition", {"a": SIGNED_IN}),
    ("POST", "/credit/editions/{edition_id}/publish"): (
        "credit_edition",
        {"a": refused(DEPT_ONLY, 400, "department")},
    ),
    ("GET", "/credit/entries"): (None, {None: SIGNED_IN}),
    ("GET", "/credit/entries/{entry_id}"): ("credit_entry", {"a": READ_A, "b": READ_B}),
    ("POST", "/credit/entries/{entry_id}/override"): (
        "credit_entry",
        {"a": refused(DEPT_ONLY, 400, "department"), "b": refused(DEPT_ONLY, 400, "department")},
    ),
    # The public API: open to everyone.
    ("GET", "/public/datasets"): (None, {None: OPEN}),
    ("GET", "/public/datasets/{key}"): ("dataset", {"a": OPEN}),
    ("GET", "/public/announcements"): (None, {None: OPEN}),
    ("GET", "/public/bulletins"): (None, {None: OPEN}),
}


def test_it_has_a_row_for_every_operation():
    assert operations() == set(OPERATIONS)


def _calls(personas, objs: Objects, method: str, path: str, targets: dict) -> list[str]:
    """Call the operation for each target and persona; the differences from the table, as text."""
    from tests.api.bodies import BODIES

    kind = OPERATIONS[method, path][0]
    keys = tokens(personas)
    body = request_body(method, path)
    differences = []
    for target, expected in targets.items():
        url = object_path(path, objs.get(kind, target)) if kind else PREFIX + path
        if (method, path) in BODIES:
            body = ("application/json", BODIES[method, path](objs))
        for persona in PERSONAS:
            cache.clear()  # throttles per address must not decide the next persona's answer
            savepoint = transaction.savepoint()
            response = call(Client(), method, url, keys[persona], body)
            transaction.savepoint_rollback(savepoint)
            if response.status_code != expected[persona]:
                differences.append(
                    f"{method} {path} {target or ''} as {persona}: {response.status_code} "
                    f"(expected {expected[persona]}) {response.content[:200].decode(errors='replace')}"
                )
            elif problem := undocumented(method, path, response):
                differences.append(f"{method} {path} {target or ''} as {persona}: {problem}")
    return differences


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS), ids=lambda v: str(v))
def test_it_answers_each_persona_as_the_matrix_says(personas, settings, tmp_path, method, path):
    settings.MEDIA_ROOT = tmp_path  # dismantling evidence is stored as a file
    differences = _calls(personas, Objects(personas), method, path, OPERATIONS[method, path][1])
    assert not differences, "\n".join(differences)


# --- Scope of the lists ----------------------------------------------------------------------------

IN_SCOPE = {"department": {"a", "b"}, "environment": {"a", "b"}, "city": {"a"}, "ent_a": {"a"}, "ent_b": {"b"}}

# list path -> (kind of its rows, {persona: the targets whose rows it returns})
LISTS: dict[str, tuple[str, dict[str, set[str]]]] = {
    "/registry/enterprises": ("enterprise", IN_SCOPE),
    "/registry/plants": ("plant", IN_SCOPE),
    "/registry/units": ("unit", IN_SCOPE),
    "/stats/reports": ("report", IN_SCOPE),
    "/monitoring/points": ("point", IN_SCOPE),
    "/monitoring/alarms": ("alarm", IN_SCOPE),
    "/capacity/indicators": ("indicator", IN_SCOPE),
    "/capacity/schemes": ("scheme", IN_SCOPE),
    "/enforcement/cases": ("case", IN_SCOPE),
    "/enforcement/orders": ("order", IN_SCOPE),
    "/enforcement/closures": ("closure", IN_SCOPE),
    "/cooperation/projects": ("coop_project", IN_SCOPE),
    "/support/applications": ("support_app", IN_SCOPE),
    "/support/holdings": ("support_holding", IN_SCOPE),
    "/credit/entries": ("credit_entry", IN_SCOPE),
}


def test_it_has_a_scope_row_for_every_list_of_enterprise_rows():
    # Every list whose rows belong to an enterprise; the others (reference data, campaigns, calls, plans,
    # editions, announcements, public data, totals) are the same for everyone who may read them.
    shared = {
        "/reference/divisions", "/reference/metals", "/reference/stages", "/reference/bases", "/reference/units",
        "/reference/clauses", "/reference/targets", "/monitoring/readings", "/monitoring/aggregates",
        "/capacity/objections", "/capacity/ledger/summary", "/enforcement/campaigns", "/enforcement/announcements",
        "/cooperation/countries", "/support/calls", "/support/applications/totals", "/support/plans",
        "/support/reserves", "/credit/criteria", "/credit/editions", "/public/datasets", "/public/announcements",
        "/public/bulletins",
    }  # fmt: skip
    lists = {path for method, path in operations() if method == "GET" and "{" not in path}
    assert lists == set(LISTS) | shared


@pytest.mark.parametrize("path", sorted(LISTS))
def test_it_lists_only_the_rows_in_the_callers_scope(personas, path):
    kind, expected = LISTS[path]
    objs = Objects(personas)
    ids = {target: objs.get(kind, target).pk for target in ("a", "b")}
    keys = tokens(personas)
    for persona, visible in expected.items():
        response = call(Client(), "GET", PREFIX + path, keys[persona])
        assert response.status_code == 200, f"{path} as {persona}"
        returned = ids_of(response.json())
        shown = {target for target, pk in ids.items() if pk in returned}
        assert shown == visible, f"{path} as {persona}: rows of {sorted(shown)}"


# SQL and markup, LIKE wildcards, and Baoji's code (a filter naming another city widens nothing).
INJECTIONS = (
    "' OR '1'='1",
    "1; DROP TABLE registry_enterprise; --",
    "%",
    "<script>alert(1)</script>",
    "\\",
    "_",
    "610300",
)


@pytest.mark.parametrize("path", sorted(LISTS))
def test_it_keeps_the_scope_whatever_the_filters_say(personas, path):
    # Every text filter of a list, sent hostile values by enterprise A: never a 5xx, never B's rows.
    # (The other filters are integers, dates and choices, which the schema validates.)
    kind = LISTS[path][0]
    objs = Objects(personas)
    theirs = objs.get(kind, "b").pk
    objs.get(kind, "a")
    token = tokens(personas)["ent_a"]
    parameters = openapi()["paths"][PREFIX + path]["get"].get("parameters", [])
    texts = [p["name"] for p in parameters if p["in"] == "query" and _is_text(p.get("schema", {}))]
    for name in texts:
        for value in INJECTIONS:
            response = call(Client(), "GET", f"{PREFIX}{path}?{urlencode({name: value})}", token)
            assert response.status_code in (200, 400), f"{path}?{name}={value}: {response.status_code}"
            if response.status_code == 200:
                assert theirs not in ids_of(response.json()), f"{path}?{name}={value}"


def _is_text(schema: dict) -> bool:
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "string" and "enum" not in o and "format" not in o for o in options)
