"""The platform's modules as the navigation shows them: one per area of POLICY-MAP.md.

A module that is not built yet has no URL: the navigation shows it greyed out with its clause numbers,
never as a page that pretends. Each later app sets its `url_name` here when it lands."""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from youse.core.roles import Role


@dataclass(frozen=True)
class Module:
    code: str
    label: str
    clauses: str
    icon: str
    url_name: str | None
    roles: frozenset[str]


_SIGNED_IN = frozenset({Role.DEPARTMENT, Role.PROVINCIAL_UNIT, Role.CITY, Role.ENTERPRISE})

MODULES: tuple[Module, ...] = (
    Module("registry", _("Registry"), "二(三) 二(四)", "buildings", "registry:enterprise-list", _SIGNED_IN),
    Module("stats", _("Statistics & targets"), "一(二)", "graph-up", "stats:indicators", _SIGNED_IN),
    Module("monitoring", _("Online monitoring"), "二(五) 二(八)", "activity", "monitoring:board", _SIGNED_IN),
    Module("capacity", _("Aluminium capacity"), "二(七)", "diagram-3", "capacity:overview", _SIGNED_IN),
    Module(
        "enforcement", _("Enforcement"), "二(八) 三(三) 三(七)", "clipboard-check", "enforcement:overview", _SIGNED_IN
    ),
    Module("pricing", _("Electricity surcharges"), "三(一)", "lightning-charge", "pricing:list", _SIGNED_IN),
    # Enterprises have no supervision pages (core/roles.py): the module is not offered to them.
    Module(
        "supervision",
        _("Supervision"),
        _("closing paragraph"),
        "list-task",
        "supervision:board",
        frozenset({Role.DEPARTMENT, Role.PROVINCIAL_UNIT, Role.CITY}),
    ),
    Module(
        "cooperation", _("International cooperation"), "二(六)", "globe-asia-australia", "cooperation:list", _SIGNED_IN
    ),
    Module("support", _("Support funds & reserves"), "三(四) 三(六)", "piggy-bank", "support:applications", _SIGNED_IN),
    Module("credit", _("Credit support list"), "三(五)", "bank", "credit:editions", _SIGNED_IN),
    Module(
        "bulletin",
        _("Monthly bulletin"),
        "三(八)",
        "journal-text",
        "bulletins:list",
        frozenset({Role.DEPARTMENT, Role.PROVINCIAL_UNIT, Role.CITY}),
    ),
    Module("portal", _("Public portal"), "三(八)", "megaphone", "portal:home", _SIGNED_IN),
)


def navigation(user) -> list[dict]:
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    items = []
    for m in MODULES:
        if role not in m.roles:
            continue
        url = None
        if m.url_name:
            try:
                url = reverse(m.url_name)
            except NoReverseMatch:
                url = None
        items.append({"code": m.code, "label": m.label, "clauses": m.clauses, "icon": m.icon, "url": url})
    return items


SYNTHETIC_CACHE_KEY = "youse:synthetic-data"


def synthetic_data_loaded() -> bool:
    """True when the database holds the synthetic demo data set: every page then says so."""
    value = cache.get(SYNTHETIC_CACHE_KEY)
    if value is None:
        from youse.demo.models import DemoDataset

        value = DemoDataset.objects.exists()
        cache.set(SYNTHETIC_CACHE_KEY, value, 60)
    return value
