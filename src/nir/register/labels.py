"""Every code the register shows, with the words a user reads for it: the one place.

Pages, exports, the API's messages and IMDi's pages all take their labels from here, in
the user's language (bokmål; English through gettext). A code never reaches a user as is:
``tests/web/test_user_facing_strings.py`` walks the pages and the string sources for codes
and internal field names.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
    "p13": _("Med videregående opplæring eller høyere"),
    "p14_under_25": _("Uten videregående, under 25 år, mål fullført videregående"),
    "p14_25_pluss_vgo": _("Uten videregående, 25 år eller eldre, mål fullført videregående"),
    "p14_deler_vgo": _("Uten videregående, mål deler av videregående"),
    "p14_andre": _("Uten videregående, mål arbeid eller grunnskole"),
    "introduksjonsloven": _("Introduksjonsloven"),
}

# Why a group has its programme time: «6 måneder fordi …» (nir.rules.programme_length).
GROUP_REASONS = {
    "p13": _("deltakeren har utdanning på videregående nivå eller høyere fra før"),
    "p14_under_25": _(
        "deltakeren er under 25 år, har ikke videregående opplæring og har fullført "
        "videregående opplæring som sluttmål"
    ),
    "p14_25_pluss_vgo": _(
        "deltakeren er 25 år eller eldre, har ikke videregående opplæring og har fullført "
        "videregående opplæring som sluttmål"
    ),
    "p14_deler_vgo": _(
        "deltakeren har ikke videregående opplæring og har deler av videregående "
        "opplæring som sluttmål"
    ),
    "p14_andre": _(
        "deltakeren har ikke videregående opplæring og har arbeid eller grunnskole som sluttmål"
    ),
    "introduksjonsloven": _("deltakeren følger introduksjonsloven"),
}

# Where a rule comes from (nir.rules.basis.BasisKind).
BASIS_KINDS = {
    "lov": _("lov"),
    "forskrift": _("forskrift"),
    "praksis": _("IMDis praksis"),
    "beslutning": _("registerets regel"),
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
    "related_item_registered": _("Kartlegging, veiledning, kontrakt eller kurs registrert"),
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
    "figures_stored": _("Årets tall lagret ved fristen for tallene"),
    "norsk_participation_started": _("Opplæring i norsk registrert"),
    "norsk_frist_recomputed": _("Frist for opplæring i norsk beregnet på nytt"),
    "norsk_leave_registered": _("Permisjon fra opplæring i norsk registrert"),
    "extended_norwegian_granted": _("Vedtak om utvidet opplæring i norsk (§ 43 g) registrert"),
    "norskmaal_registered": _("Norskmål registrert"),
    "norsk_test_result_registered": _("Prøveresultat registrert"),
    "norsk_exemption_registered": _("Fritak registrert"),
    "norsk_hours_registered": _("Timer registrert"),
    "norsk_education_registered": _("Utdanningsbakgrunn registrert"),
    "norsk_frist_passed": _("Frist for opplæring i norsk utløpt (markert)"),
    "norsk_participation_ended": _("Opplæring i norsk avsluttet"),
    "norsk_end_cancelled": _("Avslutning av opplæring i norsk angret"),
}

ENTITIES = {
    "sluttmaal": _("Sluttmål"),
    "decision": _("Vedtak"),
    "leave": _("Permisjon"),
    "absence": _("Fravær"),
    "extension": _("Utvidet programtid"),
    "stop": _("Stans"),
    "measure": _("Tiltak"),
    "related_item": _("Kartlegging, veiledning, kontrakt eller kurs"),
    # Training in Norwegian and social studies.
    "norsk_leave": _("Permisjon"),
    "extended_norwegian": _("Utvidet opplæring i norsk (§ 43 g)"),
    "norskmaal": _("Norskmål"),
    "norsk_test_result": _("Prøveresultat"),
    "norsk_exemption": _("Fritak"),
    "norsk_hours": _("Timer"),
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

DECISION_TYPES = {
    "tilbud": _("Tilbud om introduksjonsprogram"),
    "krav": _("Krav om deltakelse"),
    "innvilget": _("Innvilget deltakelse"),
    "avslag": _("Avslag"),
    "oppstart": _("Oppstart"),
    "klage": _("Klage"),
    "klage_utfall": _("Utfall av klage"),
}

STOP_KINDS = {
    "midlertidig": _("Midlertidig stans"),
    "varig": _("Varig stans"),
}

SEXES = {"kvinne": _("Kvinne"), "mann": _("Mann"), "ukjent": _("Ukjent")}

TERMINATION_SOURCES = {
    "user": _("Registrert av kommunen"),
    "system": _("Satt av registeret"),
}

# The code list of measures (tiltak). A measure registered before the list, or sent by a
# case system in its own words, is shown as it was written.
MEASURE_TYPES = {
    "norskopplaering": _("Opplæring i norsk"),
    "samfunnskunnskap": _("Samfunnskunnskap"),
    "arbeidspraksis": _("Arbeidspraksis"),
    "sprakpraksis": _("Språkpraksis"),
    "livsmestring": _("Livsmestring"),
    "foreldreveiledning": _("Foreldreveiledning"),
    "grunnskole": _("Grunnskoleopplæring"),
    "videregaende": _("Videregående opplæring"),
    "kvalifisering_helsefag": _("Kvalifisering i helsefag"),
    "nav_tiltak": _("Tiltak i regi av NAV"),
    "annet": _("Annet tiltak"),
}

# The reasons of the rules package (``TERMINATION_REASONS``), in the user's language; a
# test holds the bokmål here equal to the rules' own label.
REASONS = {
    "arbeid": _("Arbeid (hel- eller deltid)"),
    "utdanning_vgo": _("Videregående opplæring"),
    "utdanning_hoyere": _("Høyere utdanning (også kompletterende og godkjenning)"),
    "arbeid_og_utdanning": _("Arbeid og utdanning"),
    "grunnskole": _("Grunnskoleopplæring for voksne"),
    "nav_tiltak": _("NAV-tiltak eller annen oppfølging"),
    "flyttet": _("Flyttet til en annen kommune"),
    "stans": _("Varig stans (§ 18)"),
    "avbrutt": _("Avbrutt etter eget ønske"),
    "helse": _("Sykdom eller helse"),
    "foreldrepermisjon": _("Foreldre- eller omsorgssituasjon"),
    "utvandret": _("Utvandret"),
    "dod": _("Død"),
    "tid_utlopt": _("Programtiden gikk ut uten overgang"),
    "annet": _("Annet"),
    "ikke_registrert": _("Avslutningsårsak ikke registrert"),
}

# What the daily review of the access log finds (nir.audit.access_log.review_day).
ACCESS_FINDINGS = {
    "many_persons": _("Mange personer på én dag"),
    "outside_kommune": _("Personer i en annen kommune"),
}

# The scheduler's jobs and the counts each reports, as IMDi's operations page shows them.
JOBS = {
    "sweep": _("Daglig avslutning av deltakelser med utløpt frist"),
    "notices": _("Varsler om automatisk avslutning og etterregistrering"),
    "reminders": _("Påminnelser og daglig sammendrag på e-post"),
    "norsk_frist": _("Opplæring i norsk: frist utløpt og registerets avslutninger"),
    "ukraina_report": _("Månedsrapport Ukraina til departementet"),
    "store_figures": _("Lagring av årets tall når fristen for tallene er passert"),
    "retention": _("Sletting og anonymisering etter lagringsreglene"),
    "access_review": _("Gjennomgang av gårsdagens innsynslogg"),
}

JOB_COUNTS = {
    "ended": _("avsluttet"),
    "flagged": _("markert med utløpt frist"),
    "automatic_termination": _("varsler om automatisk avslutning"),
    "grant_expiring": _("varsler om etterregistrering som utløper"),
    "digests": _("sammendrag"),
    "frist_reminders": _("påminnelser om frist"),
    "window_reminders": _("påminnelser om registreringsfrist"),
    "persons_anonymised": _("personer anonymisert"),
    "idempotency_replies_deleted": _("lagrede API-svar slettet"),
    "digests_deleted": _("sammendrag slettet"),
    "findings": _("funn"),
    "countings_stored": _("tellinger lagret"),
    "countings_kept": _("tellinger allerede lagret"),
}

# The register's input fields, as forms label them: the API's messages name a field by
# these words, and no user-facing text names the field by its code.
FIELDS = {
    "identity_number": _("Fødselsnummer eller D-nummer"),
    "duf_number": _("DUF-nummer"),
    "given_name": _("Fornavn"),
    "family_name": _("Etternavn"),
    "birth_date": _("Fødselsdato"),
    "sex": _("Kjønn"),
    "permit_type": _("Type oppholdstillatelse"),
    "permit_date": _("Dato for oppholdstillatelse"),
    "arrival_date": _("Ankomstdato"),
    "settlement_date": _("Bosettingsdato"),
    "settled_by_agreement": _("Bosatt etter avtale med IMDi"),
    "has_upper_secondary": _("Har fullført videregående opplæring eller høyere"),
    "research_reservation": _("Har reservert seg mot bruk i forskning"),
    "case_id": _("Saksnummer i kommunen"),
    "start_date": _("Startdato"),
    "end_date": _("Sluttdato"),
    "category": _("Kategori"),
    "sluttmaal": _("Sluttmål"),
    "valid_from": _("Gjelder fra"),
    "decision_type": _("Type vedtak"),
    "decided_on": _("Vedtaksdato"),
    "reason": _("Avslutningsårsak"),
    "termination_reason": _("Avslutningsårsak"),
    "leave_type": _("Type permisjon"),
    "absence_type": _("Type fravær"),
    "hours": _("Timer"),
    "months": _("Antall måneder"),
    "extension_months": _("Antall måneder utvidet programtid"),
    "kind": _("Type stans"),
    "measure_type": _("Tiltak"),
    "hours_per_week": _("Timer per uke"),
    "version": _("Versjon"),
    "expected_version": _("Versjon"),
    "decisions": _("Vedtak"),
    "leaves": _("Permisjoner"),
    "absences": _("Fravær"),
    "extensions": _("Utvidet programtid"),
    "stops": _("Stans"),
    "measures": _("Tiltak"),
    "item_kind": _("Kartlegging, veiledning, kontrakt eller kurs"),
    "status": _("Status"),
    "date_completed": _("Dato gjennomført"),
    "source": _("Kilde"),
    "marked_applicable": _("Aktuelt for deltakeren"),
    "integreringskontrakt": _("Integreringskontrakt"),
    "related_items": _("Kartlegging, veiledning, kontrakt og kurs"),
    "termination": _("Avslutning"),
    "records": _("Poster"),
    "person": _("Person"),
    "kommune": _("Kommune"),
    # Training in Norwegian and social studies, as the scheme's forms name them.
    "permit_list": _("Tillatelse etter integreringsloven"),
    "permit_granted_abroad": _("Tillatelsen ble gitt før innreise"),
    "education_background": _("Utdanningsbakgrunn"),
    "norskmaal": _("Norskmål"),
    "norskmaal.kind": _("Type norskmål"),
    "levels": _("Nivå per delferdighet"),
    "lytteforstaaelse": _("Lytteforståelse"),
    "leseforstaaelse": _("Leseforståelse"),
    "skriftlig_fremstilling": _("Skriftlig fremstilling"),
    "muntlig_kommunikasjon": _("Muntlig kommunikasjon"),
    "extended_norwegian": _("Utvidet opplæring i norsk (§ 43 g)"),
    "decision_date": _("Vedtaksdato"),
    "test_results": _("Prøveresultater"),
    "test_results.kind": _("Prøve"),
    "test_date": _("Prøvedato"),
    "test_site": _("Prøvested"),
    "document_ref": _("Dokumentreferanse"),
    "passed": _("Bestått (samfunnskunnskap)"),
    "exemptions": _("Fritak"),
    "exemptions.kind": _("Fritak fra"),
    "ground": _("Grunnlag"),
    "ends_right": _("Fritaket avslutter retten og plikten"),
    "medical_statement": _("Legeerklæring foreligger"),
    "subject": _("Fag"),
    "module": _("Modul (samfunnskunnskap, 75 timer)"),
    "end": _("Avslutning"),
}

# An intro participant's items beside the programme (rules-norsk.md N8), their statuses
# (Decision N8-a) and where a record comes from.
RELATED_ITEM_KINDS = {
    "kompetansekartlegging": _("Kompetansekartlegging"),
    "karriereveiledning": _("Karriereveiledning"),
    "integreringskontrakt": _("Integreringskontrakt"),
    "livsmestring": _("Livsmestring i et nytt land"),
    "foreldreveiledning": _("Foreldreveiledning"),
}
ITEM_STATUSES = {
    "ikke_startet": _("Ikke startet"),
    "pabegynt": _("Påbegynt"),
    "gjennomfort": _("Gjennomført"),
    "ikke_aktuelt": _("Ikke aktuelt"),
    "fritatt": _("Fritatt"),
}
ITEM_SOURCES = {"nir": _("Registrert i NIR"), "imdinett_readonly": _("Lest fra IMDinett")}

MONTHS = [
    _("januar"),
    _("februar"),
    _("mars"),
    _("april"),
    _("mai"),
    _("juni"),
    _("juli"),
    _("august"),
    _("september"),
    _("oktober"),
    _("november"),
    _("desember"),
]


def month_label(year: int, month: int) -> str:
    """«november 2026», never «2026-11»."""
    return f"{MONTHS[month - 1]} {year}"


def month_label_of(period: str) -> str:
    """A «YYYY-MM» period as words; anything else is returned as it is."""
    year, _sep, month = period.partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return month_label(int(year), int(month))
    return period


def field_label(name: str) -> str:
    return str(FIELDS.get(name, name))


def termination_reason_choices() -> list[tuple[str, str]]:
    """The reasons a user may choose: every reason but the register's own «ikke registrert»."""
    return [
        (c, reason_label(c)) for c, r in TERMINATION_REASONS.items() if not r.set_by_system_only
    ]


def reason_label(code: str) -> str:
    if code in REASONS:
        return str(REASONS[code])
    reason = TERMINATION_REASONS.get(code)
    return reason.label_nb if reason else code


def measure_label(code: str) -> str:
    return label(MEASURE_TYPES, code)


def measure_type_choices() -> list[tuple[str, str]]:
    return [(code, str(text)) for code, text in MEASURE_TYPES.items()]


def leave_type_choices() -> list[tuple[str, str]]:
    """The configured leave types by their names in the reader's language (the default
    types' English is in the catalogue: derivation_text.DEFAULT_STOP_TYPE_NAMES)."""
    return [(code, gettext(t.label_nb)) for code, t in rule_config().leave_types.items()]


def absence_type_choices() -> list[tuple[str, str]]:
    return [(code, gettext(t.label_nb)) for code, t in rule_config().absence_types.items()]


def label(mapping: Mapping[str, object], code: str) -> str:
    return str(mapping.get(code, code))


# --- Training in Norwegian and social studies (rules-norsk.md) -----------------------------

NORSK_CATEGORIES = {
    "rett_og_plikt": _("Rett og plikt"),
    "plikt": _("Plikt (betaler selv)"),
    "rett": _("Rett"),
    "rett_til_norsk": _("Rett til norsk (kap. 6A)"),
    "kan_tilbys": _("Kan tilbys"),
}
PERMIT_LISTS = {
    "ss27": _("Integreringsloven § 27 (rett og plikt)"),
    "ss28": _("Integreringsloven § 28 (plikt)"),
    "kollektiv_beskyttelse": _("Kollektiv beskyttelse (utlendingsloven § 34)"),
    "annen": _("Annen tillatelse (kan tilbys)"),
}
EDUCATION_BACKGROUNDS = {
    "uten_grunnskole": _("Grunnskole ikke fullført"),
    "grunnskole": _("Grunnskole fullført"),
    "videregaende": _("Minst videregående opplæring"),
}
SKILLS = {
    "lytteforstaaelse": _("Lytteforståelse"),
    "leseforstaaelse": _("Leseforståelse"),
    "skriftlig_fremstilling": _("Skriftlig fremstilling"),
    "muntlig_kommunikasjon": _("Muntlig kommunikasjon"),
}
NORSKMAAL_KINDS = {
    "levels": _("Nivå per delferdighet"),
    "norskprove_c1": _("Norskprøve C1"),
    "karakter_2": _("Karakteren 2 i norsk"),
}
FINAL_TEST_KINDS = {
    "norskprove": _("Norskprøve (A1–B2)"),
    "norskprove_c1": _("Norskprøve C1"),
    "samfunnskunnskapsprove": _("Prøve i samfunnskunnskap"),
}
FRITAK_KINDS = {
    "opplaering_norsk": _("Fritak fra opplæring i norsk"),
    "opplaering_samf": _("Fritak fra opplæring i samfunnskunnskap"),
    "prove_norsk": _("Fritak fra prøve i norsk"),
    "prove_samf": _("Fritak fra prøve i samfunnskunnskap"),
}
FRITAK_GROUNDS = {
    "dokumentert_norsk": _("Dokumenterte kunnskaper i norsk eller samisk"),
    "dokumentert_samfunnskunnskap": _("Dokumenterte kunnskaper om det norske samfunnet"),
    "helse_eller_tungtveiende": _("Særlig helsemessige eller andre tungtveiende grunner"),
    "store_omsorgsforpliktelser": _("Store omsorgsforpliktelser"),
}
SUBJECTS = {"norsk": _("Norsk"), "samfunnskunnskap": _("Samfunnskunnskap")}
NORSK_END_REASONS = {
    "norskmal_nadd": _("Norskmålet er nådd"),
    "timer_gjennomfort": _("Timene i norsk og samfunnskunnskap er gjennomført"),
    "frist_utlopt": _("Fristen er utløpt"),
    "fritak": _("Fritak som avslutter retten og plikten"),
    "fylt_67": _("Fylt 67 år"),
    "avbrutt": _("Avbrutt"),
    "avvist": _("Avvist deltakelse"),
}

NORSK_SET_BY = {"municipality": _("kommunen"), "system": _("registeret selv")}
SAMF_SCHEMES = {
    "ny_75": _("Ny ordning (75 timer i 3 moduler)"),
    "gammel_50": _("Gammel ordning (50 timer)"),
}


def norsk_end_reason_label(code: str) -> str:
    """A Norwegian-training end reason; those the programme shares read as its own."""
    return str(NORSK_END_REASONS[code]) if code in NORSK_END_REASONS else reason_label(code)


def choices(mapping: Mapping[str, object]) -> list[tuple[str, object]]:
    """A form's choices, their words lazy: a form defined at import reads in the language
    of each request."""
    return list(mapping.items())
