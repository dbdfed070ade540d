"""Users of the register: municipal caseworkers and IMDi staff."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    KOMMUNEINTROBRUKER = "kommuneintrobruker", "Kommunebruker, introduksjonsprogram"
    IMDI_RADGIVER = "imdi_radgiver", "IMDi-rådgiver"
    IMDI_STATISTIKER = "imdi_statistiker", "IMDi-statistiker"


class User(AbstractUser):
    """A person signing in. Municipal users belong to one kommune; IMDi users to none."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.KOMMUNEINTROBRUKER)
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

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="kommuneintrobruker") | models.Q(kommune__isnull=False),
                name="municipal_user_has_kommune",
            )
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        # Staff status is the operators' (superusers') alone: the admin is their tool, and a
        # caseworker or statistician marked staff by mistake must not reach it.
        self.is_staff = self.is_superuser
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_imdi(self) -> bool:
        return self.role in (Role.IMDI_RADGIVER, Role.IMDI_STATISTIKER)


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
