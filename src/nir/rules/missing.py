"""What a participation still lacks (rules.md §7 and §5): the list a caseworker must act on."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.decided_programme_time import ProgrammeTimeMismatch
from nir.rules.regime import Regime
from nir.rules.registration_window import (
    GrantFacts,
    WindowParameters,
    WindowStatus,
    window_closes,
    window_state,
)

BASIS_SLUTTMAAL = LegalBasis(
    "missing.sluttmaal",
    "integreringsloven § 15: integreringsplanen skal ha et sluttmål",
    BasisKind.LOV,
    "https://lovdata.no/lov/2020-11-06-127/§15",
)
BASIS_DECISION = LegalBasis(
    "missing.decision",
    "IMDis registreringskrav i NIR: vedtak om deltakelse skal registreres",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/nir-og-bosetting/nasjonalt-introduksjonsregister-nir/"
    "dette-skal-kommunen-registrere-i-nir/",
)
BASIS_MEASURES = LegalBasis(
    "missing.measures",
    "IMDis registreringskrav i NIR: tiltak med periode og timer skal registreres",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/nir-og-bosetting/nasjonalt-introduksjonsregister-nir/"
    "dette-skal-kommunen-registrere-i-nir/",
)
BASIS_EDUCATION = LegalBasis(
    "missing.education",
    "integreringsloven § 13: utdanningsbakgrunnen avgjør programtiden",
    BasisKind.LOV,
    "https://lovdata.no/lov/2020-11-06-127/§13",
)
BASIS_REASON = LegalBasis(
    "missing.termination_reason",
    "IMDis registreringskrav i NIR: reell avslutningsårsak senest to måneder etter avslutningen",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/arkiv/arkiverte-nyheter/registrering-av-avslutningsarsak-i-nir/",
)


@dataclass(frozen=True, slots=True)
class MissingRegistration:
    code: str
    field: str
    message: str  # Norwegian, for the caseworker
    due: dt.date | None  # the last day it can be registered without a grant, where one applies
    basis: LegalBasis
    # The values the message is worded with, so a page can word it in another language.
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RegistrationState:
    regime: Regime
    start: dt.date
    has_sluttmaal: bool
    has_decision: bool
    has_measures: bool
    education_registered: bool
    ended_by_system: bool
    end_date: dt.date | None
    # The municipality's grants: whether a late registration admits the real reason.
    grants: tuple[GrantFacts, ...] = ()
    # A start decision granting more months than the sluttmål and extensions give.
    programme_mismatch: ProgrammeTimeMismatch | None = None


def _reason_missing(
    end_date: dt.date, grants: tuple[GrantFacts, ...], as_of: dt.date, config: WindowParameters
) -> MissingRegistration:
    """The reason a participation the register ended still lacks, and how it can be fixed."""
    standing = window_state(event_date=end_date, as_of=as_of, grants=grants, config=config)
    closes = window_closes(end_date, config)
    lead = "Avsluttet av registeret fordi fristen gikk ut uten registrert årsak."
    if standing.status is WindowStatus.OPEN:
        text = f"{lead} Registrer reell avslutningsårsak innen {standing.until:%d.%m.%Y}."
    elif standing.status is WindowStatus.GRANTED:
        text = (
            f"{lead} Etterregistrering er innvilget: registrer reell avslutningsårsak "
            f"innen {standing.until:%d.%m.%Y}."
        )
    elif standing.status is WindowStatus.NEEDS_GRANT:
        text = (
            f"{lead} Fristen for å registrere årsaken gikk ut {closes:%d.%m.%Y}; be IMDi "
            f"om etterregistrering (mulig til {standing.until:%d.%m.%Y})."
        )
    else:
        text = (
            f"{lead} Avslutningen er mer enn {config.late_registration_max_months} måneder "
            "gammel og kan ikke rettes."
        )
    params = {
        "status": standing.status.value,
        "until": standing.until,
        "closes": closes,
        "max_months": config.late_registration_max_months,
    }
    return MissingRegistration(
        "termination_reason", "reason", text, standing.until, BASIS_REASON, params
    )


def _programme_time_missing(mismatch: ProgrammeTimeMismatch) -> MissingRegistration:
    """A start decision granting more than the sluttmål gives: the extension is missing."""
    params = {
        "decided_months": mismatch.decided_months,
        "computed_months": mismatch.computed_months,
        "base_months": mismatch.base_months,
        "frist": mismatch.frist,
    }
    return MissingRegistration(
        "programme_time",
        "extension_months",
        mismatch.message,
        mismatch.frist,
        mismatch.basis,
        params,
    )


def missing_registrations(
    state: RegistrationState, *, as_of: dt.date, config: WindowParameters
) -> list[MissingRegistration]:
    """Each registration the participation lacks, with the date by which it is due."""
    missing: list[MissingRegistration] = []
    start_window = window_closes(state.start, config)
    if state.ended_by_system and state.end_date is not None:
        missing.append(_reason_missing(state.end_date, state.grants, as_of, config))
    if state.programme_mismatch is not None:
        missing.append(_programme_time_missing(state.programme_mismatch))
    if state.regime.has_sluttmaal and not state.has_sluttmaal:
        missing.append(
            MissingRegistration(
                "sluttmaal",
                "sluttmaal",
                "Sluttmål mangler. Fristen er beregnet med standard programtid til sluttmål "
                "registreres.",
                start_window,
                BASIS_SLUTTMAAL,
            )
        )
    if not state.has_decision:
        missing.append(
            MissingRegistration(
                "decision",
                "decision_type",
                "Vedtak om deltakelse er ikke registrert.",
                start_window,
                BASIS_DECISION,
            )
        )
    if not state.has_measures:
        missing.append(
            MissingRegistration(
                "measures", "measure_type", "Ingen tiltak er registrert.", None, BASIS_MEASURES
            )
        )
    if state.regime.has_sluttmaal and not state.education_registered:
        missing.append(
            MissingRegistration(
                "education",
                "has_upper_secondary",
                "Utdanningsbakgrunn er ikke registrert.",
                None,
                BASIS_EDUCATION,
            )
        )
    return missing
