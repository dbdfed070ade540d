"""Local accounts: Argon2 hashes, and a lockout after repeated failed sign-ins."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.utils import timezone

import nir.settings
from nir.accounts.models import LoginThrottle, Role, User


def test_production_settings_hash_passwords_with_argon2_and_keep_cookies_safe():
    assert nir.settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert nir.settings.SESSION_COOKIE_HTTPONLY and nir.settings.CSRF_COOKIE_HTTPONLY
    assert nir.settings.SECURE_CONTENT_TYPE_NOSNIFF
    assert nir.settings.X_FRAME_OPTIONS == "DENY"


@pytest.fixture
def kari(db, kommune_a):
    return User.objects.create_user(
        "kari", password="riktig-passord-123", role=Role.KOMMUNEINTROBRUKER, kommune=kommune_a
    )


@pytest.mark.django_db
def test_five_failures_lock_the_name_even_for_the_right_password(kari, settings):
    settings.NIR_LOGIN_MAX_FAILURES = 5
    settings.NIR_LOGIN_LOCKOUT_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            assert authenticate(username="kari", password="feil") is None
        assert authenticate(username="kari", password="riktig-passord-123") is None
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert authenticate(username="kari", password="riktig-passord-123") == kari
    assert not LoginThrottle.objects.filter(username="kari").exists()


@pytest.mark.django_db
def test_a_success_clears_earlier_failures(kari):
    for _ in range(3):
        authenticate(username="kari", password="feil")
    assert authenticate(username="kari", password="riktig-passord-123") == kari
    for _ in range(4):
        authenticate(username="kari", password="feil")
    assert authenticate(username="kari", password="riktig-passord-123") == kari
