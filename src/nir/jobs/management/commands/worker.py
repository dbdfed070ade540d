"""nir worker: the schedule and the task queue in one process, for a single machine."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nir.jobs.rounds import run_rounds


class Command(BaseCommand):
    help = "Run due jobs and queued tasks every --interval seconds until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="one round, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        state = {"running": True}

        def stop(signum: int, frame: FrameType | None) -> None:
            state["running"] = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"NIR worker: due jobs and the queue every {options['interval']} s")
        run_rounds(
            interval=options["interval"], running=lambda: state["running"], once=options["once"]
        )
