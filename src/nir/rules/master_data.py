"""Who may correct a person's master data: name, birth date and identity number.

A person who moves is registered by the new municipality with a participation of its own,
but the facts that say who the person is stay with the municipality that registered the
person: a second municipality cannot rewrite them (a case system sending a known identity
number for a new case id must not rename another municipality's participant, and nothing in
a record tells a real move with a correction from that). The owner corrects them.
The sources are silent; this is the register's decision (docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation

BASIS_MASTER_DATA = LegalBasis(
    "person.master_data_owner",
    "Registerets regel: personopplysninger rettes av kommunen som registrerte personen",
    BasisKind.BESLUTNING,
)

# The facts that say who the person is.
MASTER_FIELDS = ("identity_number", "given_name", "family_name", "birth_date")


def master_data_violation(changed: Sequence[str], owner: str | None) -> RuleViolation | None:
    """A refusal when a master field in ``changed`` would be rewritten by someone other than
    the owning municipality (``owner``, by name; None when the writer is the owner, or no
    municipality owns the person)."""
    touched = [f for f in MASTER_FIELDS if f in changed]
    if not touched or owner is None:
        return None
    return RuleViolation(
        field=touched[0],
        code="person.owned_by_other_kommune",
        message=(
            f"Personen er registrert av {owner}. Navn, fødselsdato og fødselsnummer kan bare "
            f"rettes av {owner}; send personopplysningene slik registeret har dem, eller be "
            "kommunen rette dem."
        ),
        basis=BASIS_MASTER_DATA,
        params={"fields": touched, "owner": owner},
    )
