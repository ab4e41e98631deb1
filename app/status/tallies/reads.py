"""Reading the tallies: the buckets that make up a window's whole days, and the counts
per filter and agency over them."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.core.filters import one_of
from app.status.tallies.store import TALLY_TABLE


def _year_start(day: date) -> date:
    return date(day.year, 1, 1)


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def cover(start: date, end: date) -> list[str]:
    """The fewest year, month and day buckets that make up the days [start, end)."""
    buckets: list[str] = []
    day = start
    while day < end:
        if day.month == 1 and day.day == 1 and date(day.year + 1, 1, 1) <= end:
            buckets.append(f"{day.year:04d}")
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _next_month(day) <= end:
            buckets.append(f"{day.year:04d}-{day.month:02d}")
            day = _next_month(day)
        else:
            buckets.append(day.isoformat())
            day = date.fromordinal(day.toordinal() + 1)
    return buckets


def day_buckets(start: date, end: date) -> tuple[list[str], list[str]]:
    """Buckets to add and to subtract for the days [start, end): either a plain cover, or
    whole years less what lies outside, whichever reads fewer buckets. A window that ends
    today reads one year bucket less the (usually empty) days still to come."""
    plain = cover(start, end)
    first = _year_start(start)
    last = date(end.year + (end != _year_start(end)), 1, 1)
    years = cover(first, last)
    outside = cover(first, start) + cover(end, last)
    if len(years) + len(outside) < len(plain):
        return years, outside
    return plain, []


def read_counts(
    connection: Connection,
    filter_ids: list[int],
    add: list[str],
    subtract: list[str],
    codes: list[str] | None,
) -> dict[int, dict[str, int]]:
    """Per filter and agency: the sum of the ``add`` buckets less the ``subtract`` ones.

    One SELECT per bucket, summed over their UNION ALL: with each bucket an equality, an
    index on (agency_code, bucket, …) answers each with one descent per agency. A list of
    buckets would make PostgreSQL (15) test the bucket on every entry of each agency
    instead, reading far more of the index than the equalities do."""
    table = TALLY_TABLE
    # One clause, so the codes are sent once however many buckets name them.
    of_agencies = (
        one_of(connection.dialect.name, table.c.agency_code, codes) if codes is not None else None
    )
    parts = []
    for bucket, sign in [(b, 1) for b in add] + [(b, -1) for b in subtract]:
        part = sa.select(
            table.c.filter_id, table.c.agency_code, (table.c.n * sign).label("n")
        ).where(table.c.bucket == bucket, table.c.filter_id.in_(filter_ids))
        if of_agencies is not None:
            part = part.where(of_agencies)
        parts.append(part)
    found: dict[int, dict[str, int]] = {fid: {} for fid in filter_ids}
    if not parts:  # a window of no whole day
        return found
    counted = sa.union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    statement = sa.select(counted.c.filter_id, counted.c.agency_code, sa.func.sum(counted.c.n))
    statement = statement.group_by(counted.c.filter_id, counted.c.agency_code)
    for fid, agency_code, total in connection.execute(statement).all():
        found[int(fid)][agency_code] = int(total or 0)
    return found
