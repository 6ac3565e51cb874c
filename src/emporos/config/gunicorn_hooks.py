"""Gunicorn's hooks for the workers of `emporos serve` (passed as `--config python:...`)."""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Once a worker has loaded Emporos, set everything made so far apart from the collector.

    The code, settings, URL patterns and API schemas are a few hundred thousand objects that live
    as long as the process. Left tracked, every full collection walks them all: 80 to 160 ms in
    which each of the worker's threads stands still, the slowest 1% of orders
    (bench/README.md). Frozen, a full collection walks only what requests made.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the URLs and the API's schemas load lazily; load them now
    gc.collect()  # what start-up left behind goes now, not kept forever by the freeze
    gc.freeze()
