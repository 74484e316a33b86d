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
DEPARTMENT_ONLY = row(200, 403, 403, 403, 403, 302)
# Inspection steps: the department anywhere, the city in its own city; others lack the capability.
INSPECT_A = row(200, 403, 200, 403, 403, 302)
INSPECT_B = row(200, 403, 404, 403, 403, 302)
PUBLISH_POST = row(405, 403, 403, 403, 403, 302)
# Supervision: no enterprise; a city sees its own city's items only.
SUPERVISION = row(200, 200, 200, 403, 403, 302)
SUPERVISION_B = row(200, 200, 404, 403, 403, 302)
# The monthly bulletin's department pages: the department, provincial units and cities; no enterprise.
BULLETIN_STAFF = row(200, 200, 200, 403, 403, 302)
NOWHERE = row(404, 404, 404, 404, 404, 404)

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
    # Online monitoring: points and alarms of enterprise A's plant (a) and B's (b). The quarantine and the
    # items for enforcement belong to the department and the environment department (hbt).
    "monitoring:board": (None, {None: SIGNED_IN}),
    "monitoring:board-live": (None, {None: SIGNED_IN}),
    "monitoring:alarms": (None, {None: SIGNED_IN}),
    "monitoring:limits": (None, {None: SIGNED_IN}),
    "monitoring:quarantine": (None, {None: row(200, 200, 403, 403, 403, 302)}),
    "monitoring:enforcement": (None, {None: row(200, 200, 403, 403, 403, 302)}),
    "monitoring:point": ("point", {"a": VIEW_A, "b": VIEW_B}),
    "monitoring:alarm-acknowledge": ("alarm", {"a": POST_ONLY_A}),
    "monitoring:quarantine-action": ("packet", {"a": POST_ONLY_A}),
    # Aluminium capacity: the indicators and schemes of enterprise A (Yulin) and B (Baoji); an exit line of
    # A's approved scheme with its dismantling evidence. Only enterprises and the department apply; only
    # the department keeps the ledger; violations are the department's and the cities'.
    "capacity:overview": (None, {None: SIGNED_IN}),
    "capacity:indicator-list": (None, {None: SIGNED_IN}),
    "capacity:indicator-register": (None, {None: row(200, 403, 403, 403, 403, 302)}),
    "capacity:indicator-detail": ("indicator", {"a": VIEW_A, "b": VIEW_B}),
    "capacity:indicator-action": ("indicator", {"a": POST_ONLY_A}),
    "capacity:scheme-list": (None, {None: SIGNED_IN}),
    "capacity:scheme-create": (None, {None: row(200, 403, 403, 200, 200, 302)}),
    "capacity:scheme-detail": ("scheme", {"a": VIEW_A, "b": VIEW_B}),
    "capacity:scheme-check": ("scheme", {"a": VIEW_A, "b": VIEW_B}),
    "capacity:scheme-edit": (
        "scheme",
        {"a": row(200, 403, 403, 200, 404, 302), "b": row(200, 403, 403, 404, 200, 302)},
    ),
    "capacity:scheme-action": ("scheme", {"a": POST_ONLY_A}),
    "capacity:objection-decide": ("objection", {"a": POST_ONLY_A}),
    "capacity:dismantling-list": (None, {None: SIGNED_IN}),
    "capacity:exit-line": ("exit_line", {"a": VIEW_A}),
    "capacity:evidence-file": ("evidence", {"a": VIEW_A}),
    "capacity:violation-list": (None, {None: row(200, 403, 200, 403, 403, 302)}),
    # The public side of the capacity module: published schemes for everyone, drafts for no one (even
    # their own applicant reads them on the signed-in pages); a receipt only for the browser that objected.
    "capacity_public:index": (None, {None: OPEN}),
    "capacity_public:feed": (None, {None: OPEN}),
    "capacity_public:scheme": ("public_scheme", {"a": OPEN, "b": row(404, 404, 404, 404, 404, 404)}),
    "capacity_public:objection-received": ("public_scheme", {"a": row(302, 302, 302, 302, 302, 302)}),
    # Enforcement: a campaign over every city; the cases, inspections, orders and closures of enterprise A
    # (Yulin) and B (Baoji). The department decides and publishes; a city acts in its own city only.
    "enforcement:overview": (None, {None: SIGNED_IN}),
    "enforcement:campaign-list": (None, {None: SIGNED_IN}),
    "enforcement:campaign-create": (None, {None: DEPARTMENT_ONLY}),
    "enforcement:campaign-preview": (None, {None: DEPARTMENT_ONLY}),
    "enforcement:campaign-detail": ("campaign", {"a": SIGNED_IN}),
    "enforcement:case-list": (None, {None: SIGNED_IN}),
    "enforcement:case-create": (None, {None: row(200, 403, 200, 403, 403, 302)}),
    "enforcement:case-from-source": ("source", {"a": POST_ONLY_A}),
    "enforcement:case-detail": ("case", {"a": VIEW_A, "b": VIEW_B}),
    "enforcement:case-inspect": ("case", {"a": INSPECT_A, "b": INSPECT_B}),
    "enforcement:case-propose-closure": ("case", {"a": POST_ONLY_A}),
    "enforcement:order-issue": ("inspection", {"a": INSPECT_A, "b": INSPECT_B}),
    "enforcement:order-list": (None, {None: SIGNED_IN}),
    "enforcement:order-reinspect": ("order_done", {"a": INSPECT_A, "b": INSPECT_B}),
    "enforcement:order-action": ("order", {"a": POST_ONLY_A}),
    "enforcement:evidence-file": ("case_evidence", {"a": VIEW_A}),
    "enforcement:closure-list": (None, {None: SIGNED_IN}),
    "enforcement:closure-detail": ("closure", {"a": VIEW_A, "b": VIEW_B}),
    # The plan page: the enterprise, its city and the department edit; the environment department reads.
    "enforcement:closure-plan": ("closure", {"a": VIEW_A, "b": VIEW_B}),
    "enforcement:closure-file": ("closure_file", {"a": VIEW_A}),
    "enforcement:closure-action": ("closure", {"a": POST_ONLY_A}),
    # Announcements in scope (a campaign's list is the province's); drafting and publishing are the
    # department's, refused before the method is looked at.
    "enforcement:announcement-list": (None, {None: SIGNED_IN}),
    "enforcement:announcement-draft": (None, {None: PUBLISH_POST}),
    "enforcement:announcement-detail": ("announcement", {"a": row(200, 200, 404, 404, 404, 302)}),
    "enforcement:announcement-publish": ("announcement", {"a": PUBLISH_POST}),
    # Published announcements for everyone; a draft for no one.
    "enforcement_public:index": (None, {None: OPEN}),
    "enforcement_public:feed": (None, {None: OPEN}),
    "enforcement_public:detail": ("public_announcement", {"a": OPEN, "b": row(404, 404, 404, 404, 404, 404)}),
    # The latest version is the announcement itself: its version URL leads there.
    "enforcement_public:version": ("public_announcement", {"a": row(302, 302, 302, 302, 302, 302)}),
    # Supervision: the department, provincial units and cities; enterprises have no supervision pages. The
    # sub-tasks, milestones and plans of Yulin (a) and Baoji (b); the report is the department's.
    "supervision:board": (None, {None: SUPERVISION}),
    "supervision:task-detail": ("sup_clause", {"a": SUPERVISION}),
    "supervision:subtask-detail": ("sup_subtask", {"a": SUPERVISION, "b": SUPERVISION_B}),
    "supervision:subtask-edit": ("sup_subtask", {"a": DEPARTMENT_ONLY}),
    "supervision:milestone-detail": ("sup_milestone", {"a": SUPERVISION, "b": SUPERVISION_B}),
    "supervision:evidence-file": ("sup_evidence", {"a": SUPERVISION}),
    "supervision:plan-list": (None, {None: SUPERVISION}),
    "supervision:plan-detail": ("sup_plan", {"a": SUPERVISION, "b": SUPERVISION_B}),
    "supervision:plan-action": ("sup_plan", {"a": row(405, 405, 405, 403, 403, 302)}),
    "supervision:report": (None, {None: DEPARTMENT_ONLY}),
    "supervision:report-docx": (None, {None: DEPARTMENT_ONLY}),
    # Electricity surcharges: the 2022 list drafted from the 2021 reports of A's (Yulin) and B's (Baoji)
    # smelters. The department manages; provincial units read all, a city its smelters; an enterprise is
    # sent to its own surcharge. The trading overview and the calculator are for staff.
    "pricing:list": (None, {None: row(200, 200, 200, 302, 302, 302)}),
    "pricing:draft": (None, {None: PUBLISH_POST}),
    "pricing:approve": ("surcharge_list", {"a": PUBLISH_POST}),
    "pricing:export": ("surcharge_list", {"a": row(200, 200, 200, 403, 403, 302)}),
    "pricing:assessment": ("assessment", {"a": VIEW_A, "b": VIEW_B}),
    "pricing:mine": (None, {None: row(302, 302, 302, 200, 200, 302)}),
    "pricing:trading": (None, {None: row(200, 200, 200, 403, 403, 302)}),
    "pricing:calculator": (None, {None: row(200, 200, 200, 403, 403, 302)}),
    # International capacity cooperation: overseas projects of A (Yulin) and B (Baoji), filed (a project)
    # or a draft (for its edit page). Everyone in scope reads; the department, a city and an enterprise
    # register; the environment department reads only. The steps are POSTs.
    "cooperation:list": (None, {None: SIGNED_IN}),
    "cooperation:export": (None, {None: SIGNED_IN}),
    "cooperation:create": (None, {None: row(200, 403, 200, 200, 200, 302)}),
    "cooperation:detail": ("coop_project", {"a": VIEW_A, "b": VIEW_B}),
    "cooperation:edit": ("coop_draft", {"a": CONTACT_A, "b": CONTACT_B}),
    "cooperation:submit": ("coop_draft", {"a": POST_ONLY_A}),
    "cooperation:file": ("coop_project", {"a": POST_ONLY_A}),
    "cooperation:return": ("coop_project", {"a": POST_ONLY_A}),
    "cooperation:progress": ("coop_project", {"a": POST_ONLY_A}),
    "cooperation:review": ("coop_project", {"a": POST_ONLY_A}),
    "cooperation:flag": ("coop_project", {"a": POST_ONLY_A}),
    # Prometheus metrics: loopback (the scraper) and staff only; see the proxy test below.
    "metrics": (None, {None: OPEN}),
    # Support funds and reserves (三(四) 三(六)): object "a" is enterprise A's draft application (and the
    # open call) and A's commercial reserve in Yulin, "b" B's in Baoji. Everyone signed in reads in scope;
    # the steps are POSTs; no call is open without objects, so the application form sends back to the list.
    "support:applications": (None, {None: SIGNED_IN}),
    "support:applications-export": (None, {None: SIGNED_IN}),
    "support:application-create": (None, {None: row(302, 403, 302, 302, 302, 302)}),
    "support:application-detail": ("support_app", {"a": VIEW_A, "b": VIEW_B}),
    "support:application-edit": ("support_app", {"a": CONTACT_A, "b": CONTACT_B}),
    "support:application-action": ("support_app", {"a": POST_ONLY_A}),
    "support:calls": (None, {None: SIGNED_IN}),
    "support:call-create": (None, {None: DEPARTMENT_ONLY}),
    "support:call-detail": ("support_call", {"a": SIGNED_IN}),
    "support:call-action": ("support_call", {"a": PUBLISH_POST}),
    "support:reserves": (None, {None: SIGNED_IN}),
    "support:plan-create": (None, {None: PUBLISH_POST}),
    "support:holdings": (None, {None: SIGNED_IN}),
    "support:holdings-export": (None, {None: SIGNED_IN}),
    "support:holding-create": (None, {None: row(200, 403, 403, 200, 200, 302)}),
    "support:holding-detail": ("support_holding", {"a": VIEW_A, "b": VIEW_B}),
    "support:holding-move": ("support_holding", {"a": POST_ONLY_A}),
    # The credit support list (三(五)): object "a" is a published edition (and A's entry in it), "b" B's
    # entry. Everyone signed in reads in scope (a city its city's entries, an enterprise its own; the
    # enterprise's landing page is its own entries); only the department derives, overrides, publishes.
    "credit:editions": (None, {None: row(200, 200, 200, 302, 302, 302)}),
    "credit:derive": (None, {None: PUBLISH_POST}),
    "credit:criteria": (None, {None: SIGNED_IN}),
    "credit:edition": ("credit_edition", {"a": SIGNED_IN}),
    "credit:publish": ("credit_edition", {"a": PUBLISH_POST}),
    "credit:export": ("credit_edition", {"a": SIGNED_IN}),
    "credit:entry": ("credit_entry", {"a": VIEW_A, "b": VIEW_B}),
    "credit:override": ("credit_entry", {"a": PUBLISH_POST}),
    "credit:enterprise": ("enterprise", {"a": VIEW_A, "b": VIEW_B}),
    # The public list: published editions and their included enterprises, open to everyone.
    "credit_public:index": (None, {None: OPEN}),
    "credit_public:detail": ("credit_edition", {"a": OPEN}),
    # The monthly bulletin: the department drafts and publishes; provincial units and cities read drafts;
    # enterprises have no bulletin pages of their own. Object "a" is the published bulletin of 2020-06,
    # "b" a draft of 2020-07: the public pages show the first to everyone and the second to no one.
    "bulletins:list": (None, {None: BULLETIN_STAFF}),
    "bulletins:draft": (None, {None: PUBLISH_POST}),
    "bulletins:review": ("bulletin", {"a": BULLETIN_STAFF, "b": BULLETIN_STAFF}),
    "bulletins:commentary": ("bulletin", {"b": PUBLISH_POST}),
    "bulletins:refresh": ("bulletin", {"b": PUBLISH_POST}),
    "bulletins:publish": ("bulletin", {"b": PUBLISH_POST}),
    "bulletins:correct": ("bulletin", {"a": PUBLISH_POST}),
    "bulletins:discard": ("bulletin", {"b": PUBLISH_POST}),
    "bulletins:pdf": ("bulletin", {"b": BULLETIN_STAFF}),
    "bulletins:docx": ("bulletin", {"b": BULLETIN_STAFF}),
    # The portal: the same to everyone, signed in or not.
    "portal:home": (None, {None: OPEN}),
    "portal:announcements": (None, {None: OPEN}),
    "portal:feed": (None, {None: OPEN}),
    "portal:open-data": (None, {None: OPEN}),
    "portal:dictionary": (None, {None: OPEN}),
    "portal:download": ("dataset", {"a": OPEN}),
    "portal:bulletins": (None, {None: OPEN}),
    "portal:bulletin": ("bulletin", {"a": OPEN, "b": NOWHERE}),
    "portal:bulletin-version": ("bulletin", {"a": OPEN, "b": NOWHERE}),
    "portal:bulletin-pdf": ("bulletin", {"a": OPEN, "b": NOWHERE}),
    "portal:bulletin-docx": ("bulletin", {"a": OPEN, "b": NOWHERE}),
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
def test_it_answers_each_persona_as_the_matrix_says(personas, settings, tmp_path, name, target, persona, status):
    settings.MEDIA_ROOT = tmp_path  # dismantling evidence is stored as a file
    kind = PAGES[name][0]
    args = []
    if kind == "dataset":
        args = ["indicators", "csv"]
    elif kind is not None:
        obj = {
            ("enterprise", "a"): personas.enterprise_a,
            ("enterprise", "b"): personas.enterprise_b,
            ("plant", "a"): personas.plant_a,
            ("plant", "b"): personas.plant_b,
            ("unit", "a"): personas.unit_a,
            ("unit", "b"): personas.unit_b,
        }.get((kind, target)) or _stats_object(personas, kind, target)
        action = {"packet": "dismiss", "indicator": "close", "scheme": "submit"}.get(kind)
        args = [obj.pk, action] if action and name.endswith("-action") else [obj.pk]
        if kind == "public_scheme":
            args = [obj.code]
        args = ENFORCEMENT_ARGS.get(name, BULLETIN_ARGS.get(name, lambda o, a: a))(obj, args)
    response = personas.client(persona).get(reverse(name, args=args))
    assert response.status_code == status, f"{name} {target} as {persona}"
    public = name.startswith(("capacity_public:", "enforcement_public:", "portal:"))
    if status == 302 and persona == "anonymous" and name != "login" and not public:
        assert response["Location"].startswith(reverse("login"))


def _stats_object(personas, kind: str, target: str):
    import datetime as dt

    from youse.core.models import Division
    from youse.stats import services
    from youse.stats.models import EarlyWarning, WarningRule

    if kind in ("point", "alarm", "packet"):
        return _monitoring_object(personas, kind, target)
    if kind in ("indicator", "scheme", "objection", "exit_line", "evidence"):
        return _capacity_object(personas, kind, target)
    if kind in ENFORCEMENT_KINDS:
        return _enforcement_object(personas, kind, target)
    if kind.startswith("sup_"):
        return _supervision_object(personas, kind, target)
    if kind in ("surcharge_list", "assessment"):
        return _pricing_object(personas, kind, target)
    if kind.startswith("support_"):
        return _support_object(personas, kind, target)
    if kind.startswith("coop_"):
        return _cooperation_object(personas, kind, target)
    if kind.startswith("credit_"):
        return _credit_object(personas, kind, target)
    if kind == "bulletin":
        return _bulletin_object(target)
    if kind == "public_scheme":
        # A's scheme is in public notice (with an objection); B's is a draft, which no public page shows.
        if target == "a":
            return _capacity_object(personas, "objection", target).scheme
        return _capacity_object(personas, "scheme", target)
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


def _monitoring_object(personas, kind: str, target: str):
    from django.utils import timezone

    from youse.monitoring.models import Alarm, MonitoringPoint, QuarantinedPacket

    plant = {"a": personas.plant_a, "b": personas.plant_b}[target]
    point, _created = MonitoringPoint.objects.get_or_create(
        mn=f"MATRIX{target.upper()}0000000000000000",
        defaults={
            "name": "烟囱",
            "plant": plant,
            "outlet": "DA001",
            "medium": "gas",
            "standard": "GB 25465-2010",
            "plant_type": "电解铝",
        },
    )
    if kind == "point":
        return point
    if kind == "alarm":
        return Alarm.objects.create(point=point, kind="missing", started_at=timezone.now())
    return QuarantinedPacket.objects.create(received_at=timezone.now(), mn="UNKNOWN", reason="unknown_mn", raw="##")


def _capacity_object(personas, kind: str, target: str):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from youse.capacity import services

    enterprise, user, city = {
        "a": (personas.enterprise_a, personas.ent_a, "610822"),
        "b": (personas.enterprise_b, personas.ent_b, "610300"),
    }[target]
    indicator = services.register_indicator(
        personas.department,
        {
            "tonnes": 100000,
            "owner": enterprise,
            "origin_document": "发改产业〔2005〕1号",
            "basis": "cleanup_2017",
            "closed_on": dt.date(2020, 1, 1),
        },
        holding="available",
    )
    if kind == "indicator":
        return indicator
    scheme = services.create_scheme(
        user,
        {
            "title": "置换方案",
            "site": "新址",
            "division": city,
            "main_equipment": "500kA×256",
            "capacity_t": 100000,
            "energy_kwh_per_t": "12900",
            "planned_start": dt.date(2027, 3, 1),
            "planned_production": dt.date(2028, 6, 1),
            "contact": "029-00000000",
        },
        [{"indicator": indicator.code, "tonnes": 100000, "dismantling_due": dt.date(2027, 12, 31)}],
    )
    if kind == "scheme":
        return scheme
    services.submit_scheme(user, scheme)
    services.publish_scheme(personas.department, scheme)
    if kind == "objection":
        return services.file_objection(None, scheme, {"name": "张三", "contact": "138", "text": "异议"})
    services.end_notices(timezone.localdate() + dt.timedelta(days=60))
    scheme.refresh_from_db()
    services.approve_scheme(personas.department, scheme, document="陕工信发〔2026〕1号")
    line = scheme.exit_lines.get()
    if kind == "exit_line":
        return line
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    services.confirm_dismantling(personas.department, line, dismantled_on=dt.date(2026, 1, 5), files=[png])
    return line.evidence.get()


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


def test_it_refuses_metrics_to_a_client_behind_the_proxy(personas):
    # nginx forwards every request from loopback; the client's own address decides.
    response = personas.client("anonymous").get(reverse("metrics"), HTTP_X_REAL_IP="203.0.113.9")
    assert response.status_code == 403


def test_it_lets_the_environment_department_keep_the_limits_in_the_admin(personas):
    from youse.core.models import AuditEvent
    from youse.monitoring.models import Limit

    personas.environment.is_staff = True
    personas.environment.save(update_fields=["is_staff"])
    client = personas.client("environment")
    limit = Limit.objects.first()
    assert client.get("/admin/monitoring/limit/").status_code == 200
    assert client.get("/admin/core/metal/").status_code == 403  # the department's reference data
    data = {
        f: getattr(limit, f)
        for f in ("standard", "table", "plant_type", "factor", "pollutant", "unit", "averaging", "source")
    }
    data.update({"value": "15", "special": "on" if limit.special else "", "verified": "on"})
    response = client.post(f"/admin/monitoring/limit/{limit.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:400]
    limit.refresh_from_db()
    assert limit.value == 15 and limit.verified
    assert AuditEvent.objects.filter(
        content_type__model="limit", object_id=str(limit.pk), actor=personas.environment
    ).exists()


# Enforcement pages whose URLs take more than the object's id.
ENFORCEMENT_ARGS = {
    "enforcement:case-from-source": lambda obj, args: ["monitoring", obj.pk],
    "enforcement:order-action": lambda obj, args: [obj.pk, "start"],
    "enforcement:closure-action": lambda obj, args: [obj.pk, "decide"],
    "enforcement:closure-file": lambda obj, args: [obj.closure_pk, obj.pk],
    "enforcement_public:version": lambda obj, args: [obj.pk, 1],
    "supervision:plan-action": lambda obj, args: [obj.pk, "submit"],
}
ENFORCEMENT_KINDS = (
    "campaign", "source", "case", "inspection", "order", "order_done", "case_evidence", "closure",
    "closure_file", "announcement", "public_announcement",
)  # fmt: skip


def _enforcement_object(personas, kind: str, target: str):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from youse.enforcement import services
    from youse.enforcement.models import Case, Evidence

    dep = personas.department
    campaign = services.create_campaign(
        dep,
        {
            "name": "专项检查",
            "year": 2026,
            "dimensions": ["safety"],
            "starts_on": dt.date(2026, 3, 1),
            "due_on": dt.date(2026, 6, 30),
        },
    )
    if kind == "campaign":
        return campaign
    enterprise = personas.enterprise_a if target == "a" else personas.enterprise_b
    case = Case.objects.get(campaign=campaign, enterprise=enterprise)
    if kind == "case":
        return case
    if kind == "source":
        return personas.unit_a  # any id: the page answers GET with 405 before looking
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    inspection = services.record_inspection(
        dep,
        case,
        {"inspecting_unit": "市工信局", "inspectors": "王五", "inspected_on": dt.date(2026, 4, 1)},
        [{"item": "SAF-GEN-1", "met": False}],
        files=[png],
    )
    if kind == "inspection":
        return inspection
    if kind == "case_evidence":
        return Evidence.objects.get(inspection=inspection)
    order = services.issue_order(
        dep,
        inspection,
        {"issued_on": dt.date(2026, 4, 2), "deadline": dt.date(2026, 12, 31), "responsible_person": "李"},
        [{"text": "补办许可证", "basis": "《安全生产法》"}],
    )
    if kind == "order":
        return order
    if kind == "order_done":
        return services.report_done(dep, order, report="已完成", reported_on=dt.date(2026, 5, 1))
    if kind == "announcement":
        return services.draft_announcement(dep, "rectification_list", campaign=campaign)
    if kind == "public_announcement":
        announcement = services.draft_announcement(dep, "rectification_list", campaign=campaign)
        if target == "a":
            services.publish_announcement(dep, announcement)
        return announcement
    closure = services.propose_closure(dep, case, reason="拒不整改")
    if kind == "closure":
        return closure
    minutes = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n")
    services.save_resettlement_plan(dep, closure, {"measures": "转岗"}, minutes=[minutes])
    evidence = Evidence.objects.get(case=case, purpose="minutes")
    evidence.closure_pk = closure.pk
    return evidence


def _supervision_object(personas, kind: str, target: str):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from youse.core.models import Division, PolicyClause
    from youse.supervision import services

    dep = personas.department
    clause = PolicyClause.objects.get(number="二(八)")
    if kind == "sup_clause":
        return clause
    city = Division.objects.get(code={"a": "610800", "b": "610300"}[target], valid_to__isnull=True)
    start, due = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    if kind in ("sup_subtask", "sup_evidence"):
        st = services.create_subtask(
            dep, clause, {"title": "淘汰落后产能", "division": city, "starts_on": start, "deadline": due}
        )
        if kind == "sup_subtask":
            return st
        png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
        return services.report_progress(dep, st, {"text": "进展", "percent": 20}, [png]).evidence.get()
    plan = services.create_plan(dep, city, {"start_year": 2026, "end_year": 2030, "title": "实施方案"})
    if kind == "sup_plan":
        return plan
    task = services.add_plan_task(dep, plan, {"title": "任务"})
    return services.add_milestone(dep, task, {"title": "节点", "starts_on": start, "deadline": due})


def _pricing_object(personas, kind: str, target: str):
    from tests.pricing.conftest import Smelters
    from youse.pricing import services

    Smelters(personas)
    lst = services.draft_list(personas.department, 2022)
    if kind == "surcharge_list":
        return lst
    return lst.assessments.get(enterprise={"a": personas.enterprise_a, "b": personas.enterprise_b}[target])


# --- The monthly bulletin ---------------------------------------------------------------------------

BULLETIN_ARGS = {
    "portal:bulletin": lambda obj, args: [obj.month_key],
    "portal:bulletin-version": lambda obj, args: [obj.month_key, obj.version],
    "portal:bulletin-pdf": lambda obj, args: [obj.month_key, obj.version],
    "portal:bulletin-docx": lambda obj, args: [obj.month_key, obj.version],
}


def _bulletin_object(target: str):
    """A published bulletin of 2020-06 (a) or a draft of 2020-07 (b), with the fixed sample document."""
    import datetime as dt

    from django.utils import timezone

    from tests.portal.bulletin_sample import sample
    from youse.portal.models import Bulletin

    month = dt.date(2020, 6 if target == "a" else 7, 1)
    published = {"status": "published", "published_at": timezone.now()} if target == "a" else {}
    return Bulletin.objects.create(
        month=month,
        data=sample(month.strftime("%Y-%m")),
        commentary={"overview": "综述"},
        drafted_at=timezone.now(),
        **published,
    )


def _cooperation_object(personas, kind: str, target: str):
    from tests.cooperation.conftest import filed, project_data
    from youse.cooperation import services

    enterprise, user = {
        "a": (personas.enterprise_a, personas.ent_a),
        "b": (personas.enterprise_b, personas.ent_b),
    }[target]
    if kind == "coop_draft":
        return services.create_project(user, enterprise, project_data())
    return filed(personas, enterprise, user)


def _credit_object(personas, kind: str, target: str):
    import datetime as dt

    from youse.credit import services

    # The personas' two enterprises are judged (both excluded: no reports, no inspection); published.
    edition = services.derive_edition(personas.department, year=2020, as_of=dt.date(2020, 12, 31))
    services.publish_edition(personas.department, edition, document="陕工信函〔2021〕1号")
    if kind == "credit_edition":
        return edition
    return edition.entries.get(enterprise={"a": personas.enterprise_a, "b": personas.enterprise_b}[target])


def _support_object(personas, kind: str, target: str):
    import datetime as dt

    from django.utils import timezone

    from youse.support import services

    today = timezone.localdate()
    dep = personas.department
    call = services.create_call(
        dep,
        {"year": today.year, "title": "专项资金", "document": "陕工信发〔2020〕1号",
         "opens_on": today - dt.timedelta(days=5), "closes_on": today + dt.timedelta(days=5)},
        {"green": "1000"},
    )  # fmt: skip
    services.open_call(dep, call)
    if kind == "support_call":
        return call
    user, enterprise, division = {
        "a": (personas.ent_a, personas.enterprise_a, "610822"),
        "b": (personas.ent_b, personas.enterprise_b, "610300"),
    }[target]
    if kind == "support_app":
        data = {"category": "green", "project_name": "节能改造", "total_investment": "100", "requested": "50"}
        return services.create_application(
            user, call, enterprise, data, [{"indicator": "节能量", "unit": "tce", "expected": "10"}]
        )
    return services.create_holding(
        user, {"kind": "commercial", "metal": "Mg", "product": "电解镁", "enterprise": enterprise,
               "warehouse": "成品库", "division": division},
    )  # fmt: skip
