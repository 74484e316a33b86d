"""Shared personas (DESIGN.md): the department, the environment department, a city (Yulin), two
enterprises (A in Yulin, B in Baoji) and an anonymous visitor. Built through the service functions, as
every change in Youse is."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from youse.core import services as core_services
from youse.core.models import Division, ResponsibleUnit
from youse.core.roles import Role
from youse.registry import services as registry_services
from youse.registry.rules import make_credit_code

PASSWORD = "youse-test-password"


class Personas:
    """Everything a test needs about the fixed cast, built once per test."""

    def __init__(self) -> None:
        div = {d.code: d for d in Division.objects.exclude(code="")}
        self.division = div
        self.department = core_services.create_user(
            None, "gxt", Role.DEPARTMENT, password=PASSWORD, display_name="工信厅", is_staff=True
        )
        self.environment = core_services.create_user(
            None, "hbt", Role.PROVINCIAL_UNIT, password=PASSWORD, unit=ResponsibleUnit.objects.get(code="hbt")
        )
        self.city = core_services.create_user(None, "yulin", Role.CITY, password=PASSWORD, division=div["610800"])
        self.enterprise_a = registry_services.create_enterprise(
            self.department,
            {
                "name": "府谷示范镁业有限公司",
                "short_name": "示范镁业",
                "credit_code": make_credit_code("91610822MA0000001"),
                "division": div["610822"],
                "ownership": "private",
            },
        )
        self.enterprise_b = registry_services.create_enterprise(
            self.department,
            {
                "name": "宝鸡示范钛业有限公司",
                "short_name": "示范钛业",
                "credit_code": make_credit_code("91610300MA0000002"),
                "division": div["610300"],
                "ownership": "local_soe",
            },
        )
        self.ent_a = core_services.create_user(
            None, "ent-a", Role.ENTERPRISE, password=PASSWORD, enterprise=self.enterprise_a
        )
        self.ent_b = core_services.create_user(
            None, "ent-b", Role.ENTERPRISE, password=PASSWORD, enterprise=self.enterprise_b
        )
        self.plant_a = registry_services.create_plant(
            self.department,
            self.enterprise_a,
            {"name": "一厂", "division": div["610822"], "latitude": "39.03", "longitude": "111.07"},
        )
        self.plant_b = registry_services.create_plant(
            self.department,
            self.enterprise_b,
            {"name": "钛材厂", "division": div["610300"], "latitude": "34.36", "longitude": "107.24"},
        )
        self.unit_a = registry_services.create_unit(
            self.department,
            self.plant_a,
            {
                "name": "皮江法炼镁一线",
                "metal": "Mg",
                "stage": "smelting",
                "product": "原镁",
                "process": "皮江法",
                "design_capacity": "50000",
                "capacity_unit": "t/a",
            },
            status="operating",
            status_since=dt.date(2019, 5, 1),
            document="府发改备〔2018〕12号",
        )
        self.unit_b = registry_services.create_unit(
            self.department,
            self.plant_b,
            {
                "name": "钛合金板材线",
                "metal": "Ti",
                "stage": "deep_processing",
                "product": "钛合金板材",
                "design_capacity": "8000",
                "capacity_unit": "t/a",
            },
            status="operating",
            status_since=dt.date(2020, 3, 1),
        )

    @property
    def users(self) -> dict:
        return {
            "department": self.department,
            "environment": self.environment,
            "city": self.city,
            "ent_a": self.ent_a,
            "ent_b": self.ent_b,
            "anonymous": None,
        }

    def client(self, name: str, language: str = "en") -> Client:
        """A test client signed in as the persona. Pages answer in English unless asked otherwise, so
        assertions read plainly; the Chinese-first default is tested on its own."""
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        user = self.users[name]
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def _fast_hashing_and_english_messages(settings):
    # Password hashing at full strength costs a second per persona set; tests do not measure it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test starts with an empty cache: flags cached by one test (synthetic data loaded, sign-in
    # throttles) must not leak into the next.
    cache.clear()
    # Service-level tests match English messages; pages pick the language per request as usual.
    with translation.override("en"):
        yield


@pytest.fixture
def personas(db) -> Personas:
    return Personas()
