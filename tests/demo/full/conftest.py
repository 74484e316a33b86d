"""The demo with its monthly reports (seed 42, scale 1), built once for every module in this folder and
rolled back after the last: the modules here read what needs the reports (surcharges, credit lists,
bulletins). Building it takes a minute or two; one build serves them all."""

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
            yield generator.build(42, 1)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
