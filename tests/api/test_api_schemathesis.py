"""Property-based run of the committed contract against the app (schemathesis): whatever a
case system sends that the contract allows, the register answers without a server error
and with a reply the contract describes. Bounded: a few examples per operation."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.helpers import OPENAPI, make_record

schema = schemathesis.openapi.from_dict(json.loads(OPENAPI.read_text()))
schema.app = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_test_connection(register_with_data):
    """Calls go straight to the WSGI handler, which closes "old" connections at each request
    as a server must; inside the test's transaction that would close the test's own
    connection (PostgreSQL), so do what Django's test client does and keep it. (After the
    data is made: the test client reconnects the handler when it is done.)"""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def register_with_data(fagsystem_a):
    # Something to find: a participant whose case id the generator may hit by chance.
    fagsystem_a.batch([make_record("1"), make_record("a")])
    return fagsystem_a


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_contract_holds_for_generated_requests(case, register_with_data, keep_test_connection):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {register_with_data.token}"}, checks=CHECKS
    )
