"""The committed OpenAPI document (docs/openapi.json) and how it is produced from the code."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from nir.api.v1 import api

# src/nir/api/ -> the repository root, where docs/ lives.
COMMITTED = Path(settings.BASE_DIR).parent.parent / "docs" / "openapi.json"
REGENERATE = "nir openapi --write"


def render() -> str:
    """The document as committed: stable key order, two-space indent, a final newline."""
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
