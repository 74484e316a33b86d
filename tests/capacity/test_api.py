"""The capacity API under /api/v1/capacity/: the scheme workflow end to end as each persona, who may do
what (401/403/404), scope (drafts stay with their applicant and regulators, published schemes are public),
the refused submission's report, the double claim, objections and dismantling uploads."""

import datetime as dt
import json
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from youse.capacity import ledger, services
from youse.capacity.models import CapacityIndicator, DismantlingEvidence, Objection, ReplacementScheme
from youse.capacity.rules import Holding
from youse.core import services as core_services
from youse.core.models import AuditEvent

API = "/api/v1/capacity"
DUE = dt.date(2027, 12, 31)
PERSONAS = ["department", "environment", "city", "ent_a", "ent_b", "anonymous"]


def api_client(personas, name: str) -> Client:
    """A client that authenticates with a personal token, as API clients do; anonymous sends nothing."""
    user = personas.users[name]
    if user is None:
        return Client(headers={"Accept-Language": "en"})
    _, raw = core_services.issue_token(None, user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def held(code: str) -> dict:
    ind = CapacityIndicator.objects.get(code=code)
    assert ledger.replay(ind) == {h: ind.held(h) for h in Holding}, "journal and columns disagree"
    return {h["code"]: h["tonnes"] for h in ind.holdings}


def codes(response) -> set[str]:
    return {row["code"] for row in response.json()["results"]}


def scheme_body(**extra) -> dict:
    return {
        "title": "示范镁业电解铝产能置换项目",
        "plant": None,
        "site": "府谷县新民镇",
        "division": "610822",
        "main_equipment": "500kA×256",
        "capacity_t": 150000,
        "energy_kwh_per_t": "12900",
        "planned_start": "2027-03-01",
        "planned_production": "2028-06-01",
        "route": "own",
        "contact": "陕西省工业和信息化厅原材料处，029-00000000",
        "exit_lines": [
            {
                "indicator": "CN-A-OLD",
                "tonnes": 150000,
                "dismantling_start": "2027-01-01",
                "dismantling_due": "2027-12-31",
            }
        ],  # fmt: skip
        **extra,
    }


def tiny_png() -> bytes:
    """A real 1×1 grey PNG: signature, IHDR, IDAT and IEND with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Evidence files are stored by content hash: each test gets its own media directory.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def clients(personas, al) -> dict[str, Client]:
    return {name: api_client(personas, name) for name in PERSONAS}


def approved(al, personas) -> ReplacementScheme:
    """A scheme taken through notice and approval by the services (the API workflow is tested below)."""
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    services.end_notices(scheme.notice_end + dt.timedelta(days=1))
    scheme.refresh_from_db()
    return services.approve_scheme(personas.department, scheme, document="陕工信发〔2026〕1号")


# --- Authentication ---------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/indicators"),
    ("get", "/indicators/1"),
    ("post", "/indicators"),
    ("post", "/indicators/1/close"),
    ("get", "/schemes"),
    ("get", "/schemes/1"),
    ("post", "/schemes"),
    ("patch", "/schemes/1"),
    ("post", "/schemes/1/check"),
    ("post", "/schemes/1/submit"),
    ("post", "/schemes/1/publish"),
    ("post", "/schemes/1/approve"),
    ("post", "/schemes/1/withdraw"),
    ("get", "/objections"),
    ("post", "/objections/1/decide"),
    ("post", "/exit-lines/1/dismantling"),
    ("get", "/ledger/summary"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_but_the_objection_form_needs_credentials(clients, method, path):
    client = clients["anonymous"]
    if method == "get":
        response = client.get(f"{API}{path}")
    else:
        response = getattr(client, method)(f"{API}{path}", "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_bad_token_is_refused_even_on_the_public_objection_form(al, personas):
    scheme = al.draft()
    client = Client(headers={"Authorization": "Bearer ys_not-a-token"})
    response = post(client, f"{API}/schemes/{scheme.pk}/objections", {"name": "x", "contact": "y", "text": "z"})
    assert response.status_code == 401
    assert not Objection.objects.exists()


# --- Indicators -------------------------------------------------------------------------------------

INDICATOR_SCOPE = {
    "department": {"CN-A-RUN", "CN-A-OLD", "CN-B-SALE"},
    "environment": {"CN-A-RUN", "CN-A-OLD", "CN-B-SALE"},
    "city": {"CN-A-RUN", "CN-A-OLD"},  # enterprise A is in Fugu, Yulin
    "ent_a": {"CN-A-RUN", "CN-A-OLD"},
    "ent_b": {"CN-B-SALE"},
}


@pytest.mark.parametrize("persona", sorted(INDICATOR_SCOPE))
def test_it_lists_the_indicators_in_the_callers_scope(clients, persona):
    response = clients[persona].get(f"{API}/indicators")
    assert response.status_code == 200
    assert codes(response) == INDICATOR_SCOPE[persona]
    assert response.json()["count"] == len(INDICATOR_SCOPE[persona])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("holding=available", {"CN-A-OLD", "CN-B-SALE"}),
        ("holding=active", {"CN-A-RUN"}),
        ("holding=reserved", set()),
        ("basis=elimination", {"CN-B-SALE"}),
        ("city=610300", {"CN-B-SALE"}),
        ("city=610800", {"CN-A-RUN", "CN-A-OLD"}),
        ("page_size=1&page=2", {"CN-A-RUN"}),
    ],
)
def test_it_filters_indicators(clients, query, expected):
    response = clients["department"].get(f"{API}/indicators?{query}")
    assert response.status_code == 200
    assert codes(response) == expected


def test_it_filters_indicators_by_owner(clients, personas):
    response = clients["department"].get(f"{API}/indicators?owner={personas.enterprise_b.pk}")
    assert codes(response) == {"CN-B-SALE"}


@pytest.mark.parametrize(
    ("query", "field"), [("holdings=available", "holdings"), ("holding=spare", "holding"), ("city=999999", "city")]
)
def test_it_refuses_unknown_filters_and_values_by_name(clients, query, field):
    response = clients["department"].get(f"{API}/indicators?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_indicator_comes_with_its_journal(clients, al):
    response = clients["ent_a"].get(f"{API}/indicators/{al.closed.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "CN-A-OLD"
    assert body["holdings"]["available"] == 150000
    assert body["city"]["code"] == "610800"
    assert [(e["seq"], e["kind"], e["target"], e["tonnes"]) for e in body["entries"]] == [
        (1, "register", "available", 150000)
    ]


def test_another_enterprises_indicator_is_not_found_and_the_attempt_recorded(clients, al):
    response = clients["ent_b"].get(f"{API}/indicators/{al.closed.pk}")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, object_id=str(al.closed.pk)).exists()


REGISTER = {
    "code": "CN-B-NEW",
    "tonnes": 50000,
    "owner": None,
    "origin_document": "宝发改〔2010〕3号",
    "basis": "cleanup_2017",
    "closed_on": "2021-01-01",
    "holding": "available",
}


@pytest.mark.parametrize(
    ("persona", "status"), [("department", 201), ("environment", 403), ("city", 403), ("ent_a", 403), ("ent_b", 403)]
)
def test_only_the_department_registers_capacity(clients, personas, persona, status):
    response = post(clients[persona], f"{API}/indicators", {**REGISTER, "owner": personas.enterprise_b.pk})
    assert response.status_code == status
    assert CapacityIndicator.objects.filter(code="CN-B-NEW").exists() == (status == 201)
    if status == 201:
        assert response.json()["holdings"]["available"] == 50000
        assert held("CN-B-NEW") == {"available": 50000}


def test_registering_names_the_bad_field(clients, personas):
    response = post(clients["department"], f"{API}/indicators", {**REGISTER, "owner": 999999, "basis": "rumour"})
    assert response.status_code == 400
    assert {"owner", "basis"} <= set(response.json()["errors"])
    response = post(clients["department"], f"{API}/indicators", {**REGISTER, "owner": personas.enterprise_b.pk, "x": 1})
    assert response.status_code == 400
    assert "x" in response.json()["errors"]


def test_the_department_closes_disqualifies_and_transfers_out(clients, al):
    dep = clients["department"]
    response = post(dep, f"{API}/indicators/{al.running.pk}/close", {"closed_on": "2024-01-01", "document": "关停令"})
    assert response.status_code == 200
    assert response.json()["holdings"]["available"] == 200000
    response = post(dep, f"{API}/indicators/{al.running.pk}/disqualify", {"tonnes": 10000, "reason": "未列入名单"})
    assert response.status_code == 200
    response = post(
        dep,
        f"{API}/indicators/{al.running.pk}/transfer-out",
        {"tonnes": 40000, "province": "云南省", "reference": "云工信公告2026年第1号"},
    )
    assert response.status_code == 200
    assert held("CN-A-RUN") == {"available": 150000, "ineligible": 10000, "transferred_out": 40000}
    assert [e["kind"] for e in response.json()["entries"]] == ["register", "close", "disqualify", "transfer_out"]


def test_moving_more_tonnes_than_held_is_refused_with_the_indicator_named(clients, al):
    response = post(
        clients["department"],
        f"{API}/indicators/{al.for_sale.pk}/transfer-out",
        {"tonnes": 100001, "province": "云南省", "reference": "云工信公告2026年第1号"},
    )
    assert response.status_code == 400
    assert "CN-B-SALE" in json.dumps(response.json()["errors"], ensure_ascii=False)
    assert held("CN-B-SALE") == {"available": 100000}


@pytest.mark.parametrize(("persona", "status"), [("ent_a", 403), ("ent_b", 404), ("city", 403)])
def test_others_cannot_move_tonnes(clients, al, persona, status):
    response = post(clients[persona], f"{API}/indicators/{al.closed.pk}/disqualify", {"reason": "x"})
    assert response.status_code == status
    assert held("CN-A-OLD") == {"available": 150000}


# --- Schemes: the workflow as each persona ----------------------------------------------------------


def test_the_whole_workflow_through_the_api(clients, personas, al):
    ent_a, ent_b, dep, city, env, anon = (
        clients[n] for n in ("ent_a", "ent_b", "department", "city", "environment", "anonymous")
    )

    # Enterprise A drafts; the applicant is itself.
    response = post(ent_a, f"{API}/schemes", scheme_body())
    assert response.status_code == 201, response.json()
    scheme = response.json()
    sid = scheme["id"]
    assert scheme["state"] == "draft" and scheme["applicant"]["id"] == personas.enterprise_a.pk
    assert [(x["indicator"], x["tonnes"]) for x in scheme["exit_lines"]] == [("CN-A-OLD", 150000)]

    # The draft is A's, its city's and the province's: not B's, not the public's.
    assert ent_b.get(f"{API}/schemes/{sid}").status_code == 404
    assert sid not in {s["id"] for s in ent_b.get(f"{API}/schemes").json()["results"]}
    assert anon.get(f"{API}/schemes/{sid}").status_code == 401
    assert (
        post(anon, f"{API}/schemes/{sid}/objections", {"name": "张三", "contact": "1", "text": "x"}).status_code == 404
    )
    for reader in (city, dep, env):
        assert reader.get(f"{API}/schemes/{sid}").status_code == 200

    # A edits its draft, then checks it: the report is kept on the scheme.
    response = ent_a.patch(f"{API}/schemes/{sid}", json.dumps({"title": "新标题"}), content_type="application/json")
    assert response.status_code == 200 and response.json()["title"] == "新标题"
    response = post(ent_a, f"{API}/schemes/{sid}/check")
    assert response.status_code == 200 and response.json()["passed"] is True
    assert {r["code"] for r in response.json()["results"]} >= {"ratio", "energy"}
    assert ent_a.get(f"{API}/schemes/{sid}").json()["check_report"]["passed"] is True

    # B cannot submit A's scheme; the department cannot publish a draft; A submits.
    assert post(ent_b, f"{API}/schemes/{sid}/submit").status_code == 404
    assert post(dep, f"{API}/schemes/{sid}/publish").status_code == 400
    response = post(ent_a, f"{API}/schemes/{sid}/submit", {"reason": "申报"})
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert held("CN-A-OLD") == {"reserved": 150000}
    response = ent_a.patch(f"{API}/schemes/{sid}", json.dumps({"title": "再改"}), content_type="application/json")
    assert response.status_code == 400 and "state" in response.json()["errors"]

    # Only the department publishes, approves and announces.
    for persona in ("ent_a", "city", "environment"):
        assert post(clients[persona], f"{API}/schemes/{sid}/publish").status_code == 403
    response = post(dep, f"{API}/schemes/{sid}/publish")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "notice" and body["notice_open"] and body["notice_start"] and body["notice_end"]

    # Published: anyone may object, signed in or not; B reads the notice but not the report or objections.
    objection = {"name": "张三", "organisation": "", "contact": "13800000000", "text": "拆除时间过晚"}
    response = post(anon, f"{API}/schemes/{sid}/objections", objection)
    assert response.status_code == 201
    assert set(response.json()) == {"id", "scheme", "filed_at", "status"}
    assert post(ent_b, f"{API}/schemes/{sid}/objections", {**objection, "name": "李四"}).status_code == 201
    filed = Objection.objects.filter(scheme_id=sid)
    assert filed.count() == 2
    assert filed.get(name="张三").remote_addr == "127.0.0.1"
    filers = AuditEvent.objects.filter(content_type__model="objection", action=AuditEvent.Action.CREATE)
    assert sorted(filers.values_list("actor_username", flat=True)) == ["", "ent-b"]  # the public, and B by token
    seen_by_b = ent_b.get(f"{API}/schemes/{sid}").json()
    assert seen_by_b["exit_lines"] and seen_by_b["check_report"] is None and seen_by_b["objections"] == []
    # The applicant reads both objections, not who filed them.
    assert [o["name"] for o in ent_a.get(f"{API}/schemes/{sid}").json()["objections"]] == ["", ""]
    assert {o["name"] for o in dep.get(f"{API}/schemes/{sid}").json()["objections"]} == {"张三", "李四"}
    assert ent_b.get(f"{API}/objections").json()["count"] == 0
    assert dep.get(f"{API}/objections?scheme={sid}").json()["count"] == 2
    assert city.get(f"{API}/objections?status=pending").json()["count"] == 2

    # The department dismisses both; approval waits for the end of the notice.
    for o in filed:
        decision = {"upheld": False, "finding": "拆除计划符合要求"}
        assert post(ent_a, f"{API}/objections/{o.pk}/decide", decision).status_code == 403
        assert post(ent_b, f"{API}/objections/{o.pk}/decide", decision).status_code == 404
        response = post(dep, f"{API}/objections/{o.pk}/decide", decision)
        assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert post(dep, f"{API}/schemes/{sid}/approve", {"document": "陕工信发〔2026〕1号"}).status_code == 400
    services.end_notices(ReplacementScheme.objects.get(pk=sid).notice_end + dt.timedelta(days=1))
    assert post(ent_a, f"{API}/schemes/{sid}/approve", {"document": "x"}).status_code == 403
    response = post(dep, f"{API}/schemes/{sid}/approve", {"document": "陕工信发〔2026〕1号"})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved"
    assert held("CN-A-OLD") == {"consumed": 150000}
    new = CapacityIndicator.objects.get(scheme_id=sid)
    assert held(new.code) == {"active": 150000}
    assert new.code in codes(ent_a.get(f"{API}/indicators?holding=active"))

    response = post(dep, f"{API}/schemes/{sid}/announce", {"document": "陕工信公告2026年第5号"})
    assert response.status_code == 200 and response.json()["state"] == "announced"
    assert post(dep, f"{API}/schemes/{sid}/withdraw").status_code == 400

    # Every step is in the audit trail, on the API channel.
    steps = AuditEvent.objects.filter(object_id=str(sid), content_type__model="replacementscheme")
    by_event = {e.after.get("event"): e.channel for e in steps if e.after and "event" in e.after}
    for event in ("submit", "publish", "approve", "announce"):
        assert by_event[event] == AuditEvent.Channel.API


def test_a_refused_submission_answers_400_with_the_report(clients, al):
    response = post(clients["ent_a"], f"{API}/schemes", scheme_body(capacity_t=200000))
    sid = response.json()["id"]
    response = post(clients["ent_a"], f"{API}/schemes/{sid}/submit")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["errors"]["rules"]
    assert body["report"]["passed"] is False
    failed = [r for r in body["report"]["results"] if not r["passed"]]
    assert failed and all(r["why"] and r["citation"] for r in failed)
    assert any(r["code"] == "ratio" for r in failed)
    assert any(r["passed"] for r in body["report"]["results"])
    assert ReplacementScheme.objects.get(pk=sid).state == "draft"
    assert held("CN-A-OLD") == {"available": 150000}


def test_a_second_claim_on_the_same_tonnes_is_refused_naming_the_indicator(clients, al):
    first = post(clients["ent_a"], f"{API}/schemes", scheme_body()).json()["id"]
    second = post(clients["ent_a"], f"{API}/schemes", scheme_body()).json()["id"]
    assert post(clients["ent_a"], f"{API}/schemes/{first}/submit").status_code == 200
    response = post(clients["ent_a"], f"{API}/schemes/{second}/submit")
    assert response.status_code == 400
    assert "CN-A-OLD" in json.dumps(response.json()["errors"], ensure_ascii=False)
    assert held("CN-A-OLD") == {"reserved": 150000}
    assert ReplacementScheme.objects.get(pk=second).state == "draft"


def test_b_cannot_draft_for_a_nor_claim_through_a_plant_of_a(clients, personas, al):
    response = post(clients["ent_b"], f"{API}/schemes", scheme_body(applicant=personas.enterprise_a.pk))
    assert response.status_code == 400 and "applicant" in response.json()["errors"]
    response = post(clients["ent_b"], f"{API}/schemes", scheme_body(plant=personas.plant_a.pk))
    assert response.status_code == 400 and "plant" in response.json()["errors"]
    for persona in ("city", "environment"):
        assert post(clients[persona], f"{API}/schemes", scheme_body()).status_code == 403
    assert not ReplacementScheme.objects.exists()


def test_a_draft_names_its_bad_lines(clients, al):
    body = scheme_body(exit_lines=[{"indicator": "CN-NOPE", "tonnes": 1}, {"indicator": "CN-A-OLD", "tonnes": 0}])
    response = post(clients["ent_a"], f"{API}/schemes", body)
    assert response.status_code == 400
    assert "exit_lines" in response.json()["errors"]
    response = post(clients["ent_a"], f"{API}/schemes", scheme_body(exit_lines=[{"indicator": "CN-NOPE", "tonnes": 1}]))
    assert response.status_code == 400
    assert "CN-NOPE" in json.dumps(response.json()["errors"], ensure_ascii=False)


def test_editing_a_draft_can_replace_its_exit_lines(clients, al):
    sid = post(clients["ent_a"], f"{API}/schemes", scheme_body(capacity_t=100000)).json()["id"]
    lines = [{"indicator": "CN-B-SALE", "tonnes": 100000, "dismantling_due": "2027-06-30"}]
    response = clients["ent_a"].patch(
        f"{API}/schemes/{sid}", json.dumps({"route": "purchase", "exit_lines": lines}), content_type="application/json"
    )
    assert response.status_code == 200
    assert [(x["indicator"], x["tonnes"]) for x in response.json()["exit_lines"]] == [("CN-B-SALE", 100000)]
    response = clients["ent_a"].patch(
        f"{API}/schemes/{sid}", json.dumps({"title": None}), content_type="application/json"
    )
    assert response.status_code == 400 and "title" in response.json()["errors"]


def test_withdrawal_and_rejection_release_the_tonnes(clients, al, personas):
    first, second = (
        al.draft(),
        al.draft(lines=[{"indicator": "CN-B-SALE", "tonnes": 100000, "dismantling_due": DUE}], capacity=100000),
    )
    services.submit_scheme(personas.ent_a, first)
    assert post(clients["ent_a"], f"{API}/schemes/{first.pk}/withdraw", {"reason": "调整"}).status_code == 200
    assert held("CN-A-OLD") == {"available": 150000}
    services.submit_scheme(personas.ent_a, second)
    assert held("CN-B-SALE") == {"reserved": 100000}
    assert post(clients["department"], f"{API}/schemes/{second.pk}/reject").status_code == 400  # reason required
    response = post(clients["department"], f"{API}/schemes/{second.pk}/reject", {"reason": "购买协议未备案"})
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    assert held("CN-B-SALE") == {"available": 100000}


def test_scheme_filters(clients, al, personas):
    draft = al.draft()
    services.submit_scheme(
        personas.ent_a,
        al.draft(lines=[{"indicator": "CN-B-SALE", "tonnes": 100000, "dismantling_due": DUE}], capacity=1),
    )
    dep = clients["department"]
    assert {s["state"] for s in dep.get(f"{API}/schemes?state=submitted").json()["results"]} == {"submitted"}
    assert draft.pk in {s["id"] for s in dep.get(f"{API}/schemes?city=610800").json()["results"]}
    assert dep.get(f"{API}/schemes?city=610300").json()["count"] == 0
    assert dep.get(f"{API}/schemes?applicant={personas.enterprise_b.pk}").json()["count"] == 0
    assert dep.get(f"{API}/schemes?state=dreaming").status_code == 400
    assert "sate" in dep.get(f"{API}/schemes?sate=draft").json()["errors"]


# --- Objections -------------------------------------------------------------------------------------


def test_an_upheld_objection_cuts_tonnes_and_sends_the_scheme_back(clients, al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    oid = post(
        clients["anonymous"],
        f"{API}/schemes/{scheme.pk}/objections",
        {"name": "王五", "contact": "wang@example.cn", "text": "其中2万吨未列入清理整顿名单"},
    ).json()["id"]
    line = scheme.exit_lines.get()
    dep = clients["department"]
    bad = post(dep, f"{API}/objections/{oid}/decide", {"upheld": True, "finding": "属实", "cut_line": 999999,
                                                       "cut_tonnes": 20000})  # fmt: skip
    assert bad.status_code == 400 and "cut_line" in bad.json()["errors"]
    decision = {"upheld": True, "finding": "2万t 未列入名单", "cut_line": line.pk, "cut_tonnes": 20000}
    response = post(dep, f"{API}/objections/{oid}/decide", decision)
    assert response.status_code == 200
    assert response.json()["status"] == "upheld" and response.json()["cut_tonnes"] == 20000
    assert held("CN-A-OLD") == {"available": 130000, "ineligible": 20000}
    detail = clients["ent_a"].get(f"{API}/schemes/{scheme.pk}").json()
    assert detail["state"] == "draft" and detail["returned_reason"] == "2万t 未列入名单"
    assert post(dep, f"{API}/objections/{oid}/decide", decision).status_code == 400  # decided once
    # Sent back, the scheme is no longer in notice: no more objections.
    response = post(clients["anonymous"], f"{API}/schemes/{scheme.pk}/objections", {"name": "a", "contact": "b",
                                                                                    "text": "c"})  # fmt: skip
    assert response.status_code == 400 and "scheme" in response.json()["errors"]


def test_an_objection_needs_a_name_a_contact_and_a_text(clients, al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    response = post(clients["anonymous"], f"{API}/schemes/{scheme.pk}/objections", {"name": " ", "text": "x"})
    assert response.status_code == 400
    assert "contact" in response.json()["errors"]
    response = post(clients["anonymous"], f"{API}/schemes/{scheme.pk}/objections", {"name": "x", "contact": " ",
                                                                                     "text": "y"})  # fmt: skip
    assert response.status_code == 400 and "contact" in response.json()["errors"]
    assert not Objection.objects.exists()


# --- Dismantling ------------------------------------------------------------------------------------


def upload(client: Client, line_id: int, *files: SimpleUploadedFile, when: dt.date | None = None):
    data = {"dismantled_on": (when or dt.date.today() - dt.timedelta(days=3)).isoformat(), "note": "现场核查"}
    if files:
        data["files"] = list(files)
    return client.post(f"{API}/exit-lines/{line_id}/dismantling", data)


def test_the_city_confirms_dismantling_with_a_photo(clients, al, personas):
    line = approved(al, personas).exit_lines.get()
    photo = SimpleUploadedFile("现场照片.png", tiny_png(), content_type="image/png")
    response = upload(clients["city"], line.pk, photo)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["dismantled_on"] and body["dismantling_note"] == "现场核查"
    assert [(e["original_name"], e["content_type"]) for e in body["evidence"]] == [("现场照片.png", "image/png")]
    evidence = DismantlingEvidence.objects.get()
    assert evidence.file.read() == tiny_png()
    assert evidence.file.name.endswith(f"{evidence.sha256}.png")
    al.closed_unit.refresh_from_db()
    assert al.closed_unit.status == "exited"
    # Confirmed once: a second confirmation is refused.
    again = upload(clients["department"], line.pk, SimpleUploadedFile("b.png", tiny_png()))
    assert again.status_code == 400 and "dismantled_on" in again.json()["errors"]


@pytest.mark.parametrize(("persona", "status"), [("ent_a", 403), ("environment", 403), ("ent_b", 404)])
def test_only_the_city_or_the_department_confirms_dismantling(clients, al, personas, persona, status):
    line = approved(al, personas).exit_lines.get()
    response = upload(clients[persona], line.pk, SimpleUploadedFile("a.png", tiny_png()))
    assert response.status_code == status
    assert not DismantlingEvidence.objects.exists()


def test_an_executable_renamed_or_not_is_refused(clients, al, personas):
    line = approved(al, personas).exit_lines.get()
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
    for name in ("setup.exe", "photo.png"):
        response = upload(clients["city"], line.pk, SimpleUploadedFile(name, exe, content_type="image/png"))
        assert response.status_code == 400
        assert name in " ".join(response.json()["errors"]["files"])
    assert not DismantlingEvidence.objects.exists()
    line.refresh_from_db()
    assert line.dismantled_on is None


def test_an_oversized_file_is_refused(clients, al, personas, settings):
    line = approved(al, personas).exit_lines.get()
    settings.YOUSE_EVIDENCE_MAX_BYTES = 1024
    big = tiny_png() + b"\x00" * 2048  # a PNG header, but over the limit
    response = upload(clients["city"], line.pk, SimpleUploadedFile("big.png", big))
    assert response.status_code == 400
    assert "limit" in " ".join(response.json()["errors"]["files"])
    assert not DismantlingEvidence.objects.exists()


def test_dismantling_needs_files_and_a_past_date(clients, al, personas):
    line = approved(al, personas).exit_lines.get()
    response = upload(clients["city"], line.pk)
    assert response.status_code == 400 and "files" in response.json()["errors"]
    future = dt.date.today() + dt.timedelta(days=10)
    response = upload(clients["city"], line.pk, SimpleUploadedFile("a.png", tiny_png()), when=future)
    assert response.status_code == 400 and "dismantled_on" in response.json()["errors"]


def test_a_draft_line_cannot_be_confirmed_dismantled(clients, al):
    line = al.draft().exit_lines.get()
    response = upload(clients["city"], line.pk, SimpleUploadedFile("a.png", tiny_png()))
    assert response.status_code == 400 and "scheme" in response.json()["errors"]


# --- Ledger totals ----------------------------------------------------------------------------------


def test_the_ledger_summary_is_scoped_and_balanced(clients, al, personas):
    services.submit_scheme(
        personas.ent_a,
        al.draft(capacity=100000, lines=[{"indicator": "CN-A-OLD", "tonnes": 100000, "dismantling_due": DUE}]),
    )
    body = clients["department"].get(f"{API}/ledger/summary").json()
    assert body["indicators"] == 3 and body["tonnes"] == 450000
    assert body["totals"] == {"active": 200000, "available": 150000, "reserved": 100000, "consumed": 0, "lapsed": 0,
                              "ineligible": 0, "transferred_out": 0}  # fmt: skip
    by_city = {row["city"]["code"]: row for row in body["by_city"]}
    assert set(by_city) == {"610800", "610300"}
    assert by_city["610800"]["tonnes"] == 350000 and by_city["610800"]["reserved"] == 100000
    assert by_city["610300"]["available"] == 100000 and by_city["610300"]["indicators"] == 1
    for row in body["by_city"]:
        assert row["tonnes"] == sum(row[h.value] for h in Holding)
    if body["national"] is not None:
        assert body["national"]["ceiling_t"] > 0

    city = clients["city"].get(f"{API}/ledger/summary").json()
    assert [row["city"]["code"] for row in city["by_city"]] == ["610800"] and city["tonnes"] == 350000
    ent_b = clients["ent_b"].get(f"{API}/ledger/summary").json()
    assert ent_b["tonnes"] == 100000 and ent_b["totals"]["available"] == 100000
    assert clients["department"].get(f"{API}/ledger/summary?city=610800").status_code == 400


def test_the_api_gives_the_applicant_objections_without_the_objectors_identity(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    services.file_objection(None, scheme, {"name": "李四", "contact": "13911112222", "text": "异议内容"})
    mine = personas.client("ent_a").get(f"/api/v1/capacity/schemes/{scheme.pk}").json()["objections"]
    assert [(o["text"], o["name"], o["contact"]) for o in mine] == [("异议内容", "", "")]
    theirs = personas.client("department").get("/api/v1/capacity/objections").json()["results"]
    assert [(o["name"], o["contact"]) for o in theirs] == [("李四", "13911112222")]
