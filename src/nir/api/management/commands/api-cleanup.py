"""`nir api-cleanup`: delete stored Idempotency-Key replies older than the retry period.

Idempotent and safe to run at any time; a scheduler may call it daily.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nir.api.idempotency import forget_expired


class Command(BaseCommand):
    help = "Delete Idempotency-Key replies older than NIR_API_IDEMPOTENCY_HOURS."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"deleted {forget_expired()} expired idempotency replies")
