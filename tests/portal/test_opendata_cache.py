"""The open datasets are read from the shared cache once per process and change: a sign-in neither rebuilds
them nor makes the process fetch the megabytes of the cached catalogue again."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests.conftest import PASSWORD
from youse.core import audit
from youse.core.models import AuditEvent
from youse.portal import opendata

pytestmark = pytest.mark.django_db


def test_the_catalogue_survives_a_sign_in(personas):
    first = opendata.catalogue()
    assert Client().post("/accounts/login/", {"username": "gxt", "password": PASSWORD}).status_code == 302
    with translation.override("en"):  # the request left its own language active
        assert opendata.catalogue() is first


def test_a_change_or_a_cleared_cache_gives_a_new_one(personas):
    first = opendata.catalogue()
    audit.record(personas.department, AuditEvent.Action.UPDATE, personas.enterprise_a)
    second = opendata.catalogue()
    assert second is not first
    cache.clear()
    assert opendata.catalogue() is not second


def test_a_downloaded_workbook_is_kept_per_language(personas):
    import io

    from openpyxl import load_workbook

    def first_cell(language: str) -> str:
        with translation.override(language):
            ds = opendata.catalogue()[0]
            book = load_workbook(io.BytesIO(opendata.file(ds, "xlsx")))
        return book["dictionary"]["A1"].value

    chinese = first_cell("zh-hans")
    assert first_cell("en") == "Dataset" and chinese != "Dataset"
    assert first_cell("zh-hans") == chinese  # and each language's copy is reused
