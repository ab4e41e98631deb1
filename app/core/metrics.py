"""Prometheus metrics at ``/metrics`` (outside /api/v1 and the public contract).

One process: the default registry. Several workers (``--workers N``, gunicorn): set
``PROMETHEUS_MULTIPROC_DIR`` to an empty directory writable by every worker *before* the
server starts (and empty it at each start); each worker then writes its samples there and
``/metrics``, whichever worker answers, adds them all up (prometheus_client's
multiprocess mode). Only counters and histograms are used, which that mode sums
without further care.
"""

import os

from fastapi import APIRouter, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

router = APIRouter(include_in_schema=False)

REQUESTS = Counter(
    "nq57_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "nq57_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
ROWS_INGESTED = Counter(
    "nq57_rows_ingested",
    "Records written by integrators' POSTs and batches, by entity and push outcome.",
    ["entity", "outcome"],
)
INDICATOR_EVALUATIONS = Counter(
    "nq57_indicator_evaluations",
    "Indicator status evaluations, by measure kind.",
    ["kind"],
)

AUTH_FAILURES = Counter(
    "nq57_auth_failures",
    "Failed authentications, by reason: malformed, unknown or wrong (a wrong secret) count "
    "toward NQ57_AUTH_FAILURES_PER_MINUTE; revoked and expired keys do not.",
    ["reason"],
)
AUTH_REFUSALS = Counter(
    "nq57_auth_refusals",
    "Authentications refused with 429 after too many failures, by what was blocked: the "
    "client address or the key prefix.",
    ["blocked"],
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def count_ingested(entity: str, outcome: str, count: int = 1) -> None:
    """``outcome``: created or updated (unchanged and rejected rows wrote nothing)."""
    if count > 0 and outcome in ("created", "updated"):
        ROWS_INGESTED.labels(entity, outcome).inc(count)


def count_batch(entity: str, result: dict[str, object]) -> None:
    if result.get("dry_run"):
        return
    counts = result.get("counts")
    if isinstance(counts, dict):
        for outcome in ("created", "updated"):
            count_ingested(entity, outcome, int(counts.get(outcome, 0)))


def count_evaluation(kind: str) -> None:
    INDICATOR_EVALUATIONS.labels(kind or "unknown").inc()


def count_auth_failure(reason: str) -> None:
    AUTH_FAILURES.labels(reason).inc()


def count_auth_refusal(blocked: str) -> None:
    AUTH_REFUSALS.labels(blocked).inc()


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


@router.get("/metrics")
def get_metrics() -> Response:
    """Prometheus text format."""
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)
