"""The loop behind `nir worker` and `nir demo`: due jobs, then the queue, then wait."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import close_old_connections

from nir.jobs.digests import drain_queue
from nir.jobs.registry import JOBS
from nir.jobs.scheduler import run_due

logger = logging.getLogger(__name__)


def run_rounds(*, interval: float, running: Callable[[], bool], once: bool = False) -> None:
    while running():
        close_old_connections()
        try:
            for outcome in run_due(JOBS):
                if outcome.result != "skipped":
                    logger.info(
                        "%s %s: %s %s", outcome.job, outcome.period, outcome.result, outcome.counts
                    )
            drain_queue()
        except Exception:
            # A database hiccup must not stop the worker; the next round tries again.
            logger.exception("scheduler round failed")
        if once:
            return
        deadline = time.monotonic() + interval
        while running() and time.monotonic() < deadline:
            time.sleep(min(2.0, interval))
