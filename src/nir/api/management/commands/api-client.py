"""`nir api-client`: create and revoke a case system's API credentials.

    nir api-client create --kommune 0301 --name "Oslo fagsystem (Visma Flyt)" [--scheme norsk ...]
    nir api-client list [--kommune 0301]
    nir api-client revoke ID
    nir api-client map-organisation --organisation 944117784 --kommune 0301 [--scheme ...]

A client writes the schemes named with --scheme (once per scheme); without it, the
introduction programme only, as every client created before the Norwegian scheme.

The token is printed once, on creation; the register keeps only its hash.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nir.api.clients import create_api_client, map_organisation, revoke_api_client
from nir.api.models import ApiClient
from nir.rules.schemes import Scheme

SCHEMES = [scheme.value for scheme in Scheme]


def _add_schemes(parser: CommandParser) -> None:
    parser.add_argument(
        "--scheme",
        action="append",
        choices=SCHEMES,
        dest="schemes",
        help="a scheme the client may write (repeat for both); default: introduksjonsprogram",
    )


def _schemes(options: dict[str, Any]) -> list[Scheme]:
    return [Scheme(value) for value in options["schemes"] or [Scheme.INTRODUKSJONSPROGRAM]]


class Command(BaseCommand):
    help = "Create, list and revoke API clients for municipal case systems."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a client and print its token once")
        create.add_argument("--kommune", required=True, help="municipality number, e.g. 0301")
        create.add_argument("--name", required=True, help="the case system, e.g. its vendor")
        _add_schemes(create)
        listing = sub.add_parser("list", help="list clients (never their tokens)")
        listing.add_argument("--kommune")
        revoke = sub.add_parser("revoke", help="revoke a client's token")
        revoke.add_argument("id", type=int)
        mapping = sub.add_parser(
            "map-organisation", help="let a Maskinporten consumer act for a municipality"
        )
        mapping.add_argument("--organisation", required=True, help="nine-digit org. number")
        mapping.add_argument("--kommune", required=True)
        mapping.add_argument("--name", default="")
        _add_schemes(mapping)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "create":
                issued = create_api_client(
                    kommune_number=options["kommune"],
                    name=options["name"],
                    created_by=f"cli:{getpass.getuser()}",
                    schemes=_schemes(options),
                )
                client = issued.client
                self.stdout.write(
                    f"API client {client.pk} «{client.name}» for {client.kommune.number} "
                    f"{client.kommune.display_name}, writes {', '.join(client.schemes)}.\n"
                    "Token (shown once, store it in the case system's secret store):\n"
                )
                self.stdout.write(issued.token)
            elif action == "list":
                clients = ApiClient.objects.select_related("kommune").order_by("pk")
                if options["kommune"]:
                    clients = clients.filter(kommune__number=options["kommune"])
                for c in clients:
                    state = f"revoked {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "active"
                    self.stdout.write(
                        f"{c.pk}\t{c.kommune.number}\t{c.token_prefix}…\t{state}\t"
                        f"{','.join(c.schemes)}\t{c.name}"
                    )
            elif action == "revoke":
                if not revoke_api_client(options["id"]):
                    raise CommandError(f"no active API client {options['id']}")
                self.stdout.write(f"revoked API client {options['id']}")
            else:
                map_organisation(
                    organisation_number=options["organisation"],
                    kommune_number=options["kommune"],
                    name=options["name"],
                    schemes=_schemes(options),
                )
                self.stdout.write(
                    f"organisation {options['organisation']} acts for {options['kommune']}"
                )
        except ValueError as error:
            raise CommandError(str(error)) from None
