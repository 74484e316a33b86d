"""The demo without its monthly reports (seed 42, scale 1: the slowest step left out), built once for
every module in this folder and rolled back after the last: the modules here read what does not need the
reports (enforcement, supervision, overseas projects, support funds and reserves)."""

import pytest
from django.db import transaction
from django.test import override_settings

from youse.demo import generator


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media)
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield generator.build(42, 1, reports=False)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
