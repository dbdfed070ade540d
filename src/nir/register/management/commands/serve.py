"""nir serve: run the register's web server (gunicorn, the WSGI server of Django's own
deployment guide, with a process per worker and a thread pool in each).

Forwarded headers are believed only from the addresses in NIR_TRUSTED_PROXIES: from those,
``X-Forwarded-Proto: https`` makes the request secure (CSRF origin check, secure cookies,
HSTS, the https redirect); from anyone else it is ignored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections


def gunicorn_options(
    host: str, port: int, workers: int, threads: int, trusted_proxies: list[str]
) -> dict[str, Any]:
    """The gunicorn settings `nir serve` runs with (one place, read by the tests too)."""
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        # Only the proxies we run may say the request came over https; nothing else in a
        # forwarded header changes the environment.
        "forwarded_allow_ips": ",".join(trusted_proxies) if trusted_proxies else "",
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"},
        "proc_name": "nir",
        "timeout": 120,
        "graceful_timeout": 30,
        # Recycle workers now and then, so a slow leak never becomes an outage.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        # No shared control socket in the home folder: several servers run side by side.
        "control_socket_disable": True,
        "accesslog": None,
        "errorlog": "-",
    }


class Command(BaseCommand):
    help = "Serve the register over HTTP (gunicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
        parser.add_argument("--threads", type=int, default=8, help="threads per process")

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        from nir.wsgi import application

        chosen = gunicorn_options(
            options["host"],
            options["port"],
            options["workers"],
            options["threads"],
            settings.NIR_TRUSTED_PROXIES,
        )

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in chosen.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        # Workers are forked from this process: none may inherit its database connection.
        connections.close_all()
        self.stdout.write(f"NIR serving on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        Server().run()
