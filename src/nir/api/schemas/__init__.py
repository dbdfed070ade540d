"""The API's typed input and output: the contract published in docs/openapi.json.

``records`` holds the record a case system sends and gets back, ``corrections`` what a
correction names and answers, ``replies`` every other reply, and ``value_sets`` the closed
lists of values they use. This package holds the base every reply shares.
"""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class OutSchema(Schema):
    """A reply: every field is always sent (null where it says so), so all are required."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
