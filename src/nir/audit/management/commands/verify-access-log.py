"""nir verify-access-log: recompute the hash chain and report every break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nir.audit.access_log import verify_chain


class Command(BaseCommand):
    help = "Verify that no entry of the access log was altered, removed or inserted."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = verify_chain()
        for problem in problems:
            self.stdout.write(f"entry {problem.entry_id}: {problem.problem}")
        if problems:
            self.stdout.write(f"access log: {checked} entries checked, {len(problems)} problem(s)")
            raise SystemExit(1)
        self.stdout.write(f"access log: {checked} entries checked, chain intact")
