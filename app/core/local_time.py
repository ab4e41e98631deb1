"""The province's clock: days are local calendar days in Asia/Ho_Chi_Minh (UTC+7)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_midnight(day: date) -> datetime:
    """The instant a local day starts."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()
