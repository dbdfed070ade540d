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
    """Failed sign-ins per user name; after too many the name is locked for a while."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"
