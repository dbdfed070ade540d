"""Users of the register: municipal caseworkers and IMDi staff."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from nir.rules.schemes import Scheme


class Role(models.TextChoices):
    KOMMUNEINTROBRUKER = "kommuneintrobruker", "Kommunebruker, introduksjonsprogram"
    KOMMUNENORSKBRUKER = "kommunenorskbruker", "Kommunebruker, opplæring i norsk"
    IMDI_RADGIVER = "imdi_radgiver", "IMDi-rådgiver"
    IMDI_STATISTIKER = "imdi_statistiker", "IMDi-statistiker"


# The municipality's roles, each registering one scheme; a user may hold both.
SCHEME_ROLES = {
    Role.KOMMUNEINTROBRUKER: Scheme.INTRODUKSJONSPROGRAM,
    Role.KOMMUNENORSKBRUKER: Scheme.NORSK,
}
IMDI_ROLES = frozenset({Role.IMDI_RADGIVER, Role.IMDI_STATISTIKER})


def default_roles() -> list[str]:
    return [Role.KOMMUNEINTROBRUKER.value]


class User(AbstractUser):
    """A person signing in. Municipal users belong to one kommune; IMDi users to none.

    ``roles`` is a list of role values: a municipality's user may hold both schemes' roles.
    A JSON list on the user row (not a table of grants) because the roles are read with the
    user on every request, are few and fixed, and a list works alike on SQLite and
    PostgreSQL; ``save`` keeps it valid, since neither database can check a JSON list in a
    constraint portable to the other."""

    roles = models.JSONField(default=default_roles)
    kommune = models.ForeignKey(
        "register.Kommune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="The municipality whose participants the user may see and change.",
    )
    # Who the person is in ID-porten (the `pid` claim); null for local accounts only.
    national_identity_number = models.CharField(max_length=11, null=True, blank=True, unique=True)

    def save(self, *args: object, **kwargs: object) -> None:
        self.roles = _valid_roles(self.roles, has_kommune=self.kommune_id is not None)
        # Staff status is the operators' (superusers') alone: the admin is their tool, and a
        # caseworker or statistician marked staff by mistake must not reach it.
        self.is_staff = self.is_superuser
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(value) for value in self.roles)

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles

    @property
    def is_imdi(self) -> bool:
        return bool(self.role_set & IMDI_ROLES)

    @property
    def schemes(self) -> frozenset[Scheme]:
        """The schemes the user registers for their municipality (none for IMDi)."""
        if self.kommune_id is None:
            return frozenset()
        return frozenset(SCHEME_ROLES[r] for r in self.role_set if r in SCHEME_ROLES)


def _valid_roles(roles: object, *, has_kommune: bool) -> list[str]:
    """The roles in a stable order; a municipality's role needs a municipality, and an IMDi
    role is held alone (IMDi oversees every municipality and registers for none)."""
    if not isinstance(roles, list) or not roles:
        raise ValueError("a user holds at least one role, as a list")
    held = {Role(value) for value in roles}
    if held & SCHEME_ROLES.keys() and not has_kommune:
        raise ValueError("a municipality's role needs a municipality")
    if held & IMDI_ROLES and len(held) > 1:
        raise ValueError("an IMDi role is held alone")
    return [role.value for role in Role if role in held]


class LoginThrottle(models.Model):
    """Failed sign-ins of one user name from one client address. After a few, each further
    attempt from that address must wait a growing delay; the same name from elsewhere is not
    held back, so nobody can lock another person out by guessing wrong on purpose."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45, default="")
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="throttle_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.address}: {self.failures}"
