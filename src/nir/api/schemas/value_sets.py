"""The contract's value sets: every closed list of values a request or a reply can carry.

Each enum of the contract is closed at a given contract version; within v1 values may be
added (docs/api.md, «Value sets»), so a client must accept a value it does not know in a
reply. The enums that mirror the rules' catalogues (nir.rules.config, nir.rules.termination)
are kept equal to them by tests/api/test_api_types.py.
"""

from __future__ import annotations

from enum import StrEnum


class LeaveType(StrEnum):
    FORELDREPERMISJON = "foreldrepermisjon"
    OMSORGSPERMISJON = "omsorgspermisjon"
    SYKDOM = "sykdom"
    ANNEN = "annen"


class AbsenceType(StrEnum):
    GYLDIG_FRAVAER = "gyldig_fravaer"
    SYKEFRAVAER_LEGEERKLAERING = "sykefravaer_legeerklaering"
    UGYLDIG_FRAVAER = "ugyldig_fravaer"


class ClockStopType(StrEnum):
    """A leave or a dated absence in the frist's derivation: the leave or absence type."""

    FORELDREPERMISJON = "foreldrepermisjon"
    OMSORGSPERMISJON = "omsorgspermisjon"
    SYKDOM = "sykdom"
    ANNEN = "annen"
    GYLDIG_FRAVAER = "gyldig_fravaer"
    SYKEFRAVAER_LEGEERKLAERING = "sykefravaer_legeerklaering"
    UGYLDIG_FRAVAER = "ugyldig_fravaer"


class TerminationReasonIn(StrEnum):
    """The reasons a municipality may register (the register's list of termination reasons)."""

    ARBEID = "arbeid"
    UTDANNING_VGO = "utdanning_vgo"
    UTDANNING_HOYERE = "utdanning_hoyere"
    ARBEID_OG_UTDANNING = "arbeid_og_utdanning"
    GRUNNSKOLE = "grunnskole"
    NAV_TILTAK = "nav_tiltak"
    FLYTTET = "flyttet"
    STANS = "stans"
    AVBRUTT = "avbrutt"
    HELSE = "helse"
    FORELDREPERMISJON = "foreldrepermisjon"
    UTVANDRET = "utvandret"
    DOD = "dod"
    TID_UTLOPT = "tid_utlopt"
    ANNET = "annet"


class TerminationReason(StrEnum):
    """Every reason a participation can have ended with: the municipality's, and
    «ikke_registrert», which only the register sets (the frist passed with no end)."""

    ARBEID = "arbeid"
    UTDANNING_VGO = "utdanning_vgo"
    UTDANNING_HOYERE = "utdanning_hoyere"
    ARBEID_OG_UTDANNING = "arbeid_og_utdanning"
    GRUNNSKOLE = "grunnskole"
    NAV_TILTAK = "nav_tiltak"
    FLYTTET = "flyttet"
    STANS = "stans"
    AVBRUTT = "avbrutt"
    HELSE = "helse"
    FORELDREPERMISJON = "foreldrepermisjon"
    UTVANDRET = "utvandret"
    DOD = "dod"
    TID_UTLOPT = "tid_utlopt"
    ANNET = "annet"
    IKKE_REGISTRERT = "ikke_registrert"


class NorskEndReasonIn(StrEnum):
    """The reasons a municipality may end a Norwegian-training ordning with (the register's
    catalogue of the scheme's end reasons)."""

    NORSKMAL_NADD = "norskmal_nadd"
    TIMER_GJENNOMFORT = "timer_gjennomfort"
    FRITAK = "fritak"
    AVBRUTT = "avbrutt"
    AVVIST = "avvist"
    FLYTTET = "flyttet"
    UTVANDRET = "utvandret"
    DOD = "dod"
    ANNET = "annet"


class NorskEndReason(StrEnum):
    """Every reason an ordning can have ended with: the municipality's, and those only the
    register sets (the 67th birthday; the frist, behind its switch)."""

    NORSKMAL_NADD = "norskmal_nadd"
    TIMER_GJENNOMFORT = "timer_gjennomfort"
    FRIST_UTLOPT = "frist_utlopt"
    FRITAK = "fritak"
    FYLT_67 = "fylt_67"
    AVBRUTT = "avbrutt"
    AVVIST = "avvist"
    FLYTTET = "flyttet"
    UTVANDRET = "utvandret"
    DOD = "dod"
    ANNET = "annet"


class NorskMissingCode(StrEnum):
    """What an open Norwegian-training ordning lacks (the worklist's streams)."""

    END = "end"
    EDUCATION = "education"
    NORSKMAAL = "norskmaal"
    HOURS = "hours"
    TEST_RESULT = "test_result"


class MissingCode(StrEnum):
    TERMINATION_REASON = "termination_reason"
    SLUTTMAAL = "sluttmaal"
    DECISION = "decision"
    MEASURES = "measures"
    EDUCATION = "education"
    PROGRAMME_TIME = "programme_time"


class ChangeEntity(StrEnum):
    PARTICIPATION = "participation"
    PERSON = "person"
    SLUTTMAAL = "sluttmaal"
    DECISION = "decision"
    MEASURE = "measure"
    LEAVE = "leave"
    ABSENCE = "absence"
    EXTENSION = "extension"
    STOP = "stop"
    RELATED_ITEM = "related_item"
    GRANT = "grant"
    KOMMUNE = "kommune"
    NORSK_PARTICIPATION = "norsk_participation"
    NORSK_LEAVE = "norsk_leave"
    EXTENDED_NORWEGIAN = "extended_norwegian"
    NORSKMAAL = "norskmaal"
    NORSK_TEST_RESULT = "norsk_test_result"
    NORSK_EXEMPTION = "norsk_exemption"
    NORSK_HOURS = "norsk_hours"
    SUPPORT_REQUEST = "support_request"
    RESEARCH_EXTRACT = "research_extract"


class ChangeAction(StrEnum):
    PARTICIPATION_CREATED = "participation_created"
    PARTICIPATION_SEEDED = "participation_seeded"
    PERSON_REGISTERED = "person_registered"
    PERSON_UPDATED = "person_updated"
    PERSON_ANONYMISED = "person_anonymised"
    SLUTTMAAL_REGISTERED = "sluttmaal_registered"
    DECISION_REGISTERED = "decision_registered"
    MEASURE_REGISTERED = "measure_registered"
    LEAVE_REGISTERED = "leave_registered"
    ABSENCE_REGISTERED = "absence_registered"
    EXTENSION_REGISTERED = "extension_registered"
    STOP_REGISTERED = "stop_registered"
    RELATED_ITEM_REGISTERED = "related_item_registered"
    REGISTRATION_CANCELLED = "registration_cancelled"
    TERMINATION_REGISTERED = "termination_registered"
    TERMINATION_REPLACED_AUTOMATIC = "termination_replaced_automatic"
    TERMINATION_CANCELLED = "termination_cancelled"
    AUTOMATIC_TERMINATION_END = "automatic_termination_end"
    AUTOMATIC_TERMINATION_LIFT = "automatic_termination_lift"
    AUTOMATIC_TERMINATION_MOVE = "automatic_termination_move"
    FRIST_RECOMPUTED = "frist_recomputed"
    LATE_REGISTRATION_GRANTED = "late_registration_granted"
    LATE_REGISTRATION_REVOKED = "late_registration_revoked"
    NORSK_PARTICIPATION_STARTED = "norsk_participation_started"
    NORSK_FRIST_RECOMPUTED = "norsk_frist_recomputed"
    NORSK_LEAVE_REGISTERED = "norsk_leave_registered"
    EXTENDED_NORWEGIAN_GRANTED = "extended_norwegian_granted"
    NORSKMAAL_REGISTERED = "norskmaal_registered"
    NORSK_TEST_RESULT_REGISTERED = "norsk_test_result_registered"
    NORSK_EXEMPTION_REGISTERED = "norsk_exemption_registered"
    NORSK_HOURS_REGISTERED = "norsk_hours_registered"
    NORSK_EDUCATION_REGISTERED = "norsk_education_registered"
    NORSK_FRIST_PASSED = "norsk_frist_passed"
    NORSK_PARTICIPATION_ENDED = "norsk_participation_ended"
    NORSK_END_CANCELLED = "norsk_end_cancelled"


class AuthMethod(StrEnum):
    TOKEN = "token"  # noqa: S105 - the name of the method, not a secret
    MASKINPORTEN = "maskinporten"


class WindowStatusOut(StrEnum):
    """Whether the real reason of an end by the register can still be registered."""

    OPEN = "open"
    GRANTED = "granted"
    NEEDS_GRANT = "needs_grant"
    TOO_OLD = "too_old"


class GrantStatusOut(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"
