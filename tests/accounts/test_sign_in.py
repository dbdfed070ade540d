"""Local accounts: Argon2 hashes, and growing delays after repeated failed sign-ins from one
address that never lock the account's owner out."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory
from django.utils import timezone
from django.utils.module_loading import import_string

import nir.settings
from nir.accounts.backends import client_address, delay_after
from nir.accounts.models import LoginThrottle, Role, User


def test_production_settings_hash_passwords_with_argon2_and_keep_cookies_safe():
    assert nir.settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert nir.settings.SESSION_COOKIE_HTTPONLY and nir.settings.CSRF_COOKIE_HTTPONLY
    assert nir.settings.SECURE_CONTENT_TYPE_NOSNIFF
    assert nir.settings.X_FRAME_OPTIONS == "DENY"


@pytest.fixture
def kari(db, kommune_a):
    return User.objects.create_user(
        "kari", password="riktig-passord-123", roles=[Role.KOMMUNEINTROBRUKER], kommune=kommune_a
    )


def _from(address: str):
    return RequestFactory().post("/logg-inn/", REMOTE_ADDR=address)


@pytest.mark.django_db
def test_failures_from_one_address_slow_that_address_with_growing_delays(kari, settings):
    settings.NIR_LOGIN_MAX_FAILURES = 5
    settings.NIR_LOGIN_LOCKOUT_MINUTES = 15
    attacker = "203.0.113.9"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            assert authenticate(_from(attacker), username="kari", password="feil") is None
        # Held back for a second, even with the right password, from that address only.
        assert authenticate(_from(attacker), username="kari", password="riktig-passord-123") is None
        # Kari at her own desk is not locked out by someone else's guessing.
        assert (
            authenticate(_from("198.51.100.7"), username="kari", password="riktig-passord-123")
            == kari
        )
    waits = []
    moment = start
    for _ in range(4):
        throttle = LoginThrottle.objects.get(username="kari", address=attacker)
        waits.append(throttle.locked_until - moment)
        moment = throttle.locked_until + dt.timedelta(milliseconds=1)
        with time_machine.travel(moment, tick=False):
            assert authenticate(_from(attacker), username="kari", password="feil") is None
    assert waits == [dt.timedelta(seconds=s) for s in (1, 2, 4, 8)]
    assert delay_after(100) == dt.timedelta(minutes=15)
    with time_machine.travel(moment + dt.timedelta(minutes=16), tick=False):
        assert authenticate(_from(attacker), username="kari", password="riktig-passord-123") == kari
    assert not LoginThrottle.objects.filter(username="kari", address=attacker).exists()


class CountingHasher(MD5PasswordHasher):
    """The real MD5 hasher, counting how often a password is checked."""

    algorithm = "md5"
    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


@pytest.mark.django_db
def test_a_throttled_attempt_gets_the_same_answer_after_the_same_work(kari, settings, client):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_sign_in.CountingHasher"]
    kari.set_password("riktig-passord-123")
    kari.save()
    settings.NIR_LOGIN_MAX_FAILURES = 2
    wrong = {"username": "kari", "password": "feil"}
    first = client.post("/logg-inn/", wrong, REMOTE_ADDR="203.0.113.9")
    client.post("/logg-inn/", wrong, REMOTE_ADDR="203.0.113.9")
    assert LoginThrottle.objects.get(username="kari").locked_until is not None
    # The class Django loaded (this file may be imported under another module name).
    counting = import_string(settings.PASSWORD_HASHERS[0])
    counting.checks = 0
    throttled = client.post("/logg-inn/", wrong, REMOTE_ADDR="203.0.113.9")
    assert counting.checks == 1  # the password was checked as for anyone
    assert throttled.status_code == first.status_code == 200
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", throttled.content.decode()) == strip.sub("", first.content.decode())


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(settings):
    settings.NIR_TRUSTED_PROXIES = ["127.0.0.1"]
    via_proxy = RequestFactory().post(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.9"
    )
    assert client_address(via_proxy) == "203.0.113.9"
    spoofed = RequestFactory().post(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert client_address(spoofed) == "198.51.100.7"


@pytest.mark.django_db
def test_a_success_clears_earlier_failures(kari):
    for _ in range(3):
        authenticate(username="kari", password="feil")
    assert authenticate(username="kari", password="riktig-passord-123") == kari
    for _ in range(4):
        authenticate(username="kari", password="feil")
    assert authenticate(username="kari", password="riktig-passord-123") == kari
