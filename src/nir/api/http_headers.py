"""The HTTP headers of the API's conditional and idempotent writes: their forms as the
contract declares them, and the ETag a participation's version is sent as."""

from __future__ import annotations

from typing import Annotated

from ninja import Header

from nir.api.idempotency import KEY_FORM

# The forms the register reads in its request headers; anything else is refused as the
# schema refuses it (422). The key: printable ASCII, no space at either end (HTTP trims it).
IDEMPOTENCY_KEY_PATTERN = "^" + KEY_FORM.pattern + "$"
IF_MATCH_PATTERN = r'^(?:\*|"[0-9]{1,18}")$'

# Request headers, declared so the contract shows them; ninja reads them by their HTTP name.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description="1 to 255 printable ASCII characters, e.g. a UUID: a retry of this write "
        "with the same key returns the first reply.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        pattern=IF_MATCH_PATTERN,
        description='The strong ETag from your last read ("2"): change only that version. '
        "«*» changes whatever version exists (412 if none).",
    ),
]
# The corrections change nothing without it (428), so the contract says so.
IfMatchRequired = Annotated[
    str | None,
    Header(
        alias="If-Match",
        pattern=IF_MATCH_PATTERN,
        description="The participation's strong ETag from your last read, or «*» "
        "(required: 428 without it).",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(alias="If-None-Match", pattern=r"^\*$", description="«*»: create only, never change."),
]


def etag(version: int) -> str:
    """A participation's version as its strong ETag."""
    return f'"{version}"'


def version_in_if_match(value: str) -> int | None:
    """The version an If-Match (already checked against IF_MATCH_PATTERN) names; None for
    «*», which matches whatever version exists."""
    tag = value.strip()
    return None if tag == "*" else int(tag.strip('"'))
