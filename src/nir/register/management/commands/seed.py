"""nir seed: load N synthetic participants fast, for benchmarks and trials."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from nir.register.models import Kommune, Participation
from nir.register.norsk_models import NorskParticipation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.rule_config import rule_config
from nir.register.services.bulk_load import load_synthetic_in_parallel
from nir.register.synthetic import SyntheticRegister, require_test_data_allowed


class Command(BaseCommand):
    help = "Load N synthetic participants (synthetic identity numbers only), with progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2024, help="random seed")
        parser.add_argument("--chunk-size", type=int, default=2000)
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes registering chunks side by side (default: one a core)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        require_test_data_allowed()
        count = options["participants"]
        if count < 1:
            raise CommandError("--participants must be at least 1.")
        numbers = list(
            Kommune.objects.filter(valid_to__isnull=True).values_list("number", flat=True)
        )
        register = SyntheticRegister(
            today=timezone.localdate(),
            config=rule_config(),
            seed=options["seed"],
            beside_the_programme=True,
        )
        items = register.participations(register.kommune_plan(numbers, count))
        before = Participation.objects.aggregate(last=Max("pk"))["last"] or 0
        before_norsk = NorskParticipation.objects.aggregate(last=Max("pk"))["last"] or 0
        with tqdm(
            total=count, unit="deltakere", disable=options["no_progress"], file=sys.stderr
        ) as bar:
            try:
                loaded = load_synthetic_in_parallel(
                    items,
                    config=rule_config(),
                    workers=options["workers"],
                    chunk_size=options["chunk_size"],
                    progress=bar.update,
                )
            except IntegrityError as error:
                # The generator numbers its persons and cases from the same series each time.
                raise CommandError(
                    "The register already holds a person or case id this seed would add (an "
                    "earlier seed's synthetic series); seed an empty register. "
                    f"The database said: {error}"
                ) from error
        norsk = NorskParticipation.objects.filter(pk__gt=before_norsk).count()
        related = RelatedItemRecord.objects.filter(participation_id__gt=before).count()
        self.stdout.write(
            f"seed: loaded {loaded} synthetic participants, "
            f"{norsk} Norwegian-training ordninger, {related} related items"
        )
