"""Settings come from the environment, strictly: a bad value stops start-up with a message."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from nir.env import Env


@pytest.mark.parametrize(
    ("method", "value", "fragment"),
    [
        ("boolean", "maybe", "NIR_X='maybe' is not a yes/no value"),
        ("integer", "two", "NIR_X='two' is not a whole number"),
        ("date_or_none", "01.07.2026", "write it as YYYY-MM-DD"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_expects(method, value, fragment):
    env = Env({"NIR_X": value})
    with pytest.raises(ImproperlyConfigured, match=fragment):
        getattr(env, method)("NIR_X", None)


def test_values_are_parsed_and_defaults_apply_when_unset():
    env = Env({"A": "yes", "B": "12", "C": "2026-07-01", "D": "none", "E": "a, b,,c"})
    assert env.boolean("A", False) is True
    assert env.integer("B", 0) == 12
    assert env.date_or_none("C", None) == dt.date(2026, 7, 1)
    assert env.date_or_none("D", dt.date(2000, 1, 1)) is None
    assert env.strings("E", []) == ["a", "b", "c"]
    assert env.integer("MISSING", 7) == 7
    with pytest.raises(ImproperlyConfigured, match="must be at least 0"):
        Env({"N": "-3"}).integer("N", 0, minimum=0)
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        Env({"G": "p99"}).choice("G", "p13", ("p13", "p14_andre"))


def _start_django(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIR_")}
    env.update({"DJANGO_SETTINGS_MODULE": "nir.settings", **extra_env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_the_register_refuses_to_start_with_a_bad_setting(tmp_path):
    result = _start_django(
        {
            "NIR_SECRET_KEY": "x",
            "NIR_DATA_DIR": str(tmp_path),
            "NIR_REGISTRATION_WINDOW_MONTHS": "two",
        }
    )
    assert result.returncode != 0
    assert "NIR_REGISTRATION_WINDOW_MONTHS='two' is not a whole number" in result.stderr


def test_the_register_refuses_to_start_without_a_secret_key_outside_debug(tmp_path):
    result = _start_django({"NIR_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "NIR_SECRET_KEY is not set" in result.stderr
    assert _start_django({"NIR_DATA_DIR": str(tmp_path), "NIR_DEBUG": "true"}).returncode == 0


def _nir(args, extra_env, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIR_", "DJANGO_"))}
    env.update({"NIR_DATA_DIR": str(tmp_path), **extra_env})
    return subprocess.run(
        [sys.executable, "-m", "nir.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("extra_env", "named"),
    [
        ({}, "NIR_SECRET_KEY is not set"),
        ({"NIR_SECRET_KEY": "x", "NIR_TRUSTED_PROXIES": "the-proxy"}, "NIR_TRUSTED_PROXIES"),
        ({"NIR_SECRET_KEY": "x", "NIR_BASE_URL": "nir.example.no"}, "NIR_BASE_URL"),
        ({"NIR_SECRET_KEY": "x", "NIR_BEHIND_TLS_PROXY": "true"}, "NIR_TRUSTED_PROXIES"),
    ],
)
def test_a_nir_command_with_a_missing_or_bad_setting_prints_one_line_and_exits(
    extra_env, named, tmp_path
):
    result = _nir(["migrate"], extra_env, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("nir: ") and named in lines[0]


def test_trusted_proxies_and_the_base_url_set_what_the_proxy_needs():
    env = Env({"P": "127.0.0.1, 10.0.0.0/8", "U": "https://nir.example.no/"})
    assert env.addresses("P") == ["127.0.0.1", "10.0.0.0/8"]
    assert env.url("U", "") == "https://nir.example.no"
    assert Env.origin_of("https://nir.example.no:8443/sti") == "https://nir.example.no:8443"
