"""Strict reading of settings from the environment.

A register must not start half-configured: every variable is parsed here, and a bad
value stops start-up with a message naming the variable and what it expects.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import urllib.parse
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class Env:
    """Typed access to environment variables, all with the prefix-free names we document."""

    def __init__(self, source: Mapping[str, str] | None = None) -> None:
        self._source = os.environ if source is None else source

    def _raw(self, name: str) -> str | None:
        value = self._source.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def string(self, name: str, default: str) -> str:
        value = self._raw(name)
        return default if value is None else value

    def optional_string(self, name: str) -> str | None:
        return self._raw(name)

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a yes/no value; use one of "
            f"{', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}."
        )

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
        return number

    def date_or_none(self, name: str, default: dt.date | None) -> dt.date | None:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() == "none":
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}={value!r} is not a date; write it as YYYY-MM-DD, or 'none'."
            ) from None

    def date(self, name: str, default: dt.date) -> dt.date:
        value = self.date_or_none(name, default)
        if value is None:
            raise ImproperlyConfigured(f"{name} must be a date (YYYY-MM-DD), not 'none'.")
        return value

    def strings(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def integers(self, name: str, default: list[int], *, minimum: int = 1) -> list[int]:
        """A comma-separated list of whole numbers, each at least ``minimum``."""
        numbers = []
        for item in self.strings(name, [str(d) for d in default]):
            try:
                number = int(item)
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name}: {item!r} is not a whole number; write e.g. 30,7."
                ) from None
            if number < minimum:
                raise ImproperlyConfigured(f"{name}: {number} must be at least {minimum}.")
            numbers.append(number)
        return numbers

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.string(name, default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}.")
        return value

    def addresses(self, name: str) -> list[str]:
        """A comma-separated list of IP addresses or networks (127.0.0.1, 10.0.0.0/8)."""
        found = []
        for item in self.strings(name, []):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name}: {item!r} is not an IP address or network; write e.g. "
                    "127.0.0.1,10.0.0.0/8."
                ) from None
            found.append(item)
        return found

    def url(self, name: str, default: str) -> str:
        """An absolute http or https URL, without a trailing slash."""
        value = self.string(name, default)
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImproperlyConfigured(
                f"{name}={value!r} is not an http(s) address; write e.g. https://nir.example.no."
            )
        return value.rstrip("/")

    @staticmethod
    def origin_of(url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
