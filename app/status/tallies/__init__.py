"""Write-time tallies: what indicator status counts, counted when records are written.

Every record filter an indicator evaluates (a ``RecordFilter`` or the conjunction of two,
with its plan's on-topic list) is registered in ``tally_filter``. For each, ``record_tally``
holds how many of an agency's records match, per local year, month and day. Each write
of a broadcast or a media product adjusts those counts in the same transaction, so status
reads a handful of tally rows per agency instead of every record (see ../counting.py).

- ``filters``: what is tallied, a filter's canonical key, matching a record in Python;
- ``store``: the tally table, the buckets of a day, adding a change;
- ``registry``: which filters are tallied, kept in step with the indicators
  (``sync_filters``: seed, ``nq57 db upgrade``, indicator and plan writes);
- ``maintenance``: the counts kept exact through ORM flushes, Core inserts and bulk
  deletes;
- ``reads``: the buckets of a window and the counts over them.

The straightforward evaluation stays the reference: tests/status compare both on random
data, including updates and retractions after a first evaluation.
"""

from app.status.tallies.filters import (
    TALLIED,
    TALLIED_FIELDS,
    Conjunction,
    conjunctions_of,
    filter_key,
    matches,
    share_conjunctions,
)
from app.status.tallies.maintenance import FLUSH_LISTENERS, count_rows, delete_records
from app.status.tallies.reads import cover, day_buckets, read_counts
from app.status.tallies.registry import all_registered, registered_ids, sync_filters
from app.status.tallies.store import apply_delta

__all__ = [
    "FLUSH_LISTENERS",
    "TALLIED",
    "TALLIED_FIELDS",
    "Conjunction",
    "all_registered",
    "apply_delta",
    "conjunctions_of",
    "count_rows",
    "cover",
    "day_buckets",
    "delete_records",
    "filter_key",
    "matches",
    "read_counts",
    "registered_ids",
    "share_conjunctions",
    "sync_filters",
]
