"""The criteria in the admin: the department's staff edit them, the evaluator's parameters are checked,
every change is audited; editions and entries are read-only there."""

import pytest
from django.urls import reverse

from youse.core import audit
from youse.credit.models import Criterion

pytestmark = pytest.mark.django_db


def _form(criterion: Criterion, **changes) -> dict:
    data = {
        "code": criterion.code, "kind": criterion.kind, "params": '{"months": 12}', "label": criterion.label,
        "label_en": criterion.label_en, "basis": criterion.basis, "active": "on", "order": criterion.order,
        "source": criterion.source, "verified": "on", "audit_reason": "",
    }  # fmt: skip
    data.update(changes)
    return data


def test_it_checks_the_parameters_and_audits_the_change(personas):
    criterion = Criterion.objects.get(code="no-exceedance")
    client = personas.client("department")
    url = reverse("admin:credit_criterion_change", args=[criterion.pk])
    refused = client.post(url, _form(criterion, params='{"months": 0}'))
    assert refused.status_code == 200 and "must be positive" in refused.content.decode()
    criterion.refresh_from_db()
    assert criterion.params == {"months": 12}
    done = client.post(url, _form(criterion, params='{"months": 24}', audit_reason="省金融办意见：两年"))
    assert done.status_code == 302
    criterion.refresh_from_db()
    assert criterion.params == {"months": 24}
    event = audit.history(criterion).get()
    assert event.before["params"] == {"months": 12} and event.after["params"] == {"months": 24}
    assert event.reason == "省金融办意见：两年"


def test_it_keeps_editions_read_only_in_the_admin(published, cast):
    client = cast.p.client("department")
    assert client.get(reverse("admin:credit_edition_add")).status_code == 403
    assert client.get(reverse("admin:credit_edition_change", args=[published.pk])).status_code == 200


def test_it_keeps_others_out_of_the_admin(personas):
    response = personas.client("city").get(reverse("admin:credit_criterion_changelist"))
    assert response.status_code == 302
