"""The ticker on frozen time: overdue sub-tasks and milestones and silent owners are flagged once; a
report clears the silence; finished items are left alone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from youse.core.models import AuditEvent
from youse.core.tick import DUTIES
from youse.supervision import services
from youse.supervision.models import Milestone, SubTask

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.now = None
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: dt.date) -> dt.datetime:
        self.now = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=BEIJING).astimezone(dt.UTC)
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock(monkeypatch)
    c.set(dt.date(2026, 1, 5))
    return c


def tick(clock, day: dt.date) -> list[str]:
    now = clock.set(day)
    return [DUTIES[name].run(now) for name in ("supervision.overdue", "supervision.silent")]


def test_it_flags_overdue_items_once(sup, clock):
    late = sup.subtask(deadline=dt.date(2026, 3, 31))
    done = sup.subtask(title="已完成", deadline=dt.date(2026, 3, 31))
    sup.plan(milestone_due=dt.date(2026, 3, 31))
    clock.set(dt.date(2026, 3, 20))
    services.report_progress(sup.fgw, done, {"text": "完成", "percent": 100})
    assert tick(clock, dt.date(2026, 3, 31))[0].startswith("0 ")  # the deadline day is not late
    assert tick(clock, dt.date(2026, 4, 1))[0].startswith("2 ")
    assert tick(clock, dt.date(2026, 4, 2))[0].startswith("0 ")
    late.refresh_from_db()
    done.refresh_from_db()
    assert late.overdue_since == dt.date(2026, 4, 1) and done.overdue_since is None
    assert Milestone.objects.get().overdue_since == dt.date(2026, 4, 1)
    assert AuditEvent.objects.filter(after__event="overdue").count() == 2


def test_it_flags_silent_owners_once_and_a_report_clears_it(sup, clock, settings):
    settings.YOUSE_SILENT_DAYS = 90
    st = sup.subtask(starts_on=dt.date(2026, 1, 1), deadline=dt.date(2027, 12, 31))
    assert tick(clock, dt.date(2026, 3, 31))[1].startswith("0 ")  # 89 days
    assert tick(clock, dt.date(2026, 4, 1))[1].startswith("1 ")
    assert tick(clock, dt.date(2026, 4, 5))[1].startswith("0 ")
    st.refresh_from_db()
    assert st.silent_since == dt.date(2026, 4, 1)
    services.report_progress(sup.fgw, st, {"text": "推进中", "percent": 30})
    st.refresh_from_db()
    assert st.silent_since is None and st.last_report_on == dt.date(2026, 4, 5)
    assert tick(clock, dt.date(2026, 7, 3))[1].startswith("0 ")  # 89 days after the report
    assert tick(clock, dt.date(2026, 7, 4))[1].startswith("1 ")
    assert SubTask.objects.get().silent_since == dt.date(2026, 7, 4)


def test_the_silence_threshold_is_a_setting(sup, clock, settings):
    settings.YOUSE_SILENT_DAYS = 30
    sup.subtask(starts_on=dt.date(2026, 1, 1), deadline=dt.date(2027, 12, 31))
    assert tick(clock, dt.date(2026, 1, 31))[1].startswith("1 ")
