"""The register's user guides: short pages served by the register and linked where the task
is done. Each guide is a template per language (``web/guides/<language>/<slug>.html``); its
screenshots are taken by the browser tests (``tests/browser/test_guides.py``) as they walk
the same steps, and written into ``static/web/guides/``, so the pictures show the register
as it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SCREENSHOT_FOLDER = Path(__file__).resolve().parent / "static" / "web" / "guides"
LANGUAGES = ("nb", "en")


@dataclass(frozen=True, slots=True)
class Guide:
    slug: str
    title: Promise
    summary: Promise

    def template(self) -> str:
        language = (get_language() or "nb")[:2]
        return f"web/guides/{language if language in LANGUAGES else 'nb'}/{self.slug}.html"


GUIDES = {
    g.slug: g
    for g in (
        Guide(
            "avslutningsarsak",
            _("Registrere avslutningsårsak"),
            _("Når en deltaker slutter, og når registeret har avsluttet deltakelsen selv."),
        ),
        Guide(
            "ikke-registrert",
            _("Finne deltakere med «avslutningsårsak ikke registrert»"),
            _("Bruk oversikten over avsluttede deltakere til å finne og rette dem."),
        ),
        Guide(
            "etterregistrering",
            _("Be om etterregistrering"),
            _("Når hendelsen er mer enn to måneder gammel: be IMDi om tilgang."),
        ),
        Guide(
            "utvidelse-og-permisjon",
            _("Utvidet programtid og permisjon"),
            _("Registrer vedtakene før fristen, så avsluttes ikke deltakeren."),
        ),
        Guide(
            "avstemming",
            _("Avstemming for kommuner med fagsystem"),
            _("Kontroller at fagsystemet og registeret har de samme opplysningene."),
        ),
    )
}


def screenshot(name: str) -> str | None:
    """The static path of a guide's screenshot, or None before the browser tests made it."""
    path = SCREENSHOT_FOLDER / f"{name}.png"
    return f"web/guides/{name}.png" if path.is_file() else None
