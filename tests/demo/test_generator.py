"""The demo data set built into a database through the service functions (built once per module)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import override_settings

from youse.capacity.models import CapacityIndicator, DismantlingEvidence, ExitLine, Objection, ReplacementScheme
from youse.core.models import AuditEvent, User
from youse.core.roles import Role
from youse.demo.generator import DemoRefused, build
from youse.demo.models import DemoDataset
from youse.demo.personas import PASSWORD
from youse.demo.plan import plan
from youse.monitoring.models import MonitoringPoint
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange
from youse.registry.rules import validate_credit_code
from youse.stats.models import MonthlyReport


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Scale 1, seed 42, built once and rolled back after the module's tests."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build(42, 1)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("demo")


def test_it_builds_the_expected_shape(db, demo):
    assert 180 <= Enterprise.objects.count() <= 220
    assert set(ProductionUnit.objects.values_list("metal__code", flat=True)) >= {
        "Ti",
        "Mo",
        "Al",
        "Mg",
        "V",
        "Pb",
        "Zn",
    }
    bases = set(Enterprise.objects.exclude(base=None).values_list("base__code", flat=True))
    assert bases == {"baoji-ti", "tongchuan-almg", "yulin-almg", "weinan-mo", "xian-mo", "shangluo-v"}
    yulin = ProductionUnit.objects.filter(plant__division__prefecture__code="610800")
    assert set(yulin.values_list("metal__code", flat=True)) >= {"Mg", "Al"}
    baoji = ProductionUnit.objects.filter(plant__division__prefecture__code="610300")
    assert baoji.filter(metal__code="Ti").count() > 40


def test_it_records_the_data_set_with_its_counts(db, demo):
    dataset = DemoDataset.objects.get()
    assert (dataset.seed, dataset.scale) == (42, 1)
    assert dataset.counts["enterprises"] == Enterprise.objects.count()
    assert dataset.counts["units"] == ProductionUnit.objects.count()
    assert dataset.counts["status_changes"] == UnitStatusChange.objects.count()


def test_it_builds_what_the_plan_draws(db, demo):
    planned = plan(42, 1)
    assert sorted(Enterprise.objects.values_list("name", "credit_code")) == sorted(
        (e.name, e.credit_code) for e in planned
    )
    assert Plant.objects.count() == sum(len(e.plants) for e in planned)


def test_it_gives_every_enterprise_a_valid_credit_code(db, demo):
    for code, division_code, located in Enterprise.objects.values_list(
        "credit_code", "division__code", "division__located_in"
    ):
        assert validate_credit_code(code) == code
        assert code[2:8] == division_code or code[2:8] in located or division_code == ""


def test_it_gives_every_unit_a_history_consistent_with_its_status(db, demo):
    history: dict[int, list[UnitStatusChange]] = {}
    for change in UnitStatusChange.objects.order_by("unit_id", "effective_on", "id"):
        history.setdefault(change.unit_id, []).append(change)
    units = list(ProductionUnit.objects.all())
    assert {u.status for u in units} == {"planned", "approved", "construction", "operating", "idle", "exited"}
    for unit in units:
        changes = history[unit.pk]
        assert changes[0].from_status == ""
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_status == before.to_status
        assert changes[-1].to_status == unit.status
        assert changes[-1].effective_on == unit.status_since
        assert all(c.document for c in changes)


def test_it_creates_the_personas_with_their_scopes(db, demo):
    users = {u.username: u for u in User.objects.filter(demo_persona=True)}
    assert set(users) == {"gxt", "hbt", "fgw", "yulin", "baoji", "ent-a", "ent-b"}
    assert users["gxt"].role == Role.DEPARTMENT and users["gxt"].is_staff
    assert users["gxt"].display_name == "省工信厅"
    assert (users["hbt"].role, users["hbt"].unit.code) == (Role.PROVINCIAL_UNIT, "hbt")
    assert (users["fgw"].role, users["fgw"].unit.code) == (Role.PROVINCIAL_UNIT, "fgw")
    assert (users["yulin"].role, users["yulin"].division.code) == (Role.CITY, "610800")
    assert (users["baoji"].role, users["baoji"].division.code) == (Role.CITY, "610300")
    assert users["ent-a"].enterprise.division.prefecture.code == "610800"
    assert users["ent-b"].enterprise.division.prefecture.code == "610300"
    assert all(u.check_password(PASSWORD) for u in users.values())


def test_it_lets_personas_sign_in_only_with_debug(db, demo, client, settings):
    settings.DEBUG = True
    assert client.login(username="yulin", password=PASSWORD)
    client.logout()
    settings.DEBUG = False
    assert not client.login(username="yulin", password=PASSWORD)


def test_it_audits_every_enterprise_and_unit_on_the_demo_channel(db, demo):
    department = User.objects.get(username="gxt")
    for model in (Enterprise, ProductionUnit):
        audited = set(
            AuditEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                channel=AuditEvent.Channel.DEMO,
                action=AuditEvent.Action.CREATE,
                actor=department,
            ).values_list("object_id", flat=True)
        )
        assert {str(pk) for pk in model.objects.values_list("pk", flat=True)} <= audited
    transitions = AuditEvent.objects.filter(
        action=AuditEvent.Action.TRANSITION,
        channel=AuditEvent.Channel.DEMO,
        content_type=ContentType.objects.get_for_model(ProductionUnit),
    )
    assert transitions.count() == UnitStatusChange.objects.exclude(from_status="").count()
    assert not AuditEvent.objects.exclude(channel=AuditEvent.Channel.DEMO).exists()


def test_it_refuses_a_second_run_and_writes_nothing(db, demo):
    before = (Enterprise.objects.count(), AuditEvent.objects.count(), DemoDataset.objects.count())
    with pytest.raises(DemoRefused, match="already holds"):
        build(43, 1)
    assert (Enterprise.objects.count(), AuditEvent.objects.count(), DemoDataset.objects.count()) == before


def test_it_renders_every_page_for_the_department_saying_the_data_are_synthetic(db, demo, client, settings):
    from django.core.cache import cache
    from django.urls import reverse

    from tests.core.test_persona_matrix import BULLETIN_ARGS, ENFORCEMENT_ARGS, PAGES
    from youse.cooperation.models import OverseasProject
    from youse.credit.models import Edition, Entry
    from youse.enforcement.models import Announcement, Campaign, Case, Closure, Evidence, Inspection, RectificationOrder
    from youse.portal.models import Bulletin
    from youse.pricing.models import Assessment, SurchargeList
    from youse.support.models import Application, FundCall, Holding

    cache.clear()  # the synthetic-data flag is cached
    settings.DEBUG = True  # demo personas' sessions hold only while DEBUG is on
    client.force_login(User.objects.get(username="gxt"))
    first = {
        "enterprise": Enterprise.objects.order_by("pk").first(),
        "plant": Plant.objects.order_by("pk").first(),
        "unit": ProductionUnit.objects.exclude(status="exited").order_by("pk").first(),
        "report": MonthlyReport.objects.filter(status__in=["draft", "returned"]).order_by("pk").first(),
        "warning": None,
        "point": MonitoringPoint.objects.order_by("pk").first(),
        "alarm": None,
        "packet": None,
        "indicator": CapacityIndicator.objects.order_by("pk").first(),
        "scheme": ReplacementScheme.objects.filter(state="draft").order_by("pk").first(),
        "objection": Objection.objects.order_by("pk").first(),
        "exit_line": ExitLine.objects.order_by("pk").first(),
        "evidence": DismantlingEvidence.objects.order_by("pk").first(),
        "public_scheme": ReplacementScheme.objects.filter(published_at__isnull=False).order_by("pk").first(),
        "campaign": Campaign.objects.order_by("pk").first(),
        "source": None,
        "case": Case.objects.order_by("pk").first(),
        "inspection": Inspection.objects.filter(verdict="fail", case__status="rectifying").order_by("pk").first(),
        "order": RectificationOrder.objects.order_by("pk").first(),
        "order_done": RectificationOrder.objects.filter(state="submitted").order_by("pk").first(),
        "case_evidence": Evidence.objects.filter(inspection__isnull=False).order_by("pk").first(),
        "closure": Closure.objects.filter(state="decided").order_by("pk").first(),
        "closure_file": Evidence.objects.filter(purpose="minutes").order_by("pk").first(),
        "announcement": Announcement.objects.filter(published_at=None).order_by("pk").first(),
        "public_announcement": Announcement.objects.filter(published_at__isnull=False).order_by("pk").first(),
        "surcharge_list": SurchargeList.objects.order_by("pk").first(),
        "assessment": Assessment.objects.order_by("pk").first(),
        "coop_project": OverseasProject.objects.exclude(filing="draft").order_by("pk").first(),
        "coop_draft": OverseasProject.objects.filter(filing="draft").order_by("pk").first(),
        "support_app": Application.objects.filter(state="draft").order_by("pk").first(),
        "support_call": FundCall.objects.order_by("pk").first(),
        "support_holding": Holding.objects.order_by("pk").first(),
        "credit_edition": Edition.objects.filter(status="published").order_by("pk").first(),
        "credit_entry": Entry.objects.order_by("pk").first(),
        "bulletin": Bulletin.objects.current_published().first(),
        **_supervision_first(),
    }
    first["closure_file"].closure_pk = Closure.objects.get(case=first["closure_file"].case).pk
    rendered = 0
    for name, (kind, targets) in PAGES.items():
        expected = next(iter(targets.values()))["department"]
        if expected != 200 or name in ("healthz", "portal:download") or (kind and first[kind] is None):
            continue  # (the open-data downloads are files; the portal's tests read them)
        key = (first[kind].code if kind == "public_scheme" else first[kind].pk) if kind else None
        args = [key] if kind else []
        if name in ENFORCEMENT_ARGS or name in BULLETIN_ARGS:
            args = {**ENFORCEMENT_ARGS, **BULLETIN_ARGS}[name](first[kind], [key])
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        if not response["Content-Type"].startswith("text/html"):
            continue  # downloads (the Excel template) carry their own note
        body = response.content.decode()
        if "<html" not in body:
            continue  # a fragment (htmx) shown inside a page that carries the note
        assert "示例数据" in body, f"{name} does not say the data are synthetic"
        rendered += 1
    assert rendered >= 15


def _supervision_first() -> dict:
    from youse.supervision.models import CityPlan, Milestone, ProgressEvidence, SubTask
    from youse.supervision.report import task_clauses

    return {
        "sup_clause": task_clauses().first(),
        "sup_subtask": SubTask.objects.order_by("pk").first(),
        "sup_milestone": Milestone.objects.order_by("pk").first(),
        "sup_evidence": ProgressEvidence.objects.order_by("pk").first(),
        "sup_plan": CityPlan.objects.order_by("pk").first(),
    }
