"""Norwegian names for the register's codes, as caseworkers read them on screen."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from nir.register.models import DecisionType, StopKind
from nir.register.rule_config import rule_config
from nir.rules.termination import TERMINATION_REASONS

REGIMES = {
    "introduksjonsloven": _("Introduksjonsloven"),
    "integreringsloven": _("Integreringsloven"),
    "integreringsloven_kap6a": _("Integreringsloven kap. 6A (Ukraina)"),
}

CATEGORIES = {
    "rett_og_plikt": _("Rett og plikt"),
    "rett": _("Rett (kap. 6A)"),
    "kan_tilbys": _("Kan tilbys"),
}

SLUTTMAAL = {
    "arbeid": _("Arbeid"),
    "hoyere_utdanning": _("Høyere utdanning"),
    "godkjenning_utdanning": _("Godkjenning av utdanning"),
    "kompletterende_utdanning": _("Kompletterende utdanning"),
    "fullfort_videregaende": _("Fullført videregående opplæring"),
    "grunnskole": _("Grunnskole"),
    "deler_av_videregaende": _("Deler av videregående opplæring"),
}

PERMIT_TYPES = {
    "flyktning": _("Flyktning (utlendingsloven § 28)"),
    "kollektiv_beskyttelse": _("Kollektiv beskyttelse (§ 34, Ukraina)"),
    "overforingsflyktning": _("Overføringsflyktning (§ 35)"),
    "sterke_menneskelige_hensyn": _("Sterke menneskelige hensyn (§ 38)"),
    "begrenset_barnefamilie": _("Begrenset tillatelse, barnefamilie (§ 38 femte ledd)"),
    "familieinnvandring": _("Familieinnvandring (kapittel 6)"),
    "selvstendig_grunnlag": _("Selvstendig grunnlag (§ 53)"),
    "annet": _("Annet"),
}

GROUPS = {
    "p13": _("§ 13: har videregående eller høyere"),
    "p14_under_25": _("§ 14 første ledd: under 25 år"),
    "p14_25_pluss_vgo": _("§ 14 andre ledd: 25 år eller eldre, mål fullført videregående"),
    "p14_andre": _("§ 14: andre"),
    "introduksjonsloven": _("Introduksjonsloven § 5"),
}

ACTIONS = {
    "person_registered": _("Person registrert"),
    "person_updated": _("Personopplysninger endret"),
    "participation_created": _("Deltakelse registrert"),
    "participation_seeded": _("Deltakelse lastet (syntetiske data)"),
    "sluttmaal_registered": _("Sluttmål registrert"),
    "decision_registered": _("Vedtak registrert"),
    "leave_registered": _("Permisjon registrert"),
    "absence_registered": _("Fravær registrert"),
    "extension_registered": _("Utvidet programtid registrert"),
    "stop_registered": _("Stans registrert"),
    "measure_registered": _("Tiltak registrert"),
    "termination_registered": _("Avslutning registrert"),
    "termination_replaced_automatic": _(
        "Avslutningsårsak registrert (erstattet «ikke registrert»)"
    ),
    "frist_recomputed": _("Frist beregnet på nytt"),
    "automatic_termination_end": _("Avsluttet automatisk: frist passert uten registrert årsak"),
    "automatic_termination_lift": _("Automatisk avslutning opphevet: ny frist er ikke passert"),
    "automatic_termination_move": _("Automatisk avslutning flyttet til ny frist"),
    "registration_cancelled": _("Registrering annullert"),
    "termination_cancelled": _("Avslutning angret"),
}

ENTITIES = {
    "sluttmaal": _("Sluttmål"),
    "decision": _("Vedtak"),
    "leave": _("Permisjon"),
    "absence": _("Fravær"),
    "extension": _("Utvidet programtid"),
    "stop": _("Stans"),
    "measure": _("Tiltak"),
}

CHANNELS = {
    "web": _("nettleser"),
    "api": _("fagsystem (API)"),
    "system": _("registeret selv"),
    "cli": _("kommandolinje"),
    "seed": _("syntetiske data"),
}

# The registration state of a reason the register left «ikke registrert» (nir.register.triage).
WINDOW_STATUSES = {
    "open": _("Kan registreres"),
    "granted": _("Dekket av etterregistrering"),
    "needs_grant": _("Krever etterregistrering"),
    "too_old": _("Eldre enn 12 måneder: kan ikke rettes"),
}

DECISION_TYPES = dict(DecisionType.choices)
STOP_KINDS = dict(StopKind.choices)


def termination_reason_choices() -> list[tuple[str, str]]:
    """The reasons a user may choose: every reason but the register's own «ikke registrert»."""
    return [(c, r.label_nb) for c, r in TERMINATION_REASONS.items() if not r.set_by_system_only]


def reason_label(code: str) -> str:
    reason = TERMINATION_REASONS.get(code)
    return reason.label_nb if reason else code


def leave_type_choices() -> list[tuple[str, str]]:
    return [(code, t.label_nb) for code, t in rule_config().leave_types.items()]


def absence_type_choices() -> list[tuple[str, str]]:
    return [(code, t.label_nb) for code, t in rule_config().absence_types.items()]


def label(mapping: Mapping[str, object], code: str) -> str:
    return str(mapping.get(code, code))
