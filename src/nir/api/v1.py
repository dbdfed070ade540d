"""Version 1 of the machine API for municipal case systems (the successor of WS4): every
operation, with the replies it declares, in the order the contract lists them.

The handlers live by what they do (nir.api.reads, nir.api.writes, nir.api.corrections) and
return the schema objects declared here, so ninja checks every reply against its status's
schema before it is sent. They are declared in one table rather than by decorators in
their modules because ninja answers a path from one router only, and a participant's
address is both read (GET) and written (PUT).
"""

from __future__ import annotations

from typing import Any

from ninja import Router
from ninja.openapi.docs import Swagger

from nir.api import corrections, idempotency, json_limits, reads, writes
from nir.api.auth import BearerAuth
from nir.api.error_handlers import answer_errors_as_problems
from nir.api.openapi import BATCH_BODY, NORSK_BATCH_BODY, RegisterApi
from nir.api.schemas.corrections import CorrectionOut, NorskCorrectionOut
from nir.api.schemas.norsk import NorskParticipantOut, NorskParticipantPage
from nir.api.schemas.replies import (
    BatchOut,
    ChangePage,
    DeadlinesOut,
    GrantsOut,
    MeOut,
    ParticipantOut,
    ParticipantPage,
    Problem,
    ReconciliationPage,
    RecordResultOut,
)
from nir.api.throttling import ClientRateThrottle

api = RegisterApi(
    title="NIR – maskinelt grensesnitt for fagsystemer",
    version="1.0.0",
    description=(
        "The national introduction register's API for municipal case systems: each "
        "operation, its schemas and its problem types are described below; `nir conformance` "
        "checks a case system against a running register."
    ),
    urls_namespace="api-v1",
    auth=BearerAuth(),
    docs=Swagger(settings={"persistAuthorization": False}),
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): no CDN, and no
    # inline script, so the docs page lives under the site's strict policy unchanged
    # (tests/browser/test_api_docs_browser.py renders it in Chromium and sees no violation).
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[ClientRateThrottle()],
    parser=json_limits.BoundedParser(),
)
answer_errors_as_problems(api)
# Every operation closes the write unit its handler opens (reads open none).
operations = Router()
idempotency.make_units_close(operations)

# The problem replies every operation declares itself; the others every request can meet
# are added to the document by RegisterApi.
PROBLEMS: dict[int, Any] = {401: Problem}
# A scheme's operations answer 403 to a client that does not hold the scheme (rules-norsk.md
# N7-a: the same roles on the machine interface as on the web).
SCHEME_PROBLEMS: dict[int, Any] = {403: Problem, **PROBLEMS}
# One record by PUT, either scheme's.
PUT_REPLIES: dict[int, Any] = {
    200: RecordResultOut,
    201: RecordResultOut,
    404: Problem,
    412: Problem,
    428: Problem,
}
CORRECTION_REPLIES: dict[int, Any] = {
    200: CorrectionOut,
    404: Problem,
    412: Problem,
    422: Problem,
    428: Problem,
    **SCHEME_PROBLEMS,
}

operations.add_api_operation(
    "/me", ["GET"], reads.get_me, response={200: MeOut, **PROBLEMS}, tags=["client"]
)
operations.add_api_operation(
    "/batch/participations",
    ["POST"],
    writes.upsert_batch,
    response={200: BatchOut, **SCHEME_PROBLEMS},
    openapi_extra=BATCH_BODY,
    tags=["write"],
)
operations.add_api_operation(
    "/participations/{path:case_id}",
    ["PUT"],
    writes.put_participation,
    response={**PUT_REPLIES, **SCHEME_PROBLEMS},
    tags=["write"],
)
operations.add_api_operation(
    "/participations/{path:case_id}",
    ["GET"],
    reads.get_participation,
    response={200: ParticipantOut, 404: Problem, **SCHEME_PROBLEMS},
    tags=["read"],
)
operations.add_api_operation(
    "/participations",
    ["GET"],
    reads.list_participations,
    response={200: ParticipantPage, **SCHEME_PROBLEMS},
    tags=["read"],
)
operations.add_api_operation(
    "/reconciliation",
    ["GET"],
    reads.list_reconciliation,
    response={200: ReconciliationPage, **SCHEME_PROBLEMS},
    tags=["read"],
)
operations.add_api_operation(
    "/changes", ["GET"], reads.list_changes, response={200: ChangePage, **PROBLEMS}, tags=["read"]
)
operations.add_api_operation(
    "/deadlines",
    ["GET"],
    reads.list_deadlines,
    response={200: DeadlinesOut, **SCHEME_PROBLEMS},
    tags=["read"],
)
operations.add_api_operation(
    "/grants", ["GET"], reads.list_grants, response={200: GrantsOut, **PROBLEMS}, tags=["read"]
)
operations.add_api_operation(
    "/corrections/cancel-registration",
    ["POST"],
    corrections.cancel_registration_operation,
    response=CORRECTION_REPLIES,
    operation_id="cancelRegistration",
    tags=["correct"],
)
operations.add_api_operation(
    "/corrections/undo-termination",
    ["POST"],
    corrections.undo_termination_operation,
    response=CORRECTION_REPLIES,
    operation_id="undoTermination",
    tags=["correct"],
)

# Training in Norwegian and social studies: the scheme's own paths (docs/api.md, «Norwegian
# training»), each answering 403 to a client without the scheme.
operations.add_api_operation(
    "/batch/norsk-participations",
    ["POST"],
    writes.upsert_norsk_batch,
    response={200: BatchOut, **SCHEME_PROBLEMS},
    openapi_extra=NORSK_BATCH_BODY,
    tags=["norsk"],
)
operations.add_api_operation(
    "/norsk/participations/{path:case_id}",
    ["PUT"],
    writes.put_norsk_participation,
    response={**PUT_REPLIES, **SCHEME_PROBLEMS},
    tags=["norsk"],
)
operations.add_api_operation(
    "/norsk/participations/{path:case_id}",
    ["GET"],
    reads.get_norsk_participation,
    response={200: NorskParticipantOut, 404: Problem, **SCHEME_PROBLEMS},
    tags=["norsk"],
)
operations.add_api_operation(
    "/norsk/participations",
    ["GET"],
    reads.list_norsk_participations,
    response={200: NorskParticipantPage, **SCHEME_PROBLEMS},
    tags=["norsk"],
)
operations.add_api_operation(
    "/norsk/reconciliation",
    ["GET"],
    reads.list_norsk_reconciliation,
    response={200: ReconciliationPage, **SCHEME_PROBLEMS},
    tags=["norsk"],
)
operations.add_api_operation(
    "/norsk/deadlines",
    ["GET"],
    reads.list_norsk_deadlines,
    response={200: DeadlinesOut, **SCHEME_PROBLEMS},
    tags=["norsk"],
)
operations.add_api_operation(
    "/norsk/corrections/cancel-registration",
    ["POST"],
    corrections.cancel_norsk_registration_operation,
    response={**CORRECTION_REPLIES, 200: NorskCorrectionOut},
    operation_id="cancelNorskRegistration",
    tags=["norsk"],
)
operations.add_api_operation(
    "/norsk/corrections/undo-end",
    ["POST"],
    corrections.undo_norsk_end_operation,
    response={**CORRECTION_REPLIES, 200: NorskCorrectionOut},
    operation_id="undoNorskEnd",
    tags=["norsk"],
)

api.add_router("", operations)
