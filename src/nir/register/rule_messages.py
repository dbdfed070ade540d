"""The rules' refusals in the user's language.

The rules package words each refusal in bokmål and gives it a stable code and the numbers
it mentions. Here are the same refusals through gettext, so a page and the API answer in
the language of the request; a code without an entry keeps the rules' own bokmål text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# The rules package words its refusals in bokmål; these are the same refusals in the
# user's language, keyed by the rule's stable code, with the numbers it passed along.
RULE_MESSAGES = {
    "date.out_of_range": _("Datoen må ligge mellom %(earliest)s og %(latest)s."),
    "identity_number.date": _(
        "Fødselsnummeret eller D-nummeret inneholder ingen gyldig fødselsdato: "
        "dag %(day)02d, måned %(month)02d, år %(year_two_digits)02d."
    ),
}

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
    gettext_noop("Skriv hvorfor registreringen annulleres."),
    gettext_noop("Skriv hvorfor avslutningen angres."),
    gettext_noop("Registreringen finnes ikke på denne deltakelsen."),
    gettext_noop("Varig stans avsluttet deltakelsen. Rett avslutningen i stedet."),
    gettext_noop("Deltakelsen har ingen avslutning registrert av kommunen."),
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
)


def rule_message(code: str, params: Mapping[str, object], fallback: str) -> str:
    """A rule's refusal in the active language. In bokmål it is the rule's own text; in
    another language the translation kept for its code or its text, else the bokmål."""
    if (get_language() or "nb").startswith("nb"):
        return fallback
    template = RULE_MESSAGES.get(code)
    if template is None:
        return gettext(fallback)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return fallback


# What a participation lacks (``nir.rules.missing``), by the item's code.
MISSING_MESSAGES = {
    "sluttmaal": _(
        "Sluttmål mangler. Fristen er beregnet med standard programtid til sluttmål registreres."
    ),
    "decision": _("Vedtak om deltakelse er ikke registrert."),
    "measures": _("Ingen tiltak er registrert."),
    "education": _("Utdanningsbakgrunn er ikke registrert."),
}


def missing_message(item: Any, today: dt.date) -> str:
    """A missing registration's text in the active language: the rules' own in bokmål; in
    another language the translation kept for the item's code, else the bokmål (the reason's
    and the programme time's texts carry the triage's dates and are worded by the rules)."""
    if (get_language() or "nb").startswith("nb"):
        return str(item.message)
    text = MISSING_MESSAGES.get(item.code)
    return str(text) if text is not None else str(item.message)
