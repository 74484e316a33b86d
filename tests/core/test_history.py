"""The change log of an object (core/history.py) reads as words: flags are yes/no, not True/False."""

from tests.cooperation.conftest import filed
from youse.cooperation import services
from youse.core.history import history_events


def test_it_shows_a_flag_as_yes_or_no(personas):
    project = filed(personas, personas.enterprise_a, personas.ent_a)
    services.flag_project(personas.department, project, True, reason="外汇管制风险上升")
    changes = [row for event in history_events(personas.department, project) for row in event.labelled_changes]
    flagged = [row for row in changes if "yes" in (row[1], row[2])]
    assert flagged, changes
    assert not any("True" in (str(row[1]), str(row[2])) or "False" in (str(row[1]), str(row[2])) for row in changes)
