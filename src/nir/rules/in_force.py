"""«Regler i bruk»: every rule row, limit and configurable decision the register computes
with on a given day, each with its citation and whether it is law, regulation, IMDi's
practice or the register's own rule, so anyone can see what the register does and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from nir.rules.basis import LOVDATA_INTEGRERINGSLOVEN, BasisKind, LegalBasis
from nir.rules.config import RuleConfig
from nir.rules.cutoff import Cutoff
from nir.rules.extension import BASIS_EXTENSION_LIMIT
from nir.rules.frist import BASIS_LEAVE
from nir.rules.programme_length import GROUP_REASONS_NB
from nir.rules.regime import (
    BASIS_CATEGORY_KAP6A,
    BASIS_KAP6A,
    KAP6A_OFFER_AGES,
    KAP6A_RIGHT_AGES,
    right_and_duty_ages,
)
from nir.rules.registration_window import BASIS_GRANT, BASIS_WINDOW
from nir.rules.termination import BASIS_AUTOMATIC, TERMINATION_REASONS

BASIS_KAP6A_PERIOD = LegalBasis(
    "regime.kap6a_period",
    "Registerets regel: kap. 6A gjelder programmer som starter mens kapitlet er i kraft; "
    "sluttdatoen er konfigurasjon fordi Stortinget har flyttet den flere ganger",
    BasisKind.BESLUTNING,
    LOVDATA_INTEGRERINGSLOVEN,
)
BASIS_PROP81_DATE = LegalBasis(
    "config.prop81_in_force",
    "Registerets regel: endringen etter Prop. 81 L (2024–2025) gjelder fra datoen som er "
    "satt, for programmer som starter den dagen eller senere (ikrafttredelsen er ikke funnet)",
    BasisKind.BESLUTNING,
    "https://www.regjeringen.no/no/dokumenter/prop.-81-l-20242025/",
)
BASIS_GROUP_WITHOUT_SLUTTMAAL = LegalBasis(
    "config.group_without_sluttmaal",
    "Registerets regel: programtiden til en deltaker uten registrert sluttmål",
    BasisKind.BESLUTNING,
)
BASIS_AUTOMATIC_OFFSET = LegalBasis(
    "config.automatic_end_offset",
    "Registerets regel: sluttdatoen ved automatisk avslutning regnet fra fristen",
    BasisKind.BESLUTNING,
)
BASIS_LEAVE_TYPES = LegalBasis(
    "config.leave_types",
    "Registerets regel: hvilke permisjonstyper som forlenger fristen dag for dag",
    BasisKind.BESLUTNING,
)
BASIS_EXCLUDED_REASONS = LegalBasis(
    "config.outcome_excluded_reasons",
    "Registerets regel: avslutningsårsaker som holdes utenfor nevneren i måloppnåelsen "
    "(IMDi har ikke publisert hvilke)",
    BasisKind.BESLUTNING,
)


class Section:
    REGIME = "regime"
    CATEGORY = "kategori"
    LENGTH = "programtid"
    WINDOW = "registrering"
    STATISTICS = "statistikk"


@dataclass(frozen=True, slots=True)
class RuleInForce:
    section: str
    rule_id: str
    name_nb: str
    value_nb: str
    basis: LegalBasis
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    codes: Mapping[str, str] | None = None  # regime and group of a length row, for labels
    # How the name and value are worded, and the numbers, dates and codes they are worded
    # from: the page words them in the reader's language (register.in_force_messages).
    wording: str = ""
    params: Mapping[str, object] | None = None


def _date(day: dt.date | None) -> str:
    return "ikke satt" if day is None else f"{day:%d.%m.%Y}"


def rules_in_force(
    config: RuleConfig, as_of: dt.date, *, cutoffs: tuple[Cutoff, ...] = ()
) -> list[RuleInForce]:
    """What the register computes with on ``day``, row by row, section by section."""
    return [
        *_regime_rules(config),
        *_category_rules(config, as_of),
        *_length_rules(config, as_of),
        *_window_rules(config),
        *_statistics_rules(config, cutoffs),
    ]


def _regime_rules(config: RuleConfig) -> list[RuleInForce]:
    return [
        RuleInForce(
            Section.REGIME,
            "regime.kap6a",
            "Kap. 6A: tillatelse etter utlendingsloven § 34 gitt fra",
            _date(config.kap6a_eligible_from),
            BASIS_KAP6A,
            wording="regime.kap6a",
            params={"day": config.kap6a_eligible_from},
        ),
        RuleInForce(
            Section.REGIME,
            "regime.kap6a_period",
            "Kap. 6A: programmer som starter i perioden",
            f"{_date(config.kap6a_in_force)}–{_date(config.kap6a_expires)}",
            BASIS_KAP6A_PERIOD,
            config.kap6a_in_force,
            config.kap6a_expires,
            wording="regime.kap6a_period",
            params={"first": config.kap6a_in_force, "last": config.kap6a_expires},
        ),
        RuleInForce(
            Section.REGIME,
            "config.prop81_in_force",
            "Lovendringen etter Prop. 81 L (2024–2025) i kraft fra",
            _date(config.prop81_in_force),
            BASIS_PROP81_DATE,
            wording="config.prop81_in_force",
            params={"day": config.prop81_in_force},
        ),
    ]


def _category_rules(config: RuleConfig, as_of: dt.date) -> list[RuleInForce]:
    (low, high), band_basis = right_and_duty_ages(as_of, config)
    return [
        RuleInForce(
            Section.CATEGORY,
            band_basis.rule_id,
            "Rett og plikt: alder da tillatelsen ble gitt",
            f"{low}–{high} år",
            band_basis,
            wording="category.rett_og_plikt",
            params={"low": low, "high": high},
        ),
        RuleInForce(
            Section.CATEGORY,
            "category.kap6a_rett",
            "Kap. 6A, rett (uten plikt): alder da tillatelsen ble gitt",
            f"{KAP6A_RIGHT_AGES[0]}–{KAP6A_RIGHT_AGES[1]} år",
            BASIS_CATEGORY_KAP6A,
            wording="category.kap6a_rett",
            params={"low": KAP6A_RIGHT_AGES[0], "high": KAP6A_RIGHT_AGES[1]},
        ),
        RuleInForce(
            Section.CATEGORY,
            "category.kap6a_kan_tilbys",
            "Kap. 6A, kan tilbys: alder da tillatelsen ble gitt",
            f"{KAP6A_OFFER_AGES[0]}–{KAP6A_OFFER_AGES[1]} år",
            BASIS_CATEGORY_KAP6A,
            wording="category.kap6a_kan_tilbys",
            params={"low": KAP6A_OFFER_AGES[0], "high": KAP6A_OFFER_AGES[1]},
        ),
    ]


def _length_rules(config: RuleConfig, as_of: dt.date) -> list[RuleInForce]:
    return [*_length_rows(config, as_of), *_length_limits(config)]


def _length_rows(config: RuleConfig, as_of: dt.date) -> list[RuleInForce]:
    return [
        RuleInForce(
            Section.LENGTH,
            row.row_id,
            "Programtid",
            f"{row.base_months} måneder, utvidelse høyst {row.extension_limit_months} "
            f"måneder (til sammen {row.cap_months})",
            row.basis,
            row.effective_from,
            row.effective_to,
            {"regime": row.regime.value, "group": row.group.value},
            wording="length.row",
            params={
                "base": row.base_months,
                "extension": row.extension_limit_months,
                "cap": row.cap_months,
            },
        )
        for row in config.programme_lengths
        if row.in_force_on(as_of)
    ]


def _length_limits(config: RuleConfig) -> list[RuleInForce]:
    extending = tuple(t.label_nb for t in config.leave_types.values() if t.extends_deadline)
    return [
        RuleInForce(
            Section.LENGTH,
            "extension.limit",
            "Utvidet programtid",
            "flere vedtak kan registreres, til sammen innenfor radens grense",
            BASIS_EXTENSION_LIMIT,
            wording="extension.limit",
        ),
        RuleInForce(
            Section.LENGTH,
            "config.group_without_sluttmaal",
            "Programtid uten registrert sluttmål",
            f"regnes som gruppen der {GROUP_REASONS_NB[config.group_without_sluttmaal.value]}",
            BASIS_GROUP_WITHOUT_SLUTTMAAL,
            codes={"group": config.group_without_sluttmaal.value},
            wording="config.group_without_sluttmaal",
            params={"group": config.group_without_sluttmaal.value},
        ),
        RuleInForce(
            Section.LENGTH,
            "config.leave_types",
            "Permisjon som forlenger fristen",
            ", ".join(extending) or "ingen",
            BASIS_LEAVE_TYPES,
            wording="config.leave_types",
            params={"labels": extending},
        ),
        RuleInForce(
            Section.LENGTH,
            "frist.leave_day_for_day",
            "Permisjon i programperioden",
            "legges til dag for dag; overlapp telles én gang",
            BASIS_LEAVE,
            wording="frist.leave_day_for_day",
        ),
        RuleInForce(
            Section.LENGTH,
            "termination.automatic",
            "Automatisk avslutning",
            f"når fristen er passert, sluttdato fristen {config.automatic_end_offset_days:+d} "
            "dager",
            BASIS_AUTOMATIC,
            wording="termination.automatic",
            params={"offset": config.automatic_end_offset_days},
        ),
    ]


def _window_rules(config: RuleConfig) -> list[RuleInForce]:
    return [
        RuleInForce(
            Section.WINDOW,
            "window.two_months",
            "Registreringsfrist",
            f"{config.registration_window_months} måneder etter hendelsen",
            BASIS_WINDOW,
            wording="window.two_months",
            params={"months": config.registration_window_months},
        ),
        RuleInForce(
            Section.WINDOW,
            "window.late_registration_grant",
            "Etterregistrering",
            f"inntil {config.late_registration_max_months} måneder tilbake, med IMDis tilgang",
            BASIS_GRANT,
            wording="window.late_registration_grant",
            params={"months": config.late_registration_max_months},
        ),
    ]


def _statistics_rules(config: RuleConfig, cutoffs: tuple[Cutoff, ...]) -> list[RuleInForce]:
    rules = [
        RuleInForce(
            Section.STATISTICS,
            "config.outcome_excluded_reasons",
            "Holdt utenfor nevneren i måloppnåelsen",
            # The reasons by their words, as the pages name them; their codes for programs.
            ", ".join(sorted(_reason_words(c) for c in config.outcome_excluded_reasons)) or "ingen",
            BASIS_EXCLUDED_REASONS,
            codes={"reasons": ",".join(sorted(config.outcome_excluded_reasons))},
            wording="config.outcome_excluded_reasons",
            params={"reasons": tuple(sorted(config.outcome_excluded_reasons))},
        ),
    ]
    for cutoff in cutoffs:
        note = f" ({cutoff.note_nb})" if cutoff.note_nb else ""
        rules.append(
            RuleInForce(
                Section.STATISTICS,
                cutoff.basis.rule_id,
                f"Frist for tallene for {cutoff.year}",
                f"{cutoff.day:%d.%m.%Y}{note}",
                cutoff.basis,
                wording="statistics.cutoff",
                params={"year": cutoff.year, "day": cutoff.day, "note": cutoff.note_nb},
            )
        )
    return rules


def _reason_words(code: str) -> str:
    reason = TERMINATION_REASONS.get(code)
    return reason.label_nb if reason else code


def rules_as_json(rules: list[RuleInForce], as_of: dt.date) -> dict[str, object]:
    return {
        "date": as_of.isoformat(),
        "rules": [
            {
                "section": r.section,
                "rule_id": r.rule_id,
                "name": r.name_nb,
                "value": r.value_nb,
                "effective_from": r.effective_from.isoformat() if r.effective_from else None,
                "effective_to": r.effective_to.isoformat() if r.effective_to else None,
                "codes": dict(r.codes or {}),
                "basis": r.basis.as_json(),
            }
            for r in rules
        ],
    }
