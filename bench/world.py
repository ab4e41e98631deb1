"""The synthetic nation as the generator keeps it in memory while it loads."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench.material import Province

LOADED_AT = datetime(2026, 1, 2, 1, 0, tzinfo=UTC)
SEED_PLAN = "kh-209-2026"


@dataclass
class ProvinceWorld:
    province: Province
    plan_code: str
    ubnd: str
    party: str
    portal: str
    units: list[str] = field(default_factory=list)  # communes and wards
    teams: list[str] = field(default_factory=list)  # to-cns-<unit>, parallel to units
    departments: list[str] = field(default_factory=list)
    press: list[str] = field(default_factory=list)
    mass: list[str] = field(default_factory=list)
    place: dict[str, str] = field(default_factory=dict)  # code -> place name for titles
    kinds: dict[str, str] = field(default_factory=dict)  # code -> agency kind
    channels: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        head = [self.ubnd, self.party, self.portal]
        return head + self.departments + self.press + self.mass + self.units + self.teams

    def channel(self, code: str, kind: str) -> list[int]:
        return self.channels.get(code, {}).get(kind, [])


@dataclass
class World:
    provinces: list[ProvinceWorld]
    kind_of: dict[str, str]
