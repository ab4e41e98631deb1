"""How the worker's garbage collector is set once the application has started.

A province's status builds ~50,000 short-lived containers (breakdown rows, counts, gap
entries). At CPython's default threshold (700 allocations) that is a dozen young
collections per request, and every so often a full collection walks everything the
process holds: the application's ~130,000 objects of modules, models and routes, and the
status results kept across requests; at scale 1 such pauses took 60–85 ms.

So, after startup: what exists then is collected once and frozen (moved where collections
no longer look: it lives as long as the process), and young collections wait for 5,000
allocations. Reference counting still frees everything that is not in a cycle at once;
the bigger young generation holds only cyclic garbage a little longer.

Measured with ``bench.run --scale 1 --only reads|ingest`` (docs/performance.md): the plan
status of ``kh-209-2026`` (every commune of the country) went from p50 583 to 336 ms, a
province's plan status p95 stayed within the run-to-run noise (27–34 ms), and the peak
memory in ingest did not move (Pss 295 MB; a young threshold of 20,000 took it to 303).
"""

import gc
import threading

YOUNG_THRESHOLD = 5_000
OLDER_THRESHOLD = 20

_lock = threading.Lock()
_settled = False


def settle_heap() -> None:
    """Freeze what startup made and raise the collection thresholds, once per process."""
    global _settled
    with _lock:
        if _settled:
            return
        gc.collect()
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, OLDER_THRESHOLD, OLDER_THRESHOLD)
        _settled = True
