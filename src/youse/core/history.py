"""An object's audit history as people read it: field labels, choices and related rows by name.

Used by every object page's history include (templates/includes/history.html)."""

from collections import defaultdict

from django.db import models
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent

HISTORY_LIMIT = 100

_HIDDEN_HISTORY_KEYS = frozenset({"id", "created_at", "updated_at"})


def history_events(user, obj: models.Model) -> list[AuditEvent]:
    """The object's audit events for the history include, each with `labelled_changes`:
    (field label, before, after) with field names, choices and foreign keys shown as people read them.

    Refusals name who tried what; only roles that may search the audit trail see them here."""
    events = audit.history(obj)
    if not scopes.can(user, "audit.search"):
        events = events.exclude(action=AuditEvent.Action.REFUSED)
    events = list(events[:HISTORY_LIMIT])
    fields = {f.name: f for f in type(obj)._meta.concrete_fields}
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for event in events:
        for key, before, after in event.changes:
            field = fields.get(key)
            if field is not None and field.is_relation:
                wanted[field.related_model].update(v for v in (before, after) if v is not None)
    names: dict[type[models.Model], dict] = {}
    for model, pks in wanted.items():
        # A model whose name shows a related row (a plant shows its enterprise) names it in label_related.
        rows = model._default_manager.filter(pk__in=pks).select_related(*getattr(model, "label_related", ()))
        names[model] = {row.pk: str(row) for row in rows}
    # Keys of an event that are not fields (a transition's "event", tonnes moved...) are labelled by the
    # model's `history_labels`, and their values by `history_values` ({key: {value: label}}).
    extra_labels = {"document": _("document"), **getattr(type(obj), "history_labels", {})}
    extra_values = getattr(type(obj), "history_values", {})

    def show(field, value, key=""):
        if value is None or value == "":
            return None
        if isinstance(value, bool):  # flags read as words, not as Python's True/False
            return _("yes") if value else _("no")
        if field is None:
            if key in extra_values:
                return extra_values[key].get(value, value)
            if isinstance(value, list) and all(isinstance(v, dict) for v in value):
                # A list of rows (a scheme's exit lines): one line each, values only.
                return "; ".join(" · ".join(str(x) for x in row.values() if x not in (None, "")) for row in value)
            return value
        if field.is_relation:
            return names.get(field.related_model, {}).get(value, value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    for event in events:
        rows = []
        for key, before, after in event.changes:
            if key in _HIDDEN_HISTORY_KEYS:
                continue
            field = fields.get(key)
            before, after = show(field, before, key), show(field, after, key)
            if before is None and after is None:
                continue
            label = field.verbose_name if field is not None else extra_labels.get(key, key)
            rows.append((label, before, after))
        event.labelled_changes = rows
    return events
