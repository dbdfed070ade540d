"""nir demo: a register with realistic synthetic data as of today, demo users, and the server.

It lives with the scheduler because it runs the worker's loop beside the server; the
register below it never imports the jobs."""

from __future__ import annotations

import threading
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from nir.accounts.models import Role
from nir.jobs.rounds import run_rounds
from nir.register.models import Kommune, Participation
from nir.register.services.sweep import run_sweep
from nir.register.synthetic import require_test_data_allowed

DEMO_PASSWORD = "demo"  # noqa: S105 - synthetic demo register only
DEMO_USERS = [
    ("oslo", "Kari", "Saksbehandler", Role.KOMMUNEINTROBRUKER, "0301"),
    ("bergen", "Ola", "Saksbehandler", Role.KOMMUNEINTROBRUKER, "4601"),
    ("imdi", "Ingrid", "Rådgiver", Role.IMDI_RADGIVER, None),
]


class Command(BaseCommand):
    help = "Migrate, load a synthetic register as of today, run the sweep, and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=3000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="load, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        require_test_data_allowed()
        call_command("migrate", verbosity=0)
        if Participation.objects.exists():
            self.stdout.write("demo: the register already holds data; loading nothing more")
        else:
            call_command(
                "seed", participants=options["participants"], stdout=self.stdout, stderr=self.stderr
            )
            result = run_sweep(as_of=timezone.localdate())
            self.stdout.write(
                f"demo: the sweep ended {result.ended} participation(s) as ikke_registrert"
            )
        self._users()
        address = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"\nNIR demo register: {address}")
        self.stdout.write(f"Demo logins (password «{DEMO_PASSWORD}»):")
        for username, _, _, role, number in DEMO_USERS:
            where = f"kommune {number}" if number else "alle kommuner"
            self.stdout.write(f"  {username:<8} {role.label} ({where})")
        if not options["no_serve"]:
            # The schedule and the queue run beside the server, as `nir worker` would.
            threading.Thread(
                target=run_rounds,
                kwargs={"interval": 60.0, "running": lambda: True},
                daemon=True,
                name="nir-worker",
            ).start()
            self.stdout.write(
                "Jobs (sweep, notices, reminders) run every minute; e-mail is printed here."
            )
            call_command("serve", host=options["host"], port=options["port"])

    def _users(self) -> None:
        User = get_user_model()
        for username, first, last, role, number in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            kommune = Kommune.objects.get(number=number) if number else None
            User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                roles=[role],
                kommune=kommune,
            )
