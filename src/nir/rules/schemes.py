"""The two schemes (ordninger) the register holds: the introduction programme and training in
Norwegian and social studies. Each is registered by its own role in the municipality, and a
write to a scheme is refused to an actor that may not write to it."""

from __future__ import annotations

from enum import StrEnum

from nir.rules.basis import BasisKind, LegalBasis


class Scheme(StrEnum):
    INTRODUKSJONSPROGRAM = "introduksjonsprogram"
    NORSK = "norsk"  # opplaering i norsk og samfunnskunnskap


BASIS_SCHEME_ROLE = LegalBasis(
    "access.scheme_role",
    "Registerets regel: hver ordning registreres av kommunens brukere med rolle for den "
    "ordningen (kommuneintrobruker for introduksjonsprogrammet, kommunenorskbruker for "
    "opplæring i norsk og samfunnskunnskap)",
    BasisKind.BESLUTNING,
)
