"""Logging every read that shows persons' records (rules.md §9), through the access log."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from nir.audit.access_log import Reader, described, log_access
from nir.web.access import current_user


def log_read(request: HttpRequest, action: str, person_ids: Iterable[int]) -> None:
    """One entry for this page or download, naming every person whose record it showed."""
    ids = list(person_ids)
    if not ids:
        return
    user = current_user(request)
    log_access(
        reader=Reader(
            actor=user.get_username(),
            organisation="IMDi" if user.is_imdi or user.kommune is None else user.kommune.number,
            channel="web",
        ),
        action=action,
        what=described(request.path, request.GET),
        person_ids=ids,
    )
