"""What the worker's garbage collector skips once the application has started.

Every so often CPython runs a full collection, which walks every container the process
holds: the modules, models, schemas and routes made at startup, besides the status
results kept across requests. A province's status builds a breakdown row, its counts and
a gap entry per agency and indicator, enough to bring such a collection on within a few
requests, and the request that brings it on waits for it.

What startup made lives as long as the process, so it is collected once and frozen:
collections no longer look at it. The thresholds stay CPython's: raising the young one
let cyclic garbage pile up and the workers' peak memory rise over its target in the
ingest benchmark (docs/performance.md).
"""

import gc
from functools import cache


@cache
def settle_heap() -> None:
    """Collect and freeze what startup made, once per process."""
    gc.collect()
    gc.freeze()
