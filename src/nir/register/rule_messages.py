"""The rules' refusals in the user's language.

The rules package words each refusal in bokmål and gives it a stable code and the numbers
it mentions. Here are the same refusals through gettext, so a page and the API answer in
the language of the request; a code without an entry keeps the rules' own bokmål text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from nir.register import labels
from nir.register.in_force_messages import IN_FORCE_MESSAGES
from nir.register.message_dates import bokmaal as _bokmaal
from nir.register.message_dates import day as _day
from nir.register.norsk_rule_messages import NORSK_RULE_MESSAGES
from nir.rules.regime import KAP6A_OFFER_AGES, KAP6A_RIGHT_AGES

Params = Mapping[str, Any]


def _window_closed(p: Params) -> str:
    lead = gettext(
        "Fristen for å registrere en hendelse datert %(event)s gikk ut %(closed)s (to måneder "
        "etter hendelsen)."
    ) % {"event": _day(p["event_date"]), "closed": _day(p["closed_on"])}
    cause = p.get("cause")
    if cause == "too_old":
        rest = gettext(
            "Hendelsen er mer enn %(months)s måneder gammel (eldre enn %(furthest)s), så den "
            "kan ikke registreres, heller ikke med etterregistrering."
        ) % {"months": p["max_months"], "furthest": _day(p["furthest_back"])}
    elif cause == "grant_expired":
        ended = (
            gettext("Etterregistreringen som dekket datoen ble trukket tilbake %(day)s.")
            if p.get("grant_revoked")
            else gettext("Etterregistreringen som dekket datoen utløp %(day)s.")
        ) % {"day": _day(p["grant_ended_on"])}
        rest = (
            ended
            + " "
            + gettext("Be IMDi om ny etterregistrering; det er mulig til %(until)s.")
            % {"until": _day(p["late_registration_possible_until"])}
        )
    else:
        rest = gettext(
            "Kommunen har ingen etterregistrering som dekker datoen. Be IMDi om "
            "etterregistrering; det er mulig til %(until)s."
        ) % {"until": _day(p["late_registration_possible_until"])}
    return f"{lead} {rest}"


def _extension_limit(p: Params) -> str:
    limit, granted = int(p["limit_months"]), int(p["granted_months"])
    return gettext(
        "Utvidet programtid kan til sammen være høyst %(limit)s måneder etter %(law)s. "
        "%(granted)s måneder er allerede innvilget, så %(requested)s måneder til går over "
        "grensen (høyst %(left)s måneder kan innvilges)."
    ) % {
        "limit": limit,
        "law": p["rule_reference"],
        "granted": granted,
        "requested": p["requested_months"],
        "left": max(limit - granted, 0),
    }


def _no_length_rule(p: Params) -> str:
    return gettext(
        "Ingen regel for programtid gjaldt på startdatoen %(start)s for deltakere etter "
        "%(regime)s i gruppen «%(group)s»."
    ) % {
        "start": _day(p["start_date"]),
        "regime": labels.label(labels.REGIMES, str(p["regime"])),
        "group": labels.label(labels.GROUPS, str(p["group"])),
    }


def _unknown_stop_type(p: Params) -> str:
    known = dict(labels.leave_type_choices() + labels.absence_type_choices())
    return gettext("«%(type)s» er ikke en kjent type. Velg en av: %(choices)s.") % {
        "type": p["type"],
        "choices": ", ".join(str(known.get(c, c)) for c in p["choices"]),
    }


def _kap6a_age(p: Params) -> str:
    age = int(p["age"])
    (right_low, right_high), (offer_low, offer_high) = KAP6A_RIGHT_AGES, KAP6A_OFFER_AGES
    if p.get("category") == "rett":
        text = gettext(
            "Retten til introduksjonsprogram etter kapittel 6A gjelder personer mellom "
            "%(low)s og %(high)s år da tillatelsen ble gitt; deltakeren var %(age)s år."
        ) % {"low": right_low, "high": right_high, "age": age}
        if offer_low <= age <= offer_high:
            text += " " + gettext("Kommunen kan tilby programmet: velg «kan tilbys».")
        return text
    text = gettext(
        "Etter kapittel 6A kan kommunen tilby introduksjonsprogram til personer mellom "
        "%(low)s og %(high)s år da tillatelsen ble gitt; deltakeren var %(age)s år."
    ) % {"low": offer_low, "high": offer_high, "age": age}
    if right_low <= age <= right_high:
        text += " " + gettext("Deltakeren har rett til programmet: velg «rett».")
    return text


# A write to a scheme without its role (services/context.py, SchemeNotHeld), by scheme.
SCHEME_ROLE_MESSAGES: dict[str, Promise] = {
    "introduksjonsprogram": _(
        "Du har ikke rolle for å registrere introduksjonsprogram (kommuneintrobruker)."
    ),
    "norsk": _(
        "Du har ikke rolle for å registrere opplæring i norsk og samfunnskunnskap "
        "(kommunenorskbruker)."
    ),
}


# The corrections an upsert's warning points to, as the API's reference names them.
OPERATIONS = {
    "cancelRegistration": "cancelRegistration (POST /api/v1/corrections/cancel-registration)",
    "undoTermination": "undoTermination (POST /api/v1/corrections/undo-termination)",
    "cancelNorskRegistration": (
        "cancelNorskRegistration (POST /api/v1/norsk/corrections/cancel-registration)"
    ),
    "undoNorskEnd": "undoNorskEnd (POST /api/v1/norsk/corrections/undo-end)",
}


def _case(p: Params) -> dict[str, object]:
    return {"number": p["case_id"]}


def _item_dates(item: Mapping[str, Any]) -> str:
    """A registration's dates as the user reads them: «1 December 2026–20 December 2026»."""
    parts = []
    if item.get("valid_from"):
        parts.append(gettext("fra %(day)s") % {"day": _day(item["valid_from"])})
    if item.get("start_date") and item.get("end_date"):
        parts.append(f"{_day(item['start_date'])}–{_day(item['end_date'])}")
    elif item.get("start_date"):
        parts.append(gettext("fra %(day)s") % {"day": _day(item["start_date"])})
    if item.get("test_date"):
        parts.append(gettext("prøve %(day)s") % {"day": _day(item["test_date"])})
    decided_on = item.get("decided_on") or item.get("decision_date")
    if decided_on:
        parts.append(gettext("vedtak %(day)s") % {"day": _day(decided_on)})
    return ", ".join(parts)


def _left_out_registration(p: Params) -> str:
    """A registration the register holds and the record lacks, and how it is cancelled."""
    if p["operation"]:
        how = gettext("Den står til den annulleres med %(operation)s, med en begrunnelse.") % {
            "operation": OPERATIONS[p["operation"]]
        }
    else:
        how = gettext("Varig stans avsluttet deltakelsen og kan ikke annulleres.")
    return (
        gettext(
            "Registeret har en registrering av typen «%(entity)s» (%(dates)s) som posten ikke har. "
            "Å utelate en registrering annullerer den ikke."
        )
        % {
            "entity": labels.label(labels.ENTITIES, str(p["entity"])),
            "dates": _item_dates(p["item"]),
        }
        + " "
        + how
    )


# The rules package words its refusals in bokmål; these are the same refusals in the
# user's language, keyed by the rule's stable code, with the numbers it passed along: a
# text to fill in, or a function where the wording depends on the numbers.
RULE_MESSAGES: dict[str, Promise | Callable[[Params], str]] = {
    "date.out_of_range": _("Datoen må ligge mellom %(earliest)s og %(latest)s."),
    "identity_number.date": _(
        "Fødselsnummeret eller D-nummeret inneholder ingen gyldig fødselsdato: "
        "dag %(day)02d, måned %(month)02d, år %(year_two_digits)02d."
    ),
    "registration_window.closed": _window_closed,
    "grant.too_far_back": lambda p: (
        gettext(
            "Etterregistrering kan gis for hendelser høyst %(months)s måneder tilbake, det vil si "
            "fra %(furthest)s."
        )
        % {"months": p["max_months"], "furthest": _day(p["furthest_back"])}
    ),
    "extension.limit_exceeded": _extension_limit,
    "termination.before_start": lambda p: (
        gettext("Sluttdatoen kan ikke være før oppstart (%(start)s).")
        % {"start": _day(p["start_date"])}
    ),
    "termination.after_frist": lambda p: (
        gettext(
            "Sluttdatoen kan ikke være etter fristen for gjennomføring (%(frist)s). Registrer "
            "permisjon eller utvidet programtid først dersom programmet varte lenger."
        )
        % {"frist": _day(p["frist"])}
    ),
    "length.no_rule_in_force": _no_length_rule,
    "leave_type.unknown": _unknown_stop_type,
    "absence_type.unknown": _unknown_stop_type,
    "category.kap6a_age": _kap6a_age,
    "cutoff.outside_following_year": lambda p: (
        gettext("Fristen for tallene for %(year)s må ligge i %(next)s; %(day)s gjør ikke det.")
        % {"year": p["year"], "next": int(p["year"]) + 1, "day": _day(p["cutoff_date"])}
    ),
    "person.owned_by_other_kommune": lambda p: (
        gettext(
            "Personen er registrert av %(owner)s. Navn, fødselsdato og fødselsnummer kan bare "
            "rettes av %(owner)s; send personopplysningene slik registeret har dem, eller be "
            "kommunen rette dem."
        )
        % {"owner": p["owner"]}
    ),
    "termination.unknown_reason": lambda p: (
        gettext("«%(reason)s» er ikke en gyldig avslutningsårsak.") % {"reason": p["reason"]}
    ),
    "access.scheme_role": lambda p: str(SCHEME_ROLE_MESSAGES[p["scheme"]]),
    **NORSK_RULE_MESSAGES,
    **IN_FORCE_MESSAGES,
    # The services' refusals and warnings worded with values.
    "version.stale": _(
        "Opplysningene er endret av noen andre mens du arbeidet (du hadde versjon "
        "%(expected)s, registeret har versjon %(current)s). Last inn på nytt og prøv igjen."
    ),
    "grant.already_revoked": lambda p: (
        gettext("Tilgangen ble trukket tilbake %(day)s.") % {"day": _day(p["revoked_on"])}
    ),
    "case_id.exists": lambda p: (
        gettext("Saksnummeret «%(number)s» er allerede brukt i kommunen.") % _case(p)
    ),
    "case_id.duplicate_in_batch": lambda p: (
        gettext("Saksnummeret «%(number)s» står flere ganger i samme forespørsel.") % _case(p)
    ),
    "case_id.identity_mismatch": lambda p: (
        gettext(
            "Saksnummeret «%(number)s» tilhører en annen person i registeret. "
            "Kontroller saksnummer og fødselsnummer."
        )
        % _case(p)
    ),
    "programme_months.range": _(
        "Programtiden i vedtaket må være mellom %(min)s og %(max)s måneder."
    ),
    "batch.too_large": _("En forespørsel kan ha høyst %(max)s poster."),
    "start_date.immutable": lambda p: (
        gettext(
            "Oppstartsdatoen for en registrert deltakelse kan ikke endres. Registeret har %(day)s."
        )
        % {"day": _day(p["stored"])}
    ),
    "category.immutable": lambda p: (
        gettext(
            "Kategorien for en registrert deltakelse kan ikke endres. "
            "Registeret har «%(category)s»."
        )
        % {"category": labels.label(labels.CATEGORIES, str(p["stored"]))}
    ),
    "registration.not_in_record": lambda p: _left_out_registration(p),
    "termination.not_in_record": lambda p: (
        (
            gettext(
                "Registeret har avslutningen %(day)s som posten ikke har. Å utelate avslutningen "
                "gjenåpner ikke deltakelsen; angre den med %(operation)s, med en begrunnelse."
            )
            if p["operation"] == "undoTermination"
            else gettext(
                "Registeret har avslutningen %(day)s som posten ikke har. Å utelate avslutningen "
                "gjenåpner ikke ordningen; angre den med %(operation)s, med en begrunnelse."
            )
        )
        % {"day": _day(p["termination"]["end_date"]), "operation": OPERATIONS[p["operation"]]}
    ),
    "education_background.not_in_record": lambda p: (
        gettext(
            "Registeret har utdanningsbakgrunnen «%(background)s» som posten ikke har. Å "
            "utelate den endrer den ikke."
        )
        % {"background": labels.label(labels.EDUCATION_BACKGROUNDS, str(p["stored"]))}
    ),
    "permit_list.immutable": lambda p: (
        gettext(
            "Tillatelsesgrunnlaget for en registrert ordning kan ikke endres; kategorien ble "
            "fastsatt da ordningen startet. Registeret har «%(held)s»."
        )
        % {"held": labels.label(labels.PERMIT_LISTS, str(p["stored"]))}
    ),
}

# Refusals whose rules text would name codes (a regime, a group, a leave type): worded
# here with the labels in every language, bokmål included.
WORDED_WITH_LABELS = frozenset(
    {"length.no_rule_in_force", "leave_type.unknown", "absence_type.unknown", "category.immutable"}
)

# The refusals the rules and services word without numbers, marked here so the message
# catalogue holds them; a test keeps this list equal to the refusals in the source.
STATIC_REFUSALS = (
    gettext_noop(
        "Programtid registreres bare på vedtak om tilbud, innvilget deltakelse eller oppstart."
    ),
    gettext_noop(
        "Registreringer og rettinger gjøres av kommunen. IMDi ser deltakerne, men registrerer "
        "ikke på kommunens vegne; kommunen kan be om etterregistrering gjennom en "
        "brukerstøttehenvendelse."
    ),
    gettext_noop("Posten ble endret samtidig av en annen forespørsel. Send den på nytt."),
    gettext_noop("Du har ikke tilgang til denne deltakeren."),
    gettext_noop("Denne registreringen kan ikke annulleres."),
    gettext_noop("Timetallet må være større enn null."),
    gettext_noop("Timene registreres som ett tall, uten modul, i denne ordningen."),
    gettext_noop("Skriv hvorfor registreringen annulleres."),
    gettext_noop("Skriv hvorfor avslutningen angres."),
    gettext_noop("Registreringen finnes ikke på denne deltakelsen."),
    gettext_noop("Varig stans avsluttet deltakelsen. Rett avslutningen i stedet."),
    gettext_noop("Deltakelsen har ingen avslutning registrert av kommunen."),
    gettext_noop("Ordningen har ingen avslutning registrert av kommunen."),
    gettext_noop("Avslutningen skyldes varig stans. Den kan ikke angres her."),
    gettext_noop("Perioden kan ikke slutte før den begynner."),
    gettext_noop("Oppgi hvorfor tilgangen gis."),
    gettext_noop("Avslutning kan ikke registreres med en dato fram i tid."),
    gettext_noop("Personen finnes ikke i registeret."),
    gettext_noop("Personen har allerede en aktiv deltakelse. Avslutt den før en ny registreres."),
    gettext_noop(
        "Fødselsdatoen stemmer ikke med de seks første sifrene i fødselsnummeret/D-nummeret."
    ),
    gettext_noop("DUF-nummeret må være 12 sifre."),
    gettext_noop("Bosettingsdato kan ikke være før ankomstdato."),
    gettext_noop("Navn må fylles ut."),
    gettext_noop("Et annet personnummer i registeret har allerede dette nummeret."),
    gettext_noop("Personen er allerede registrert med dette nummeret."),
    gettext_noop(
        "Deltakelsen er avsluttet med en registrert årsak. Endre avslutningen først dersom "
        "deltakelsen skal fortsette."
    ),
    gettext_noop("Sluttdatoen kan ikke være før startdatoen."),
    gettext_noop("Perioden ligger før deltakelsen startet."),
    gettext_noop("Sluttmålet kan ikke gjelde fra før oppstart."),
    gettext_noop("Timer kan ikke være negative."),
    gettext_noop("Velg type tiltak."),
    gettext_noop("Timer per uke må være mellom 0 og 37,5 (fulltid)."),
    gettext_noop("Midlertidig stans må ha en sluttdato."),
    gettext_noop("Midlertidig stans kan vare høyst tre måneder (integreringsloven § 18)."),
    gettext_noop("Utvidet programtid må være minst én måned."),
    gettext_noop(
        "Fødselsnummeret eller D-nummeret må bestå av nøyaktig 11 sifre (mellomrom, punktum og "
        "bindestrek kan stå mellom dem)."
    ),
    gettext_noop(
        "Fødselsnummeret eller D-nummeret er et syntetisk testnummer. Syntetiske testnumre er bare"
        " tillatt der testdata er tillatt."
    ),
    gettext_noop(
        "Fødselsnummeret eller D-nummeret har feil kontrollsiffer. Kontroller at alle de 11 "
        "sifrene er skrevet riktig."
    ),
    gettext_noop("Deltakere etter introduksjonsloven skal ikke ha registrert sluttmål."),
    gettext_noop("Et unntak fra fristen for årets tall må ha en begrunnelse."),
    gettext_noop(
        "Sluttmålet forutsetter utdanning på videregående nivå eller høyere, men deltakeren er "
        "registrert uten slik utdanning."
    ),
    gettext_noop(
        "Deltakere etter integreringsloven kapittel 6A har rett, men ikke plikt, til "
        "introduksjonsprogram: kategorien må være «rett» (18–55 år) eller «kan tilbys» "
        "(55–67 år)."
    ),
    gettext_noop(
        "Kategorien «rett» (uten plikt) gjelder bare etter kapittel 6A; velg «rett og plikt» eller"
        " «kan tilbys»."
    ),
    gettext_noop("Etterregistrering gjelder hendelser som allerede har skjedd."),
    gettext_noop("Tilgangen kan ikke utløpe før den er gitt."),
    gettext_noop(
        "«Avslutningsårsak ikke registrert» settes bare av registeret selv; registrer deltakerens "
        "hovedaktivitet ved avslutning."
    ),
    gettext_noop("Teksten inneholder et kontrolltegn som ikke er tillatt."),
    gettext_noop("Posten inneholder en verdi registeret ikke kan lagre."),
    # The rules of Norwegian training (nir.rules.norsk) and its services.
    gettext_noop(
        "Personen har allerede en åpen ordning for opplæring i norsk. Avslutt den før en ny "
        "registreres."
    ),
    gettext_noop(
        "Ordningen er avsluttet. Endre avslutningen først dersom opplæringen skal fortsette."
    ),
    gettext_noop("Sluttdatoen kan ikke være før oppstart."),
    gettext_noop("Bare kompetansekartlegging og karriereveiledning leses fra IMDinett."),
    gettext_noop("Et manuelt registrert prøveresultat må ha en dokumentreferanse."),
    gettext_noop("Fritak fra prøve fjerner ikke retten til opplæring."),
    gettext_noop("Fritak fra prøve krever en medisinsk vurdering eller uttalelse fra lege."),
    gettext_noop("Fullføringsdato registreres når, og bare når, tiltaket er gjennomført."),
    gettext_noop("Datoen for gjennomført kan ikke være fram i tid."),
    gettext_noop("Integreringskontrakt registreres ikke for personer etter introduksjonsloven."),
    gettext_noop("Norskmål registreres ikke for personer omfattet av introduksjonsloven."),
    gettext_noop("Norskprøve C1 har to mulige resultater: C1 eller ikke bestått."),
    gettext_noop("Norskprøven A1–B2 gir nivå A1, A2, B1 eller B2 per delferdighet."),
    gettext_noop("Personen har ingen plikt til opplæring eller prøver å få fritak fra."),
    gettext_noop(
        "Registrer først om personen har utdanning på videregående nivå: det avgjør hvor mange "
        "vedtak om utvidet opplæring som kan registreres."
    ),
    gettext_noop("Samfunnskunnskapsprøven er bestått eller ikke bestått; norskprøven gir nivåer."),
    gettext_noop("Utvidet opplæring i norsk gis bare etter kap. 6A."),
)


def rule_message(code: str, params: Params, fallback: str) -> str:
    """A rule's refusal in the active language. In bokmål it is the rule's own text (but for
    the few worded with labels); in another language the translation kept for its code or
    its text, else the bokmål."""
    if _bokmaal() and code not in WORDED_WITH_LABELS:
        return fallback
    template = RULE_MESSAGES.get(code)
    if template is None:
        return gettext(fallback)
    try:
        return template(params) if callable(template) else str(template) % params
    except (KeyError, TypeError, ValueError):
        return fallback
