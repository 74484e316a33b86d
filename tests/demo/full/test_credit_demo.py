"""The demo's credit support list (youse.demo.credit), built once at scale 1 with the monthly reports, and
rolled back after the module: the 2020 list and the current year's, both published, where the demo's known
failures (orders overdue, closures, exceedances, the capacity violation) exclude with their reasons."""

import pytest
from django.test import Client
from django.utils import timezone

from youse.core.models import User
from youse.credit.models import Edition, Entry
from youse.enforcement.models import Closure, RectificationOrder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _current() -> Edition:
    return Edition.objects.get(year=timezone.localdate().year)


def _failing(edition: Edition, code: str) -> list[Entry]:
    return list(edition.entries.filter(failed__contains=f",{code},"))


def test_it_publishes_the_2020_list_as_of_the_end_of_2020():
    first = Edition.objects.get(year=2020)
    assert first.status == "published" and first.as_of.isoformat() == "2020-12-31"
    assert first.document.endswith("（示例）")
    included = first.entries.filter(included=True)
    assert included.exists() and first.entries.filter(included=False).exists()
    # Revenue of 2020 judged every candidate; those below the threshold say by how much.
    assert any("< 5 亿元" in r["reason"] for e in _failing(first, "backbone") for r in e.results)


def test_the_current_list_excludes_the_known_failures_for_their_reasons():
    current = _current()
    assert current.status == "published" and current.as_of == timezone.localdate()
    overdue = RectificationOrder.objects.filter(overdue_since__isnull=False).select_related("case__enterprise")
    for order in overdue:
        entry = current.entries.get(enterprise=order.case.enterprise)
        assert not entry.included
        assert order.code in next(r["reason"] for r in entry.results if r["code"] == "no-open-order")
    for closure in Closure.objects.filter(state__in=["decided", "executed"]).select_related("case"):
        entry = current.entries.get(enterprise=closure.case.enterprise_id)
        assert not entry.included and closure.case.code in entry.results[-1]["reason"]
    assert _failing(current, "no-exceedance") and _failing(current, "no-capacity-violation")


def test_the_department_overrides_one_entry_with_its_reason():
    overridden = Entry.objects.filter(override_included__isnull=False)
    assert overridden.count() == 1
    entry = overridden.get()
    assert entry.included and not entry.derived_included and entry.failed_codes() == ["backbone"]
    assert "省金融办" in entry.override_reason


def test_the_counts_are_recorded_in_the_data_set():
    from youse.demo.models import DemoDataset

    counts = DemoDataset.objects.get().counts
    assert counts["credit_editions"] == 2
    assert counts["credit_entries_included"] == Entry.objects.filter(included=True).count()


def test_the_pages_answer_for_the_personas(settings):
    settings.DEBUG = True  # the demo personas sign in only on a development server
    current = _current()
    for username in ("gxt", "yulin", "hbt", "ent-a"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get("/credit/", follow=True).status_code == 200
        entries = Entry.objects.filter(edition=current)
        if username == "ent-a":
            own = entries.get(enterprise=client.get("/credit/")["Location"].rstrip("/").split("/")[-1])
            assert client.get(f"/credit/entries/{own.pk}/").status_code == 200
        else:
            assert client.get(f"/credit/editions/{current.pk}/").status_code == 200
            assert client.get(f"/credit/editions/{current.pk}/export/").status_code == 200
    public = Client().get(f"/public/credit/{current.pk}/").content.decode()
    assert current.title in public
    excluded = current.entries.filter(included=False).first()
    assert excluded.name not in public
