"""Exemptions (fritak) from the training duty and from the final tests (rules-norsk.md N4).

Each exemption carries a ground from a code list mapped to its legal basis (Decision N4-c);
a training exemption marked ``ends_right`` ends the ordning with reason ``fritak``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from nir.rules.basis import LOVDATA_INTEGRERINGSLOVEN, BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.norsk.rights import IMDI_FORSKRIFT_KAP5, NorskCategory


class FritakKind(StrEnum):
    OPPLAERING_NORSK = "opplaering_norsk"
    OPPLAERING_SAMF = "opplaering_samf"
    PROVE_NORSK = "prove_norsk"
    PROVE_SAMF = "prove_samf"

    @property
    def is_training(self) -> bool:
        return self in (FritakKind.OPPLAERING_NORSK, FritakKind.OPPLAERING_SAMF)

    @property
    def label_nb(self) -> str:
        return _KIND_LABELS_NB[self]


class FritakGround(StrEnum):
    DOKUMENTERT_NORSK = "dokumentert_norsk"  # B1 in every skill, grade 2, approved prior learning
    DOKUMENTERT_SAMFUNNSKUNNSKAP = "dokumentert_samfunnskunnskap"
    HELSE_ELLER_TUNGTVEIENDE = "helse_eller_tungtveiende"  # særlig helsemessige ... grunner
    OMSORG = "store_omsorgsforpliktelser"  # § 29 second paragraph: the right revives on a krav

    @property
    def label_nb(self) -> str:
        return _GROUND_LABELS_NB[self]


_KIND_LABELS_NB = {
    FritakKind.OPPLAERING_NORSK: "fritak fra opplæring i norsk",
    FritakKind.OPPLAERING_SAMF: "fritak fra opplæring i samfunnskunnskap",
    FritakKind.PROVE_NORSK: "fritak fra prøve i norsk",
    FritakKind.PROVE_SAMF: "fritak fra prøve i samfunnskunnskap",
}
_GROUND_LABELS_NB = {
    FritakGround.DOKUMENTERT_NORSK: "dokumenterte kunnskaper i norsk eller samisk",
    FritakGround.DOKUMENTERT_SAMFUNNSKUNNSKAP: "dokumenterte kunnskaper om det norske samfunnet",
    FritakGround.HELSE_ELLER_TUNGTVEIENDE: "særlig helsemessige eller andre tungtveiende grunner",
    FritakGround.OMSORG: "store omsorgsforpliktelser",
}


# Reasons the municipality may not grant a test exemption for (Statsforvalteren's guidance).
class RefusedTestGround(StrEnum):
    FORVENTET_RESULTAT = "forventet_resultat"
    GJENTATTE_FORSOK = "gjentatte_mislykkede_forsok"
    ANALFABETISME = "kan_ikke_lese_eller_skrive"


_REFUSED_LABELS_NB = {
    RefusedTestGround.FORVENTET_RESULTAT: "Forventet resultat av prøven",
    RefusedTestGround.GJENTATTE_FORSOK: "Gjentatte mislykkede forsøk",
    RefusedTestGround.ANALFABETISME: "At man ikke kan lese eller skrive",
}


BASIS_DOKUMENTERT_NORSK = LegalBasis(
    "norsk.fritak.dokumentert_norsk",
    "integreringsloven § 29 og integreringsforskriften: fritak ved dokumenterte kunnskaper i "
    "norsk eller samisk",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§29",
)
BASIS_DOKUMENTERT_SAMF = LegalBasis(
    "norsk.fritak.dokumentert_samfunnskunnskap",
    "integreringsloven § 29: fritak ved dokumenterte kunnskaper om det norske samfunnet",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§29",
)
BASIS_HELSE = LegalBasis(
    "norsk.fritak.helse",
    "integreringsloven § 29: fritak ved særlig helsemessige eller andre tungtveiende årsaker",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§29",
)
BASIS_OMSORG = LegalBasis(
    "norsk.fritak.omsorg",
    "integreringsloven § 29 andre ledd, integreringsforskriften § 20: fritak ved store "
    "omsorgsforpliktelser; retten inntrer igjen ved krav",
    BasisKind.LOV,
    IMDI_FORSKRIFT_KAP5,
)
BASIS_TEST_EXEMPTION = LegalBasis(
    "norsk.fritak.prove",
    "Statsforvalterens veiledning om fritak fra prøve i norsk og samfunnskunnskap: særlig "
    "helsemessige eller andre tungtveiende grunner, dokumentert med medisinsk vurdering; "
    "forventet resultat, gjentatte forsøk eller at man ikke kan lese er ikke grunnlag "
    "(IMDis registreringskrav: fritak med rettsgrunnlag)",
    BasisKind.PRAKSIS,
    "https://www.statsforvalteren.no/nn/Rogaland/Barnehage-og-opplaring/introduksjonsprogrammet/"
    "fritak-fra-prove-i-norsk-og-samfunnskunnskap/",
)
BASIS_NO_DUTY = LegalBasis(
    "norsk.fritak.no_duty",
    "integreringsloven kap. 6A: rett uten plikt, så det er ingen plikt å få fritak fra",
    BasisKind.LOV,
    LOVDATA_INTEGRERINGSLOVEN,
)

GROUND_BASIS: Mapping[FritakGround, LegalBasis] = MappingProxyType(
    {
        FritakGround.DOKUMENTERT_NORSK: BASIS_DOKUMENTERT_NORSK,
        FritakGround.DOKUMENTERT_SAMFUNNSKUNNSKAP: BASIS_DOKUMENTERT_SAMF,
        FritakGround.HELSE_ELLER_TUNGTVEIENDE: BASIS_HELSE,
        FritakGround.OMSORG: BASIS_OMSORG,
    }
)
# Which grounds each kind of exemption may rest on.
GROUNDS_BY_KIND: Mapping[FritakKind, frozenset[FritakGround]] = MappingProxyType(
    {
        FritakKind.OPPLAERING_NORSK: frozenset(
            {
                FritakGround.DOKUMENTERT_NORSK,
                FritakGround.HELSE_ELLER_TUNGTVEIENDE,
                FritakGround.OMSORG,
            }
        ),
        FritakKind.OPPLAERING_SAMF: frozenset(
            {
                FritakGround.DOKUMENTERT_SAMFUNNSKUNNSKAP,
                FritakGround.HELSE_ELLER_TUNGTVEIENDE,
                FritakGround.OMSORG,
            }
        ),
        FritakKind.PROVE_NORSK: frozenset({FritakGround.HELSE_ELLER_TUNGTVEIENDE}),
        FritakKind.PROVE_SAMF: frozenset({FritakGround.HELSE_ELLER_TUNGTVEIENDE}),
    }
)


@dataclass(frozen=True, slots=True)
class Fritak:
    ref: str
    kind: FritakKind
    ground: FritakGround
    decision_date: dt.date
    ends_right: bool = False
    medical_statement: bool = False  # a medical assessment or a doctor's statement

    @property
    def basis(self) -> LegalBasis:
        return BASIS_TEST_EXEMPTION if not self.kind.is_training else GROUND_BASIS[self.ground]


def _refuse(code: str, fritak: Fritak, basis: LegalBasis, *, message: str) -> RuleViolation:
    return RuleViolation(
        field="fritak",
        code=f"norsk.fritak.{code}",
        message=message,
        basis=basis,
        params={"kind": fritak.kind.value, "ground": fritak.ground.value},
    )


def check_fritak(
    fritak: Fritak,
    category: NorskCategory | None,
    refused_ground: RefusedTestGround | None = None,
) -> None:
    """An exemption from a duty the person has, on a ground its kind allows.

    A test exemption needs a medical statement and is never granted for the expected
    result, repeated failures or illiteracy (``refused_ground``: what the application
    gives as its reason, when it is one of those); only a training exemption ends the right.
    """
    if category is None or not category.has_duty:
        raise _refuse(
            "no_duty",
            fritak,
            BASIS_NO_DUTY,
            message="Personen har ingen plikt til opplæring eller prøver å få fritak fra.",
        )
    if fritak.ground not in GROUNDS_BY_KIND[fritak.kind]:
        allowed = sorted(g.label_nb for g in GROUNDS_BY_KIND[fritak.kind])
        raise _refuse(
            "ground_not_for_kind",
            fritak,
            fritak.basis,
            message=f"{fritak.kind.label_nb.capitalize()} kan ikke gis på grunnlag av "
            f"{fritak.ground.label_nb}. Gyldige grunnlag: " + "; ".join(allowed) + ".",
        )
    if fritak.kind.is_training:
        return
    if refused_ground is not None:
        raise _refuse(
            "refused_ground",
            fritak,
            BASIS_TEST_EXEMPTION,
            message=(
                f"{_REFUSED_LABELS_NB[refused_ground]} gir ikke grunnlag for fritak fra prøve; "
                "prøven kan i stedet tilrettelegges."
            ),
        )
    if not fritak.medical_statement:
        raise _refuse(
            "medical_statement_missing",
            fritak,
            BASIS_TEST_EXEMPTION,
            message="Fritak fra prøve krever en medisinsk vurdering eller uttalelse fra lege.",
        )
    if fritak.ends_right:
        raise _refuse(
            "test_exemption_keeps_right",
            fritak,
            BASIS_TEST_EXEMPTION,
            message="Fritak fra prøve fjerner ikke retten til opplæring.",
        )


def fritak_ending_right(fritaks: Sequence[Fritak], as_of: dt.date) -> Fritak | None:
    """The first training exemption decided by ``as_of`` that ends the right, or None."""
    ending = [
        f for f in fritaks if f.kind.is_training and f.ends_right and f.decision_date <= as_of
    ]
    return min(ending, key=lambda f: (f.decision_date, f.ref)) if ending else None
