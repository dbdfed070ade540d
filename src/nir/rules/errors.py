"""The one error type of the rules package: a rule refused the input."""

from __future__ import annotations

from collections.abc import Mapping

from nir.rules.basis import LegalBasis


class RuleViolation(ValueError):
    """Raised when input breaks a rule.

    ``field`` names the input field in the register's vocabulary (``start_date``,
    ``identity_number``, ``extension_months`` ...), ``code`` is a stable machine code
    (``extension.limit_exceeded``), ``message`` is the Norwegian text shown to a
    caseworker, and ``basis`` is the rule that refused it. ``params`` carries the numbers
    and dates the message mentions, so the API and other languages can phrase it anew.
    """

    def __init__(
        self,
        *,
        field: str,
        code: str,
        message: str,
        basis: LegalBasis,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(f"{field}: {message} ({basis.reference})")
        self.field = field
        self.code = code
        self.message = message
        self.basis = basis
        self.params: dict[str, object] = dict(params or {})
