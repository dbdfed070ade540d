"""nir grant-serving-role ROLE: grant the role that serves the register exactly what serving
needs, on PostgreSQL, and check it; run as the owner of the tables after `nir migrate`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nir.audit.serving_role import ServingRoleError, grant_serving_role, serving_role_problems


class Command(BaseCommand):
    help = (
        "Grant ROLE the serving privileges: read and append to the access log and move its "
        "heads forward, no TRUNCATE, DELETE or UPDATE of the log; SELECT, INSERT, UPDATE and "
        "DELETE on the other tables. With --check, only report how ROLE's privileges differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the login role the register is served with")
        parser.add_argument(
            "--check", action="store_true", help="grant nothing; report every difference"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        if not options["check"]:
            try:
                grant_serving_role(role)
            except ServingRoleError as error:
                raise CommandError(str(error)) from None
        tables, problems = serving_role_problems(role)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stdout.write(f"serving role {role}: {len(problems)} problem(s)")
            raise SystemExit(1)
        self.stdout.write(f"serving role {role}: {tables} tables, privileges as serving needs")
