"""What is tallied: the record types, the stored fields a filter looks at, the canonical
key of a conjunction of record filters, and matching a record against one in Python."""

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from app.broadcasts.models import Broadcast
from app.indicators.measures import AgencyCoverage, RecordFilter, RecordShare, parse_measure
from app.media_products.models import MediaProduct

TALLIED: dict[str, Any] = {"broadcast": Broadcast, "media_product": MediaProduct}
INSTANT = {"broadcast": "started_at", "media_product": "published_at"}
# The stored values a filter looks at; nothing else changes a record's tallies.
TALLIED_FIELDS = {
    "broadcast": ("agency_code", "started_at", "retracted_at", "topics", "origin"),
    "media_product": (
        "agency_code",
        "published_at",
        "retracted_at",
        "topics",
        "kind",
        "channel_kinds",
        "state_commissioned",
        "partner_press",
    ),
}
Conjunction = tuple[RecordFilter, ...]
Filter = tuple[int, Conjunction, tuple[str, ...]]  # id, the filters, the on-topic list


def filter_key(specs: Conjunction, on_topic: Iterable[str]) -> str:
    """The canonical text of a conjunction of filters of one record type, with the plan's
    on-topic list when a filter uses it: equal filters share one tally."""
    uses_topic_list = any(spec.on_topic for spec in specs)
    return json.dumps(
        {
            "record": specs[0].record,
            "all_of": sorted(
                json.dumps(spec.model_dump(mode="json", exclude_defaults=True), sort_keys=True)
                for spec in specs
            ),
            "on_topic": sorted(set(on_topic)) if uses_topic_list else [],
        },
        sort_keys=True,
        ensure_ascii=False,
    )


@lru_cache(maxsize=1024)
def parse_key(key: str) -> tuple[Conjunction, tuple[str, ...]]:
    data = json.loads(key)
    specs = tuple(RecordFilter.model_validate_json(text) for text in data["all_of"])
    return specs, tuple(data["on_topic"])


def share_conjunctions(measure: RecordShare) -> list[Conjunction]:
    """What a record share counts: its base, the base and the numerator, and the base and
    the secondary filter when it has one."""
    found: list[Conjunction] = [(measure.base,), (measure.base, measure.numerator)]
    if measure.secondary is not None:
        found.append((measure.base, measure.secondary.filter))
    return found


def conjunctions_of(measure_data: dict[str, Any]) -> list[Conjunction]:
    """The conjunctions of tallied record filters a measure counts."""
    measure = parse_measure(measure_data)
    if isinstance(measure, AgencyCoverage):
        return [
            (alt,)
            for condition in measure.all_of
            for alt in condition.any_of
            if alt.record in TALLIED
        ]
    if isinstance(measure, RecordShare) and measure.base.record in TALLIED:
        return share_conjunctions(measure)
    return []


def matches(specs: Conjunction, values: Mapping[str, Any], on_topic: Iterable[str]) -> bool:
    """Whether a record with these stored values matches every filter, ignoring the
    window (the tally buckets are the window): record_filters.record_clauses in Python."""
    if values["retracted_at"] is not None:
        return False
    topics = set(values["topics"] or ())
    wanted = set(on_topic)
    for spec in specs:
        if spec.on_topic and not topics & wanted:
            return False
        if any(topic.value not in topics for topic in spec.topics_all):
            return False
        if spec.record == "broadcast":
            if spec.origins and values["origin"] not in {o.value for o in spec.origins}:
                return False
        elif not _product_matches(spec, values):
            return False
    return True


def _product_matches(spec: RecordFilter, values: Mapping[str, Any]) -> bool:
    """The media product's own part of ``matches``: kinds, channel kinds and flags."""
    if spec.kinds and values["kind"] not in {k.value for k in spec.kinds}:
        return False
    channel_kinds = {k.value for k in spec.channel_kinds}
    if channel_kinds and not channel_kinds & set(values["channel_kinds"] or ()):
        return False
    if (
        spec.state_commissioned is not None
        and bool(values["state_commissioned"]) != spec.state_commissioned
    ):
        return False
    return spec.partner_press is None or bool(values["partner_press"]) == spec.partner_press
