"""Sign-in: demo personas only while DEBUG, throttling of failed attempts, audit of sign-ins."""

import pytest
from django.core.cache import cache

from youse.core import services
from youse.core.models import AuditEvent
from youse.core.roles import Role


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_user(db):
    return services.create_user(None, "demo-x", Role.DEPARTMENT, password="youse-demo", demo_persona=True)


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_it_refuses_demo_personas_when_debug_is_off(client, demo_user, settings):
    settings.DEBUG = False
    response = sign_in(client, "demo-x", "youse-demo")
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_it_accepts_demo_personas_while_debug_is_on(client, demo_user, settings):
    settings.DEBUG = True
    response = sign_in(client, "demo-x", "youse-demo")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(demo_user.pk)
    assert AuditEvent.objects.filter(action="sign_in", actor=demo_user).exists()


def test_it_throttles_repeated_failures_even_with_the_right_password(client, db, settings):
    settings.YOUSE_LOGIN_ATTEMPTS = 3
    user = services.create_user(None, "real", Role.DEPARTMENT, password="a-long-password-1")
    for _ in range(3):
        assert sign_in(client, "real", "wrong").status_code == 200
    response = sign_in(client, "real", "a-long-password-1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 3
    cache.clear()
    assert sign_in(client, "real", "a-long-password-1").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_requires_csrf_on_sign_in(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


def test_it_speaks_chinese_to_an_english_browser_until_switched(client, db):
    html = client.get("/policy/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "有色金属产业监测调控平台" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/policy/"})
    html = client.get("/policy/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Nonferrous Metals Industry Monitoring and Regulation Platform" in html


def test_it_lets_api_clients_choose_their_language(client, db):
    english = client.get("/api/v1/registry/enterprises", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get("/api/v1/registry/enterprises").json()
    assert english["detail"] != chinese["detail"]
    assert english["detail"].isascii() and not chinese["detail"].isascii()
