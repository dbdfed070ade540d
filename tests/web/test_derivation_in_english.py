"""The frist's derivation reads step by step in the page's language, with the stored dates."""

import re

import pytest
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


def _steps(body: str) -> list[str]:
    block = re.search(r"<ol>(.*?)</ol>", body, re.S)
    assert block is not None
    return [
        re.sub(r"\s+", " ", s).strip() for s in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    ]


def test_the_derivation_reads_in_english_with_the_same_dates(register, client_a):
    p = register.overdue_a
    client_a.cookies["django_language"] = "en"
    english = _steps(client_a.get(f"/person/{p.person_id}/").content.decode())
    with translation.override("en"):
        start = formats.date_format(p.start_date, "j F Y")
        frist = formats.date_format(p.frist, "j F Y")
    assert english[0] == f"Start {start}."
    assert english[1].startswith("Programme time 6 months because the participant already has")
    assert english[-1] == f"Completion deadline: {frist}."
    assert not any("måneder" in s or "Frist for" in s for s in english), english


def test_in_bokmaal_the_derivation_is_the_one_stored_with_the_frist(register, client_a):
    p = register.overdue_a
    bokmaal = _steps(client_a.get(f"/person/{p.person_id}/").content.decode())
    assert bokmaal == p.frist_derivation["explanation"]
    assert bokmaal[-1] == f"Frist for gjennomføring: {p.frist:%d.%m.%Y}."
