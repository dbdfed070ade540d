"""A history event's before and after read back exactly as Django's JSON encoder spells them,
whether a value is converted directly (the common kinds) or through the encoder."""

import datetime as dt
import json
from decimal import Decimal
from enum import IntEnum, StrEnum

from django.core.serializers.json import DjangoJSONEncoder

from nir.register.services.history import _jsonable


class _Kind(StrEnum):
    LEAVE = "permisjon"


class _Level(IntEnum):
    TWO = 2


def test_a_state_reads_as_the_encoder_would_write_it():
    state = {
        "valid_from": dt.date(2024, 2, 29),
        "occurred": dt.datetime(2024, 1, 1, 10, 0, 0, 123456, tzinfo=dt.UTC),
        "hours": Decimal("7.50"),
        "kind": _Kind.LEAVE,
        "level": _Level.TWO,
        "end_date": None,
        "settled": True,
        "share": 1.5,
        "rows": [dt.date(2020, 1, 1), {"hours": Decimal("1")}, (1, "a")],
        "by_year": {2024: dt.date(2024, 3, 1)},
        "span": dt.timedelta(days=3),
    }
    expected = json.loads(json.dumps(state, cls=DjangoJSONEncoder))
    stored = _jsonable(state)
    assert stored == expected
    assert json.dumps(stored, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert type(stored["kind"]) is str and type(stored["level"]) is int
    assert _jsonable(None) is None
