"""rules-norsk.md N4: exemptions from the training duty and from the tests."""

import datetime as dt

import pytest

from nir.rules.errors import RuleViolation
from nir.rules.norsk.fritak import (
    Fritak,
    FritakGround,
    FritakKind,
    RefusedTestGround,
    check_fritak,
    fritak_ending_right,
)
from nir.rules.norsk.rights import NorskCategory

D = dt.date
K, G = FritakKind, FritakGround


@pytest.mark.parametrize(
    ("fritak", "category"),
    [
        pytest.param(
            Fritak("f", K.OPPLAERING_NORSK, G.DOKUMENTERT_NORSK, D(2023, 1, 1), True),
            NorskCategory.RETT_OG_PLIKT,
            id="documented-norwegian-ends-right",
        ),
        pytest.param(
            Fritak("f", K.OPPLAERING_SAMF, G.DOKUMENTERT_SAMFUNNSKUNNSKAP, D(2023, 1, 1)),
            NorskCategory.PLIKT,
            id="documented-society",
        ),
        pytest.param(
            Fritak("f", K.OPPLAERING_NORSK, G.OMSORG, D(2023, 1, 1)),
            NorskCategory.RETT_OG_PLIKT,
            id="care-duties",
        ),
        pytest.param(
            Fritak(
                "f",
                K.PROVE_NORSK,
                G.HELSE_ELLER_TUNGTVEIENDE,
                D(2023, 1, 1),
                medical_statement=True,
            ),
            NorskCategory.RETT_OG_PLIKT,
            id="test-health-with-statement",
        ),
    ],
)
def test_an_exemption_on_a_ground_its_kind_allows_is_accepted(fritak, category):
    check_fritak(fritak, category)
    assert fritak.basis.reference


@pytest.mark.parametrize(
    ("fritak", "category", "refused", "code"),
    [
        pytest.param(
            Fritak("f", K.OPPLAERING_NORSK, G.DOKUMENTERT_NORSK, D(2023, 1, 1)),
            NorskCategory.RETT_TIL_NORSK,
            None,
            "no_duty",
            id="kap6a-has-no-duty",
        ),
        pytest.param(
            Fritak("f", K.OPPLAERING_NORSK, G.DOKUMENTERT_NORSK, D(2023, 1, 1)),
            None,
            None,
            "no_duty",
            id="outside-group",
        ),
        pytest.param(
            Fritak(
                "f",
                K.PROVE_SAMF,
                G.DOKUMENTERT_SAMFUNNSKUNNSKAP,
                D(2023, 1, 1),
                medical_statement=True,
            ),
            NorskCategory.RETT_OG_PLIKT,
            None,
            "ground_not_for_kind",
            id="test-on-documented-knowledge",
        ),
        pytest.param(
            Fritak("f", K.OPPLAERING_SAMF, G.DOKUMENTERT_NORSK, D(2023, 1, 1)),
            NorskCategory.RETT_OG_PLIKT,
            None,
            "ground_not_for_kind",
            id="society-on-norwegian",
        ),
        pytest.param(
            Fritak("f", K.PROVE_NORSK, G.HELSE_ELLER_TUNGTVEIENDE, D(2023, 1, 1)),
            NorskCategory.RETT_OG_PLIKT,
            None,
            "medical_statement_missing",
            id="test-without-statement",
        ),
        pytest.param(
            Fritak(
                "f",
                K.PROVE_NORSK,
                G.HELSE_ELLER_TUNGTVEIENDE,
                D(2023, 1, 1),
                medical_statement=True,
            ),
            NorskCategory.RETT_OG_PLIKT,
            RefusedTestGround.FORVENTET_RESULTAT,
            "refused_ground",
            id="expected-result",
        ),
        pytest.param(
            Fritak(
                "f",
                K.PROVE_NORSK,
                G.HELSE_ELLER_TUNGTVEIENDE,
                D(2023, 1, 1),
                medical_statement=True,
            ),
            NorskCategory.RETT_OG_PLIKT,
            RefusedTestGround.GJENTATTE_FORSOK,
            "refused_ground",
            id="repeated-failures",
        ),
        pytest.param(
            Fritak(
                "f", K.PROVE_SAMF, G.HELSE_ELLER_TUNGTVEIENDE, D(2023, 1, 1), medical_statement=True
            ),
            NorskCategory.RETT_OG_PLIKT,
            RefusedTestGround.ANALFABETISME,
            "refused_ground",
            id="illiteracy",
        ),
        pytest.param(
            Fritak(
                "f",
                K.PROVE_NORSK,
                G.HELSE_ELLER_TUNGTVEIENDE,
                D(2023, 1, 1),
                True,
                medical_statement=True,
            ),
            NorskCategory.RETT_OG_PLIKT,
            None,
            "test_exemption_keeps_right",
            id="test-exemption-ending-right",
        ),
    ],
)
def test_an_exemption_the_law_does_not_allow_is_refused(fritak, category, refused, code):
    with pytest.raises(RuleViolation) as error:
        check_fritak(fritak, category, refused)
    assert error.value.code == f"norsk.fritak.{code}"


def test_the_first_training_exemption_that_ends_the_right_closes_the_scheme():
    keeps = Fritak("a", K.OPPLAERING_SAMF, G.DOKUMENTERT_SAMFUNNSKUNNSKAP, D(2023, 1, 1))
    test = Fritak("b", K.PROVE_NORSK, G.HELSE_ELLER_TUNGTVEIENDE, D(2023, 2, 1))
    ends = Fritak("c", K.OPPLAERING_NORSK, G.DOKUMENTERT_NORSK, D(2023, 3, 1), True)
    assert fritak_ending_right([keeps, test, ends], D(2023, 2, 28)) is None
    assert fritak_ending_right([keeps, test, ends], D(2023, 3, 1)) is ends
