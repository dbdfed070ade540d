"""The legal bases a page shows, in the reader's language.

A basis's citation (``LegalBasis.reference``) is written in bokmål where the rule is
defined, in the rules package, which knows no language but bokmål. A page in another
language shows the same citation through gettext: the law's name and section stay as they
are («integreringsloven § 13»), what the rule says is translated. The citations are marked
here so the catalogue holds them; a test keeps this list equal to every basis the register
can show (``legal_bases.every_legal_basis``), so a new or reworded basis is translated too.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from nir.register.message_dates import bokmaal

# Every basis's citation, as the rules word it.
BASIS_REFERENCES = (
    gettext_noop("Registerets regel"),
    gettext_noop(
        "IMDis frist for oppdatering av NIR: siste dag i februar året etter (fra tallene for 2018)"
    ),
    gettext_noop("IMDis frist for registrering i NIR for 2016: 15. januar 2017"),
    gettext_noop(
        "IMDis frist for registrering i NIR for 2017: 15. januar 2018, med ny kontroll til 16. "
        "mars 2018"
    ),
    gettext_noop(
        "IMDis unntak for året: sene rettinger kommer «normalt» ikke med i de endelige tallene"
    ),
    gettext_noop(
        "integreringsloven § 13: programtiden følger sluttmålet; lengre tid krever vedtak om "
        "utvidet programtid"
    ),
    gettext_noop("Registerets regel: færre enn 5 personer vises som prikk, med sekundærprikking"),
    gettext_noop(
        "integreringsloven § 13 / introduksjonsloven § 5: utvidet programtid innenfor grensen"
    ),
    gettext_noop(
        "integreringsloven § 13 / introduksjonsloven § 5: programtiden regnes fra oppstart"
    ),
    gettext_noop(
        "integreringsforskriften kap. 4 / introduksjonsloven § 5: innvilget permisjon legges til "
        "programtiden (IMDis praksis: dag for dag)"
    ),
    gettext_noop("integreringsloven § 13 (utvidet programtid) / introduksjonsloven § 5 andre ledd"),
    gettext_noop(
        "IMDis nøkkeltall: direkte overgang til arbeid eller utdanning (vgo eller høyere); «ikke "
        "registrert» i nevneren"
    ),
    gettext_noop("folkeregisterforskriften § 2-2-1 (fødselsnummer: 11 siffer)"),
    gettext_noop("folkeregisterforskriften § 2-2-1 (fødselsnummer: fødselsdato)"),
    gettext_noop("folkeregisterloven § 2-2, folkeregisterforskriften kap. 2 (D-nummer)"),
    gettext_noop("folkeregisterforskriften § 2-2-1 (fødselsnummer: kontrollsiffer)"),
    gettext_noop(
        "Registerets regel: syntetiske testnumre (Skatteetatens Tenor: måned + 80) bare der "
        "testdata er tillatt"
    ),
    gettext_noop(
        "integreringsloven kap. 6A: rett (uten plikt) for 18–55 år; kommunen kan tilby programmet "
        "til personer med kollektiv beskyttelse mellom 55 og 67 år (IMDis informasjon på "
        "nyinorge.no)"
    ),
    gettext_noop("integreringsloven kap. 6A (lov 10. juni 2022 nr. 35), utlendingsloven § 34"),
    gettext_noop(
        "IMDis praksis for etterregistrering: tidsavgrenset tilgang inntil 12 måneder tilbake"
    ),
    gettext_noop(
        "integreringsforskriften kap. 9 / introduksjonsloven § 25 a: registrering senest to "
        "måneder etter hendelsen"
    ),
    gettext_noop(
        "IMDis praksis i NIR: avslutning med «avslutningsårsak ikke registrert» når fristen er "
        "passert"
    ),
    gettext_noop(
        "Registerets regel: kap. 6A gjelder programmer som starter mens kapitlet er i kraft; "
        "sluttdatoen er konfigurasjon fordi Stortinget har flyttet den flere ganger"
    ),
    gettext_noop(
        "Registerets regel: endringen etter Prop. 81 L (2024–2025) gjelder fra datoen som er "
        "satt, for programmer som starter den dagen eller senere (ikrafttredelsen er ikke funnet)"
    ),
    gettext_noop("Registerets regel: programtiden til en deltaker uten registrert sluttmål"),
    gettext_noop("Registerets regel: sluttdatoen ved automatisk avslutning regnet fra fristen"),
    gettext_noop("Registerets regel: hvilke permisjonstyper som forlenger fristen dag for dag"),
    gettext_noop(
        "Registerets regel: avslutningsårsaker som holdes utenfor nevneren i måloppnåelsen (IMDi "
        "har ikke publisert hvilke)"
    ),
    gettext_noop("Registerets regel: tekst uten kontrolltegn"),
    gettext_noop("Registerets regel: datoer innenfor grensene"),
    gettext_noop(
        "Registerets regel: forskningsuttrekk er k-anonyme på alle kolonner (k = 5 som standard)"
    ),
    gettext_noop(
        "Registerets regel: færre enn 5 personer vises som prikk; sekundærprikking over alle "
        "tabeller i en publisering samlet (Gauss-eliminasjon), med beskyttelsesintervall"
    ),
    gettext_noop(
        "Registerets regel: personopplysninger rettes av kommunen som registrerte personen"
    ),
    gettext_noop("Registerets regel: et tiltak har mellom 0 og 37,5 timer per uke (fulltid)"),
    gettext_noop("integreringsloven § 15: integreringsplanen skal ha et sluttmål"),
    gettext_noop("IMDis registreringskrav i NIR: vedtak om deltakelse skal registreres"),
    gettext_noop("IMDis registreringskrav i NIR: tiltak med periode og timer skal registreres"),
    gettext_noop("integreringsloven § 13: utdanningsbakgrunnen avgjør programtiden"),
    gettext_noop(
        "IMDis registreringskrav i NIR: reell avslutningsårsak senest to måneder etter avslutningen"
    ),
    gettext_noop(
        "integreringsloven § 32 (IMDis veileder om varighet og omfang): retten og plikten gjelder "
        "til deltakeren har nådd minimumsnivået i hver delferdighet"
    ),
    gettext_noop(
        "Registerets regel: når fristen er passert, får ordningen status «frist utløpt» og "
        "personen settes på arbeidslisten; automatisk avslutning bare når det er slått på"
    ),
    gettext_noop(
        "integreringsloven §§ 28 og 33: plikten gjelder til norskmålet er nådd eller 250 timer "
        "norsk er gjennomført, 225 timer fra 1.1.2022 (IMDis informasjon om ny ordning)"
    ),
    gettext_noop(
        "integreringsloven § 26: retten og plikten opphører ved fylte 67 år; ved tilbakekall fra "
        "endelig vedtak"
    ),
    gettext_noop(
        "Registerets regel: avslutningsårsaker for opplæring i norsk og samfunnskunnskap, med "
        "tabell til eksterne koder (ingen offisiell kodeliste er funnet)"
    ),
    gettext_noop(
        "introduksjonsloven § 19 andre ledd: plikt til avsluttende prøve i norsk og "
        "samfunnskunnskap for rett og plikt etter § 17 første ledd, tillatelse fra 1.9.2013"
    ),
    gettext_noop(
        "Registerets regel: prøveplikten gjelder alle med plikt til opplæring etter "
        "integreringsloven (rett og plikt eller bare plikt), ikke kap. 6A (rett uten plikt)"
    ),
    gettext_noop(
        "IMDis og HK-dirs praksis: Norskprøve A1–B2 gir nivå per delferdighet; Norskprøve C1 gir "
        "C1 eller ikke bestått"
    ),
    gettext_noop(
        "Registerets regel: prøveresultater importeres fra HK-dir eller registreres manuelt med "
        "dokumentreferanse; det beste resultatet per delferdighet teller"
    ),
    gettext_noop(
        "integreringsloven § 26: kommunen kan tilby opplæring til andre; med integreringsloven "
        "kan man ikke vokse seg inn i målgruppen (IMDis juridiske veileder)"
    ),
    gettext_noop(
        "integreringsloven § 32: rett og plikt til norsk i inntil tre år, 18 måneder med "
        "utdanning på videregående nivå; godkjent permisjon legges til fristen"
    ),
    gettext_noop("Registerets regel: fristen regnes fra den dagen retten og plikten inntrådte"),
    gettext_noop("Registerets regel: fristen regnes fra startdato i første vedtak om opplæring"),
    gettext_noop(
        "integreringsloven § 37 d og IMDis praksis i NIR: frist 12 måneder fra startdato i første "
        "vedtak, utvidet med permisjoner"
    ),
    gettext_noop(
        "IMDis veileder om varighet og omfang: godkjent permisjon legges til fristen; registerets "
        "regel: dag for dag, som for introduksjonsprogrammet"
    ),
    gettext_noop(
        "IMDis praksis i NIR: utdanningsbakgrunn registreres fordi den avgjør fristen på 18 "
        "måneder eller 3 år"
    ),
    gettext_noop(
        "Registerets regel: ingen frist er funnet for personer med bare plikt etter "
        "integreringsloven § 28"
    ),
    gettext_noop(
        "introduksjonsloven § 17: plikten oppfylles innen tre år, gratis opplæring i fem år fra "
        "tillatelse eller ankomst; registerets regel: permisjon legges ikke til"
    ),
    gettext_noop(
        "integreringsforskriften § 43 g: vedtak om utvidet opplæring i norsk i inntil 6 måneder "
        "av gangen, tilskudd per vedtak; IMDis praksis i NIR: vedtaksdato innen to måneder før og "
        "etter fristen, antall vedtak etter utdanningsbakgrunn"
    ),
    gettext_noop(
        "integreringsloven § 29 og integreringsforskriften: fritak ved dokumenterte kunnskaper i "
        "norsk eller samisk"
    ),
    gettext_noop(
        "integreringsloven § 29: fritak ved dokumenterte kunnskaper om det norske samfunnet"
    ),
    gettext_noop(
        "integreringsloven § 29: fritak ved særlig helsemessige eller andre tungtveiende årsaker"
    ),
    gettext_noop(
        "integreringsloven § 29 andre ledd, integreringsforskriften § 20: fritak ved store "
        "omsorgsforpliktelser; retten inntrer igjen ved krav"
    ),
    gettext_noop(
        "Statsforvalterens veiledning om fritak fra prøve i norsk og samfunnskunnskap: særlig "
        "helsemessige eller andre tungtveiende grunner, dokumentert med medisinsk vurdering; "
        "forventet resultat, gjentatte forsøk eller at man ikke kan lese er ikke grunnlag (IMDis "
        "registreringskrav: fritak med rettsgrunnlag)"
    ),
    gettext_noop(
        "integreringsloven kap. 6A: rett uten plikt, så det er ingen plikt å få fritak fra"
    ),
    gettext_noop(
        "integreringsloven § 33: 50 timer samfunnskunnskap for tillatelse eller ankomst før "
        "1.1.2022 (IMDis informasjon om ny ordning)"
    ),
    gettext_noop(
        "integreringsloven § 33 og læreplan i samfunnskunnskap fra 1.1.2022: 75 timer fordelt på "
        "3 moduler"
    ),
    gettext_noop(
        "IMDis praksis i NIR: timemål 25 timer samfunnskunnskap for asylsøkere i mottak; "
        "opplæringen fortsetter etter at personen får oppholdstillatelse"
    ),
    gettext_noop(
        "introduksjonsloven § 17 og IMDis praksis: 550 timer norsk (250 for første tillatelse før "
        "1.1.2012 og for plikt alene), 50 timer samfunnskunnskap, ved behov inntil 3 000 timer"
    ),
    gettext_noop(
        "integreringsloven § 31: kravet om et antall timer norsk er erstattet med et norskmål"
    ),
    gettext_noop(
        "Registerets regel: ingen timemål i samfunnskunnskap etter kap. 6A (ingen kilde oppgir et)"
    ),
    gettext_noop(
        "IMDis registreringskrav i NIR: gjennomførte timer i norsk og samfunnskunnskap, timer i "
        "samfunnskunnskap per modul i ordningen med 75 timer"
    ),
    gettext_noop(
        "integreringsforskriften §§ 26–28: veiledende minimumsnivåer i norsk etter "
        "utdanningsbakgrunn"
    ),
    gettext_noop(
        "Registerets regel: norskmålet foreslås fra registrert utdanningsbakgrunn, og "
        "saksbehandleren bekrefter det"
    ),
    gettext_noop("IMDis praksis i NIR: Norskprøve C1 eller karakteren 2 som mulig norskmål"),
    gettext_noop(
        "integreringsloven § 31: minimumsnivået bør justeres opp ved raskere progresjon og kan "
        "justeres ned (IMDis veileder om varighet og omfang)"
    ),
    gettext_noop(
        "IMDis praksis i NIR: for personer omfattet av introduksjonsloven registreres ikke norskmål"
    ),
    gettext_noop(
        "IMDis registreringskrav i NIR: hvorvidt kompetansekartlegging, karriereveiledning, "
        "foreldreveiledning og livsmestring er gjennomført; registerets regel: status og dato"
    ),
    gettext_noop(
        "integreringsloven § 16: integreringskontrakt; registreres ikke etter introduksjonsloven"
    ),
    gettext_noop(
        "integreringsloven §§ 6 og 10: kompetansekartlegging før vedtak om introduksjonsprogram; "
        "registerets regel: en advarsel, fordi NIR bare leser kartleggingen fra IMDinett"
    ),
    gettext_noop(
        "integreringsloven § 10 (IMDis veileder): kartleggingen senest tre måneder etter "
        "bosetting eller krav om program"
    ),
    gettext_noop(
        "IMDis fagressurs: foreldreveiledning er obligatorisk for deltakere i "
        "introduksjonsprogrammet som har eller får barn under 18 år; registerets regel: ellers "
        "ikke aktuelt"
    ),
    gettext_noop(
        "integreringsloven §§ 26–27: rett og plikt for 18–67 år da tillatelsen ble innvilget"
    ),
    gettext_noop("integreringsloven §§ 26 og 28: plikt for 18–67 år da tillatelsen ble innvilget"),
    gettext_noop(
        "integreringsloven kap. 6A § 37 d: rett, ikke plikt, til opplæring i norsk; registerets "
        "regel: samme aldersgrense som de ordinære reglene"
    ),
    gettext_noop(
        "IMDis praksis i NIR: kategorien «Rett til norsk» beregnes først etter bosetting etter "
        "avtale mellom kommunen og IMDi"
    ),
    gettext_noop(
        "introduksjonsloven § 17: rett og plikt 16–55 år, rett 55–67 år, plikt for "
        "arbeidsinnvandrere utenfor EØS 16–55 år"
    ),
    gettext_noop(
        "integreringsloven § 26 andre ledd: retten og plikten inntrer når tillatelsen innvilges, "
        "ved ankomst, ved første fornyelse (§ 9 første ledd bokstav d) eller ved bosetting "
        "(bokstav e)"
    ),
    gettext_noop(
        "integreringsforskriften §§ 20–22: rett og plikt fra krav om opplæring, inntil ti år "
        "etter at retten og plikten inntrådte"
    ),
    gettext_noop(
        "integreringsloven § 26: den som har rett til å fullføre introduksjonsprogrammet etter § "
        "9 andre ledd, har også rett til å fullføre opplæringen"
    ),
    gettext_noop(
        "Registerets regel: permisjonstypene og fraværstypene, og om de forlenger fristen"
    ),
    gettext_noop("integreringsloven § 13 (sluttmål og varighet etter utdanning og alder)"),
    gettext_noop(
        "Registerets regel: uten registrert sluttmål (integreringsloven § 15) beregnes fristen "
        "med standard programtid til sluttmålet er registrert"
    ),
    gettext_noop("introduksjonsloven § 5"),
    gettext_noop(
        "Registerets regel: programtiden følger tabellen over regler i bruk på startdatoen"
    ),
    gettext_noop(
        "Registerets regel: integreringsloven kap. 6A gjelder bare i sin virkeperiode; ellers "
        "gjelder de ordinære reglene"
    ),
    gettext_noop("integreringsloven (lov 6. november 2020 nr. 127)"),
    gettext_noop("integreringsloven § 51, integreringsforskriften § 72 (innreise fra 1.1.2021)"),
    gettext_noop("introduksjonsloven (lov 4. juli 2003 nr. 80), integreringsforskriften § 72"),
    gettext_noop(
        "integreringsloven §§ 8–9 (målgruppe, 18–55 år da tillatelsen ble gitt), "
        "introduksjonsloven § 2, integreringsloven kap. 6A (rett uten plikt)"
    ),
    gettext_noop(
        "integreringsloven §§ 8–9 som endret etter Prop. 81 L (2024–2025): rett og plikt for "
        "18–60 år da tillatelsen ble gitt"
    ),
    gettext_noop(
        "Registerets regel: hver ordning registreres av kommunens brukere med rolle for den "
        "ordningen (kommuneintrobruker for introduksjonsprogrammet, kommunenorskbruker for "
        "opplæring i norsk og samfunnskunnskap)"
    ),
    gettext_noop("integreringsloven § 18 (stans)"),
    gettext_noop("IMDis registreringskrav i NIR: deltakerens hovedaktivitet ved avslutning"),
    gettext_noop(
        "Registerets regel: en ny frist som ikke er passert, opphever den automatiske avslutningen"
    ),
    gettext_noop(
        "Registerets regel: den automatiske avslutningen står, med sluttdato lik ny frist"
    ),
    gettext_noop(
        "Registerets regel: sluttdatoen ligger mellom oppstart og fristen for gjennomføring, og "
        "ikke fram i tid"
    ),
    gettext_noop("Registerets regel: en endring bygger på siste versjon, ingen endring går tapt"),
    gettext_noop("Registerets regel: kommunens brukere ser og endrer bare egne deltakere"),
    gettext_noop(
        "Registerets regel: kommunen registrerer og retter opplysningene om egne deltakere "
        "(integreringsforskriften kap. 9); IMDi kan gi etterregistrering"
    ),
    gettext_noop("Registerets regel: retting innenfor registreringsfristen, med historikk"),
    gettext_noop("Registerets regel: opplysningene kommunen skal registrere"),
    gettext_noop("Registerets regel: konfigurert sletting og anonymisering"),
    gettext_noop(
        "Registerets regel: det en post utelater, står; en registrering annulleres og en "
        "avslutning angres bare med begrunnelse og historikk"
    ),
    gettext_noop("Registerets regel: API-kontrakten for Idempotency-Key"),
    gettext_noop("Registerets regel: API-kontrakten for /api/v1"),
    gettext_noop("integreringsloven § 13"),
    gettext_noop(
        "Registerets regel: kap. 6A-deltakere får programtiden etter integreringsloven § 13, da "
        "lengdene i kap. 6A ikke er funnet"
    ),
    gettext_noop("integreringsloven § 13 (endret etter Prop. 81 L (2024–2025))"),
    gettext_noop("integreringsloven § 14 (endret etter Prop. 81 L (2024–2025))"),
)


def reference_in_language(reference: str) -> str:
    """A basis's citation as the reader reads it: the rule's own bokmål in bokmål, else the
    catalogue's text for it (a citation stored long ago and since reworded stays as stored)."""
    return reference if bokmaal() else gettext(reference)
