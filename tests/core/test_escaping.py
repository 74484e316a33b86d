"""Every piece of user text is escaped on every page.

The objects of the persona matrix are built in one database, every free-text field of every row of the
platform's models is overwritten with a script payload, and every page the department (and, for the public
pages, an anonymous visitor) can open is rendered: the payload must never come back raw."""

import time

import pytest
from django.apps import apps
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.urls import reverse

from tests.core.test_persona_matrix import BULLETIN_ARGS, ENFORCEMENT_ARGS, ENFORCEMENT_KINDS, PAGES, _stats_object

PAYLOAD = """<script>alert("x")</script><img src=x onerror=alert(1)>"'"""
SHORT_PAYLOAD = "<script>x</script>"
RAW_MARKERS = ("<script>alert(", "<img src=x onerror", SHORT_PAYLOAD)
# Users' names are in every signed-in page's header: they take a payload of their own, so the escaped
# markers below prove that the page's own text carried it.
USER_PAYLOAD = """<script>alert("user")</script><img src=x onerror=alert(2)>"""
# (Feeds escape the angle brackets and leave the quotes of element text as they are.)
ESCAPED_MARKERS = ("&lt;script&gt;alert(&quot;x&quot;)", '&lt;script&gt;alert("x")', "&lt;script&gt;x&lt;/script&gt;")

# Names that URLs, lookups or machine formats depend on: never free text.
SKIPPED_NAMES = {"code", "username", "credit_code", "password", "key", "number"}


def _free_text_fields(model) -> list[models.Field]:
    fields = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        if isinstance(field, (models.EmailField, models.URLField, models.SlugField)):
            continue
        if field.primary_key or field.unique or field.choices:
            continue
        if field.name in SKIPPED_NAMES or field.name.endswith("_code"):
            continue
        if any(isinstance(v, RegexValidator) for v in field.validators):
            continue
        shortest = len(USER_PAYLOAD) if model.__name__ == "User" else len(SHORT_PAYLOAD)
        if field.max_length is not None and field.max_length < shortest:
            continue
        fields.append(field)
    return fields


def _payload_for(field) -> str:
    if field.model.__name__ == "User":
        return USER_PAYLOAD
    if field.max_length is None or field.max_length >= len(PAYLOAD):
        return PAYLOAD
    return SHORT_PAYLOAD


def _overwrite_everything() -> int:
    """Overwrite every free-text field of every row; returns how many (model, field) pairs took the
    payload on at least one row. Rows a trigger keeps immutable are left as they are."""
    overwritten = 0
    for model in apps.get_models():
        if not model.__module__.startswith("youse.") or model._meta.proxy or not model._meta.managed:
            continue
        for field in _free_text_fields(model):
            value = _payload_for(field)
            try:
                with transaction.atomic():
                    changed = model._default_manager.update(**{field.attname: value})
            except Exception:  # noqa: BLE001 - a trigger or an append-only manager: try row by row
                changed = 0
                for pk in model._default_manager.values_list("pk", flat=True):
                    try:
                        with transaction.atomic():
                            changed += model._default_manager.filter(pk=pk).update(**{field.attname: value})
                    except Exception:  # noqa: BLE001 - this row is immutable (trigger, manager): keep it
                        continue
            overwritten += bool(changed)
        overwritten += _overwrite_json_text(model)
    return overwritten


def _overwrite_json_text(model) -> int:
    """JSON values that are a plain mapping of texts (a bulletin's commentary, section by section) take
    the payload in every entry; structured figures are left alone."""
    overwritten = 0
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.JSONField):
            continue
        changed = 0
        for pk, value in model._default_manager.values_list("pk", field.attname):
            if not value or not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                continue
            try:
                with transaction.atomic():
                    payload = dict.fromkeys(value, PAYLOAD)
                    changed += model._default_manager.filter(pk=pk).update(**{field.attname: payload})
            except Exception:  # noqa: BLE001 - this row is immutable (trigger, manager): keep it
                continue
        overwritten += bool(changed)
    return overwritten


def _args_for(personas, name: str, kind: str | None, objects: dict) -> list:
    if kind is None:
        return []
    if kind == "dataset":
        return ["indicators", "csv"]
    obj = objects[kind]
    kind = "bulletin" if kind == "bulletin_draft" else kind
    action = {"packet": "dismiss", "indicator": "close", "scheme": "submit"}.get(kind)
    args = [obj.pk, action] if action and name.endswith("-action") else [obj.pk]
    if kind == "public_scheme":
        args = [obj.code]
    return ENFORCEMENT_ARGS.get(name, BULLETIN_ARGS.get(name, lambda o, a: a))(obj, args)


def _build(personas, kind: str):
    if kind == "bulletin_draft":
        return _stats_object(personas, "bulletin", "b")
    return {
        "enterprise": personas.enterprise_a,
        "plant": personas.plant_a,
        "unit": personas.unit_a,
    }.get(kind) or _stats_object(personas, kind, "a")


HTML_TYPES = ("text/html",)
XML_TYPES = ("application/atom+xml", "application/xml", "text/xml", "application/rss+xml")


def _visits(kinds: set) -> list[tuple[str, str, str | None]]:
    """The pages to render for objects of these kinds (None: the pages without an object)."""
    visits = []
    for name, (kind, targets) in PAGES.items():
        pairs = [(kind, targets.get("a", targets.get(None)))]
        if kind == "bulletin" and "b" in targets:
            # The draft bulletin ("b") too: its commentary is text the department types.
            pairs.append(("bulletin_draft", targets["b"]))
        for page_kind, expected in pairs:
            if expected is None or page_kind not in kinds:
                continue
            if expected["department"] == 200:
                visits.append((name, "department", page_kind))
            if expected["anonymous"] == 200 and name != "login":
                visits.append((name, "anonymous", page_kind))
    return visits


def _render(personas, visits, objects) -> tuple[list, list, list, list]:
    clients = {persona: personas.client(persona) for persona in ("department", "anonymous")}
    checked, escaped, raw, failed = [], [], [], []
    for name, persona, kind in visits:
        response = clients[persona].get(reverse(name, args=_args_for(personas, name, kind, objects)))
        if response.status_code != 200:
            failed.append((name, persona, response.status_code))
            continue
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type not in HTML_TYPES + XML_TYPES:
            continue  # Excel, PDF, Word, CSV, JSON: not markup a browser would run
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        checked.append((name, persona, kind))
        if any(marker in text for marker in RAW_MARKERS):
            raw.append((name, persona, kind))
        if any(marker in text for marker in ESCAPED_MARKERS):
            escaped.append((name, persona, kind))
    return checked, escaped, raw, failed


def _family(kind: str) -> str:
    """The matrix builder a kind comes from: one builder's kinds each start their story afresh (a new
    campaign, a new edition of the same year), so they go to separate rounds."""
    for family, kinds in {
        "monitoring": ("point", "alarm", "packet"),
        # An approved scheme's new plant and the pricing smelters' units share names: never together.
        "capacity": (
            "indicator",
            "scheme",
            "objection",
            "exit_line",
            "evidence",
            "public_scheme",
            "surcharge_list",
            "assessment",
        ),
        "enforcement": ENFORCEMENT_KINDS,
    }.items():
        if kind in kinds:
            return family
    return kind.split("_")[0]


@pytest.mark.django_db
def test_it_never_renders_user_text_raw(personas, settings, tmp_path):
    """Each round builds at most one kind of each builder and is rolled back after its pages are
    rendered."""
    settings.MEDIA_ROOT = tmp_path
    started = time.monotonic()
    families: dict[str, list[str]] = {}
    # The published objects first, so the first round's public lists and feeds have entries to show.
    all_kinds = {kind for kind, _targets in PAGES.values() if kind not in (None, "dataset")} | {"bulletin_draft"}
    for kind in sorted(all_kinds, key=lambda k: (not k.startswith("public_"), k)):
        families.setdefault(_family(kind), []).append(kind)
    rounds = max(len(kinds) for kinds in families.values())
    checked, escaped, raw, failed, overwritten = [], [], [], [], []
    for number in range(rounds):
        with transaction.atomic():
            objects, unbuilt = {}, {}
            for kinds in families.values():
                if number < len(kinds):
                    try:
                        with transaction.atomic():
                            objects[kinds[number]] = _build(personas, kinds[number])
                    except Exception as exc:  # noqa: BLE001 - reported below
                        unbuilt[kinds[number]] = repr(exc)
            assert not unbuilt, unbuilt
            overwritten.append(_overwrite_everything())
            if "announcement" in objects:
                # A published version is immutable: publish the draft once its text carries the payload, so
                # the public announcement pages and feed show it.
                from youse.enforcement.services import publish_announcement

                publish_announcement(personas.department, objects["announcement"])
            # The lists and overviews in every round: each round has other rows for them to show.
            kinds = set(objects) | {None, "dataset"}
            results = _render(personas, _visits(kinds), objects)
            for total, part in zip((checked, escaped, raw, failed), results, strict=True):
                total.extend(part)
            transaction.set_rollback(True)

    assert not failed, failed
    assert not raw, raw
    assert max(overwritten) > 100 and min(overwritten) > 50
    checked, escaped = set(checked), set(escaped)
    assert len(checked) > 120
    assert len(escaped) >= len(checked) * 3 // 4, sorted(checked - escaped)
    print(
        f"{len(checked)} pages checked, {len(escaped)} showing the escaped payload; fields {overwritten};"
        f" rounds {len(overwritten)}; {time.monotonic() - started:.1f}s"
    )
