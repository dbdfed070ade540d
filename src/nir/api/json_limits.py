"""Bounds on a JSON body before and after it is parsed: nesting depth and array lengths.

Python's parser recurses once per level, so a body of a few thousand brackets would end in
a RecursionError (a 500) before any schema saw it; the depth is therefore counted on the
raw bytes first. Array lengths are checked on the parsed value, with the path of the array.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

# A record is five levels deep (records → record → leaves → leave → field); 32 leaves room.
MAX_DEPTH = 32
# No array the API takes has more items than a batch has records.
MAX_ARRAY_ITEMS = 1000


class JsonLimitExceeded(ValueError):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        self.message = message


def check_depth(body: bytes, max_depth: int = MAX_DEPTH) -> None:
    """Refuses a body nested deeper than ``max_depth``, without parsing it."""
    depth = 0
    in_string = False
    escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > max_depth:
                raise JsonLimitExceeded(
                    "body",
                    "json.too_deep",
                    f"JSON-dokumentet er nestet dypere enn {max_depth} nivåer.",
                )
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1


def check_arrays(value: Any, path: str = "", max_items: int = MAX_ARRAY_ITEMS) -> None:
    """Refuses an array of more than ``max_items`` anywhere in ``value``, naming its path."""
    if isinstance(value, list):
        if len(value) > max_items:
            raise JsonLimitExceeded(
                path or "body",
                "json.array_too_long",
                f"Listen kan ha høyst {max_items} elementer.",
            )
        for index, item in enumerate(value):
            check_arrays(item, f"{path}[{index}]", max_items)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_arrays(item, f"{path}.{key}" if path else str(key), max_items)


def loads(body: bytes) -> Any:
    """``json.loads`` within the bounds: depth first, then every array."""
    check_depth(body)
    value = json.loads(body)
    check_arrays(value)
    return value


class BoundedParser(Parser):
    """ninja's JSON parser, within the bounds; a refusal reaches the API's error handler as
    the cause of ninja's 400 and is answered as a 422 naming the field."""

    def parse_body(self, request: HttpRequest) -> Any:
        return loads(request.body)
