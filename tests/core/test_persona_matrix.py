"""Who sees what: every page of the platform, visited as every persona.

The table below is the specification. A page added to the URL configuration without a row here fails
`test_it_has_a_row_for_every_page`, so no page escapes the matrix. Rows with a target ("a" or "b") are
visited with the objects of enterprise A (Yulin, ent_a's) and enterprise B (Baoji, ent_b's)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ("department", "environment", "city", "ent_a", "ent_b", "anonymous")


def row(department, environment, city, ent_a, ent_b, anonymous):
    return dict(zip(PERSONAS, (department, environment, city, ent_a, ent_b, anonymous), strict=True))


OPEN = row(200, 200, 200, 200, 200, 200)
SIGNED_IN = row(200, 200, 200, 200, 200, 302)
# Object pages: (for A's object, for B's object). The city is Yulin's: A is on its ground, B is not.
VIEW_A = row(200, 200, 200, 200, 404, 302)
VIEW_B = row(200, 200, 404, 404, 200, 302)
EDIT_A = row(200, 403, 200, 403, 404, 302)
EDIT_B = row(200, 403, 404, 404, 403, 302)
# An enterprise keeps its own contact details: its edit page opens with the contact fields only.
CONTACT_A = row(200, 403, 200, 200, 404, 302)
CONTACT_B = row(200, 403, 404, 404, 200, 302)
POST_ONLY_A = row(405, 405, 405, 405, 405, 302)

# url name -> (kind of object for the pk, {target: expected}) ; kind None: no arguments.
PAGES: dict[str, tuple[str | None, dict]] = {
    "home": (None, {None: OPEN}),
    "policy": (None, {None: OPEN}),
    "healthz": (None, {None: OPEN}),
    "login": (None, {None: row(302, 302, 302, 302, 302, 200)}),
    "logout": (None, {None: row(405, 405, 405, 405, 405, 405)}),
    "audit": (None, {None: row(200, 403, 403, 403, 403, 302)}),
    "registry:enterprise-list": (None, {None: SIGNED_IN}),
    "registry:unit-list": (None, {None: SIGNED_IN}),
    "registry:plant-map": (None, {None: SIGNED_IN}),
    "registry:enterprise-create": (None, {None: row(200, 403, 200, 403, 403, 302)}),
    "registry:enterprise-detail": ("enterprise", {"a": VIEW_A, "b": VIEW_B}),
    "registry:enterprise-edit": ("enterprise", {"a": CONTACT_A, "b": CONTACT_B}),
    "registry:plant-create": ("enterprise", {"a": EDIT_A, "b": EDIT_B}),
    "registry:plant-detail": ("plant", {"a": VIEW_A, "b": VIEW_B}),
    "registry:plant-edit": ("plant", {"a": EDIT_A, "b": EDIT_B}),
    "registry:unit-create": ("plant", {"a": EDIT_A, "b": EDIT_B}),
    "registry:unit-detail": ("unit", {"a": VIEW_A, "b": VIEW_B}),
    "registry:unit-edit": ("unit", {"a": EDIT_A, "b": EDIT_B}),
    "registry:unit-transition": ("unit", {"a": POST_ONLY_A}),
    # Statistics: reports of enterprise A and B (submitted), early warnings of Yulin (a) and Baoji (b).
    "stats:indicators": (None, {None: SIGNED_IN}),
    "stats:aluminium": (None, {None: row(200, 200, 200, 403, 403, 302)}),
    "stats:warnings": (None, {None: SIGNED_IN}),
    "stats:warning-acknowledge": ("warning", {"a": POST_ONLY_A}),
    "stats:warning-clear": ("warning", {"a": POST_ONLY_A}),
    "stats:report-list": (None, {None: SIGNED_IN}),
    "stats:report-new": (None, {None: row(200, 403, 200, 200, 200, 302)}),
    "stats:report-template": (None, {None: row(200, 403, 200, 200, 200, 302)}),
    "stats:report-import": (None, {None: row(200, 403, 200, 200, 200, 302)}),
    "stats:report-detail": ("report", {"a": VIEW_A, "b": VIEW_B}),
    "stats:report-edit": ("report", {"a": row(200, 403, 200, 200, 404, 302), "b": row(200, 403, 404, 404, 200, 302)}),
    "stats:report-submit": ("report", {"a": POST_ONLY_A}),
    "stats:report-accept": ("report", {"a": POST_ONLY_A}),
    "stats:report-return": ("report", {"a": POST_ONLY_A}),
    "stats:report-correction": ("report", {"a": POST_ONLY_A}),
}

# Not pages of the platform's own: Django's admin (staff only, tested in test_admin), the API (its own
# matrix in tests/registry/test_api.py) and the language switch.
EXCLUDED_PREFIXES = ("admin/", "api/", "i18n/")


def platform_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "", None)
    return names


def test_it_has_a_row_for_every_page():
    assert platform_url_names() == set(PAGES)


CASES = [
    (name, target, persona, expected[persona])
    for name, (_kind, targets) in PAGES.items()
    for target, expected in targets.items()
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "target", "persona", "status"), CASES, ids=lambda v: str(v))
def test_it_answers_each_persona_as_the_matrix_says(personas, name, target, persona, status):
    kind = PAGES[name][0]
    args = []
    if kind is not None:
        obj = {
            ("enterprise", "a"): personas.enterprise_a,
            ("enterprise", "b"): personas.enterprise_b,
            ("plant", "a"): personas.plant_a,
            ("plant", "b"): personas.plant_b,
            ("unit", "a"): personas.unit_a,
            ("unit", "b"): personas.unit_b,
        }.get((kind, target)) or _stats_object(personas, kind, target)
        args = [obj.pk]
    response = personas.client(persona).get(reverse(name, args=args))
    assert response.status_code == status, f"{name} {target} as {persona}"
    if status == 302 and persona == "anonymous" and name != "login":
        assert response["Location"].startswith(reverse("login"))


def _stats_object(personas, kind: str, target: str):
    import datetime as dt

    from youse.core.models import Division
    from youse.stats import services
    from youse.stats.models import EarlyWarning, WarningRule

    if kind == "report":
        enterprise, unit, user = {
            "a": (personas.enterprise_a, personas.unit_a, personas.ent_a),
            "b": (personas.enterprise_b, personas.unit_b, personas.ent_b),
        }[target]
        figures = {
            "value_added": "10",
            "revenue": "50",
            "profit": "1",
            "energy_tce": "5",
            "electricity_kwh": "100",
            "employees": 10,
        }
        report = services.save_report(
            user, enterprise, dt.date(2024, 5, 1), figures, [{"unit": unit.pk, "output_t": "100", "output_value": "60"}]
        )
        return report
    city = Division.objects.get(code={"a": "610800", "b": "610300"}[target])
    rule = WarningRule.objects.filter(scope_kind="city").first()
    return EarlyWarning.objects.create(
        rule=rule,
        scope_kind="city",
        scope_code=city.code,
        scope_label=city.name,
        period="2024-05",
        message="test",
        division=city,
    )


def test_it_shows_each_persona_only_its_own_enterprises_in_lists(personas):
    expectations = {
        "department": {"a", "b"},
        "environment": {"a", "b"},
        "city": {"a"},
        "ent_a": {"a"},
        "ent_b": {"b"},
    }
    pages = {
        reverse("registry:enterprise-list"): {"a": personas.enterprise_a.name, "b": personas.enterprise_b.name},
        reverse("registry:unit-list"): {"a": personas.unit_a.name, "b": personas.unit_b.name},
        reverse("registry:plant-map"): {"a": personas.plant_a.name, "b": personas.plant_b.name},
    }
    for persona, visible in expectations.items():
        client = personas.client(persona)
        for url, names in pages.items():
            html = client.get(url).content.decode()
            shown = {key for key, name in names.items() if name in html}
            assert shown == visible, f"{url} as {persona}"
