"""The URLs the pages link to: each other, the widgets, and the JSON behind each page.

A page's URL says what it shows (plan, indicator, ``period``, ``as_of``, sort order), so a
link can be shared; the JSON link carries the same ``period`` and ``as_of``.
"""

from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode

API = "/api/v1"


@dataclass(frozen=True)
class View:
    """What a status page shows: its plan and the ``period`` and ``as_of`` asked for
    (``None``: the API's defaults, the year of ``as_of`` and now)."""

    root: str  # the prefix a proxy serves the app under, or ""
    plan: str
    period: str | None = None
    as_of: str | None = None

    def query(self, **more: str | None) -> str:
        pairs = {"period": self.period, "as_of": self.as_of, **more}
        given = {name: value for name, value in pairs.items() if value}
        return "?" + urlencode(given) if given else ""

    @property
    def plan_path(self) -> str:
        return f"{self.root}/plans/{quote(self.plan, safe='')}"

    def plan_page(self) -> str:
        return self.plan_path + self.query()

    def indicator_page(self, code: str, sort: str | None = None) -> str:
        return f"{self.plan_path}/indicators/{quote(code, safe='')}" + self.query(sort=sort)

    def communes_page(self, sort: str | None = None) -> str:
        return f"{self.plan_path}/communes" + self.query(sort=sort)

    def reports_page(self) -> str:
        """The compliance board has periods of its own (NĐ 09/2019): only as_of carries."""
        return f"{self.plan_path}/reports" + replace(self, period=None).query()

    def _plan(self, prefix: str, *rest: str) -> str:
        """``{root}{prefix}/plans/{plan}/…``, each part quoted, with the view's query."""
        parts = (self.plan, *rest)
        return f"{self.root}{prefix}/plans/" + "/".join(quote(p, safe="") for p in parts)

    def plan_api(self) -> str:
        return self._plan(API) + "/status" + self.query()

    def indicator_api(self, code: str) -> str:
        return self._plan(API, "indicators", code) + "/status" + self.query()

    def plan_embed(self) -> str:
        return self._plan("/embed") + self.query()

    def indicator_embed(self, code: str) -> str:
        return self._plan("/embed", "indicators", code) + self.query()

    def badge(self, code: str) -> str:
        return self._plan("/embed", "indicators", code) + "/badge.svg" + self.query()

    def static(self, name: str) -> str:
        return f"{self.root}/pages-assets/{name}"


def compliance_api(root: str, plan: str, period: str, as_of: str | None) -> str:
    given = {"plan": plan, "period": period, "as_of": as_of}
    return f"{root}{API}/reports/compliance?" + urlencode(
        {name: value for name, value in given.items() if value}
    )
