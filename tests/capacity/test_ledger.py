"""The journal balances whatever happens: random sequences of ledger operations through the service
functions, on the database, with the balance checked after every step; and the database's own CHECKs
refusing a raw UPDATE that would count a tonne twice or hold less than nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from youse.capacity import ledger, services
from youse.capacity.models import CapacityIndicator, ExitLine, ReplacementScheme
from youse.capacity.rules import RESERVING, Holding, SchemeState

TONNES = st.integers(min_value=1, max_value=300_000)


class LedgerMachine(RuleBasedStateMachine):
    """Each run starts from the `al` fixture's ledger inside a savepoint, rolled back at its end."""

    p = None  # the personas, set by the test

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.serial = 0
        self.today = timezone.localdate()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- helpers -----------------------------------------------------------------------------------
    def indicators(self, **held) -> list[CapacityIndicator]:
        return list(CapacityIndicator.objects.filter(**{f"{h}_t__gt": 0 for h in held}).order_by("pk"))

    def schemes(self, *states: str) -> list[ReplacementScheme]:
        return list(ReplacementScheme.objects.filter(state__in=states).order_by("pk"))

    def pick(self, data, options: list):
        return data.draw(st.sampled_from(options)) if options else None

    def publish(self, scheme: ReplacementScheme) -> ReplacementScheme:
        if scheme.state == SchemeState.SUBMITTED:
            services.publish_scheme(self.p.department, scheme)
        scheme.refresh_from_db()
        return scheme

    # --- operations ------------------------------------------------------------------------------------
    @rule(tonnes=TONNES, running=st.booleans(), expired=st.booleans())
    def register(self, tonnes, running, expired):
        self.serial += 1
        data = {
            "code": f"CN-H-{self.serial:03d}",
            "tonnes": tonnes,
            "owner": self.p.enterprise_a if running else self.p.enterprise_b,
            "origin_document": f"示例〔2015〕{self.serial}号",
            "basis": "cleanup_2017",
        }
        if expired:
            data["use_by"] = self.today - dt.timedelta(days=1)
        services.register_indicator(self.p.department, data, holding="active" if running else "available")

    @rule(data=st.data())
    def close(self, data):
        ind = self.pick(data, self.indicators(active=True))
        if ind is not None:
            tonnes = data.draw(st.integers(1, ind.active_t))
            services.close_capacity(
                self.p.department, ind, closed_on=self.today, document="关停〔2026〕1号", tonnes=tonnes
            )

    @initialize(data=st.data())
    def a_scheme_claims_the_fixtures_closed_capacity(self, data):
        # So that every run has tonnes reserved for the operations that release, consume or cut them.
        self.submit(data, self.indicators(available=True))

    @rule(data=st.data())
    def reserve_by_submitting(self, data):
        # Mostly indicators with tonnes to claim, now and then any (which must be refused).
        options = self.indicators(available=True) if data.draw(st.integers(0, 4)) else self.indicators()
        if options:
            self.submit(data, options)

    def submit(self, data, options: list[CapacityIndicator]) -> None:
        chosen = data.draw(st.lists(st.sampled_from(options), min_size=1, max_size=2, unique_by=lambda i: i.pk))
        # Sometimes more than is there: the rules or the ledger must refuse it whole.
        lines = [
            {
                "indicator": ind.code,
                "tonnes": data.draw(st.integers(1, max(ind.available_t, 1)) | st.integers(1, ind.available_t + 20_000)),
                "dismantling_due": dt.date(2027, 12, 31),
            }
            for ind in chosen
        ]
        scheme = services.create_scheme(
            self.p.department,
            {
                "title": "置换项目",
                "applicant": self.p.enterprise_a.pk,
                "plant": self.p.plant_a.pk,
                "site": "府谷县",
                "division": "610822",
                "main_equipment": "500kA×256",
                "capacity_t": sum(line["tonnes"] for line in lines),
                "energy_kwh_per_t": "12900",
                "planned_start": dt.date(2027, 3, 1),
                "planned_production": dt.date(2028, 6, 1),
                "contact": "029-00000000",
            },
            lines,
        )
        claimable = all(
            line["tonnes"] <= ind.available_t and not ind.use_by for line, ind in zip(lines, chosen, strict=True)
        )
        try:
            services.submit_scheme(self.p.department, scheme)
        except ValidationError:
            assert not claimable
            scheme.refresh_from_db()
            assert scheme.state == SchemeState.DRAFT and not scheme.exit_lines.filter(reserved_t__gt=0).exists()
        else:
            assert claimable

    @rule(data=st.data())
    def release_by_withdrawing(self, data):
        scheme = self.pick(data, self.schemes(*RESERVING))
        if scheme is not None:
            services.withdraw_scheme(self.p.department, scheme, reason="项目调整")

    @rule(data=st.data())
    def consume_by_approving(self, data):
        scheme = self.pick(data, self.schemes(SchemeState.SUBMITTED, SchemeState.NOTICE, SchemeState.REVIEW))
        if scheme is None:
            return
        scheme = self.publish(scheme)
        if scheme.state == SchemeState.NOTICE:
            services.end_notices(scheme.notice_end + dt.timedelta(days=1))
        services.approve_scheme(self.p.department, scheme, document="陕工信发〔2026〕1号")

    @rule(data=st.data())
    def cut_by_an_upheld_objection(self, data):
        scheme = self.pick(data, self.schemes(SchemeState.SUBMITTED, SchemeState.NOTICE))
        if scheme is None:
            return
        scheme = self.publish(scheme)
        line = data.draw(st.sampled_from(list(scheme.exit_lines.order_by("pk"))))
        cut = data.draw(st.integers(0, line.reserved_t))
        objection = services.file_objection(None, scheme, {"name": "张三", "contact": "138", "text": "不合规"})
        services.decide_objection(
            self.p.department, objection, upheld=True, finding="核减", cut_line=line, cut_tonnes=cut
        )

    @rule()
    def lapse(self):
        services.lapse_due(self.today)

    @rule(data=st.data())
    def transfer_out(self, data):
        ind = self.pick(data, self.indicators(available=True))
        if ind is not None:
            tonnes = data.draw(st.integers(1, ind.available_t))
            services.transfer_out(
                self.p.department, ind, tonnes=tonnes, province="内蒙古自治区", reference="内蒙古公告2026年第1号"
            )

    @rule(data=st.data(), active=st.booleans())
    def disqualify(self, data, active):
        holding = "active" if active else "available"
        ind = self.pick(data, self.indicators(**{holding: True}))
        if ind is not None:
            tonnes = data.draw(st.integers(1, ind.held(Holding(holding))))
            services.disqualify(self.p.department, ind, tonnes=tonnes, holding=holding, reason="无合规依据")

    @invariant()
    def journal_and_columns_agree_and_balance(self):
        for ind in CapacityIndicator.objects.all():
            columns = {h: ind.held(h) for h in Holding}
            assert ledger.replay(ind) == columns, ind.code
            assert all(t >= 0 for t in columns.values()), ind.code
            # Tonnes in (the registration) = tonnes out + tonnes held.
            entered = ind.entries.filter(source="").aggregate(t=Sum("tonnes"))["t"]
            assert entered == ind.tonnes == sum(columns.values()), ind.code
            # Each reserved tonne is held by exactly one exit line of a pending scheme.
            by_lines = ExitLine.objects.filter(indicator=ind).aggregate(t=Sum("reserved_t"))["t"] or 0
            assert by_lines == ind.reserved_t, ind.code
        assert not ExitLine.objects.filter(reserved_t__gt=0).exclude(scheme__state__in=RESERVING).exists()


def test_the_journal_balances_after_any_sequence_of_operations(al, personas):
    LedgerMachine.p = personas
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert ledger.discrepancies() == []  # and every run rolled back to the fixture's ledger
    assert CapacityIndicator.objects.count() == 3


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_a_tonne_counted_twice(al):
    with pytest.raises(IntegrityError):
        _raw("UPDATE capacity_capacityindicator SET reserved_t = reserved_t + 1000 WHERE code = %s", ["CN-A-OLD"])
    al.closed.refresh_from_db()
    assert (al.closed.available_t, al.closed.reserved_t) == (150000, 0)


def test_the_database_refuses_a_negative_holding_even_when_the_sum_still_balances(al):
    with pytest.raises(IntegrityError):
        _raw(
            "UPDATE capacity_capacityindicator SET available_t = available_t - 200000, "
            "reserved_t = reserved_t + 200000 WHERE code = %s",
            ["CN-A-OLD"],
        )
    al.closed.refresh_from_db()
    assert ledger.replay(al.closed) == {h: al.closed.held(h) for h in Holding}
