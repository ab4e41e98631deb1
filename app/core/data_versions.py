"""Versions of the data that changes rarely, so that what is computed from it can be kept.

Indicator status reads, besides the records the tallies count, the catalogue (agencies
and groups), the channels, the figures and the training done: data written a few times a
day, read on every status request. Each of these domains has a row in ``data_version`` whose version
changes with every statement that writes one of its tables: database triggers (created by
the ``status_caches`` migration) set it, so every way of writing counts, the API, bulk
statements, SQL by hand, restores. A version is never given twice (a sequence on
PostgreSQL, a random 64-bit number on SQLite), so a version seen inside a transaction that
is then rolled back never comes back with other data.

Triggers do not fire while ``session_replication_role`` is ``replica`` (how the benchmark
generator loads): a service already running keeps what it computed before such a load.
"""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session

from app.core.base import SQLModel

# The tables whose writes change each domain's version.
DOMAINS: dict[str, tuple[str, ...]] = {
    "catalogue": ("agency", "agency_group", "agency_group_member"),
    "channels": ("channel",),
    "figures": ("figure",),
    "training": ("training_session", "training_attendance", "training_participant"),
}


class DataVersion(SQLModel, table=True):
    """The current version of a domain's data (see app/core/data_versions.py)."""

    __tablename__ = "data_version"

    domain: str = Field(sa_type=sa.String(40), primary_key=True)
    version: int = Field(sa_type=sa.BigInteger)


def read_versions(session: Session) -> dict[str, Any]:
    """Each domain's version now; a domain without a row has none (nothing is kept)."""
    rows = session.execute(sa.select(DataVersion.domain, DataVersion.version))  # type: ignore[call-overload]
    return {domain: version for domain, version in rows}
