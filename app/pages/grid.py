"""Communes × indicators: which commune or ward counts towards which indicator.

A cell is the commune's own row in the indicator's breakdown or, for the indicators about
community digital teams (T2026-6, T2030-6), its team's row: the team works in the commune
and the commune answers for it. Rows are the communes and wards found in the evaluated
populations; the catalogue only says which agencies are communes and which team belongs
where.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.core.text import fold
from app.core.vocab import AgencyKind
from app.pages.format import agency_kind_vi
from app.pages.links import View
from app.pages.views import entry
from app.status.schemas import PlanStatus

UNIT_KINDS = (AgencyKind.commune.value, AgencyKind.ward.value)
TEAM_KIND = AgencyKind.community_digital_team.value
GRID_SORTS = {"lag": "Số chỉ tiêu chưa đạt", "name": "Tên xã, phường"}


@dataclass(frozen=True)
class GridColumn:
    code: str
    title: str
    href: str
    lagging: int  # communes (or their teams) in the population that do not count
    population: int


@dataclass(frozen=True)
class GridCell:
    state: str  # "yes", "no" or "none" (not in the indicator's population)
    symbol: str
    text: str


@dataclass(frozen=True)
class GridRow:
    code: str
    name: str
    kind: str
    cells: list[GridCell]
    lagging: int


CELLS = {
    "yes": GridCell("yes", "✔", "Đạt"),
    "no": GridCell("no", "✘", "Chưa đạt"),
    "none": GridCell("none", "·", "Không thuộc đối tượng"),
}


def _units(session: Session, codes: set[str]) -> tuple[list[Agency], dict[str, str]]:
    """The communes and wards among ``codes`` or owning a team among them, and each
    team's commune."""
    found = session.exec(select(Agency).where(col(Agency.code).in_(sorted(codes)))).all()
    team_of = {a.code: a.parent_code for a in found if a.kind == TEAM_KIND and a.parent_code}
    units = {a.code: a for a in found if a.kind in UNIT_KINDS}
    missing = {p for p in team_of.values() if p not in units}
    if missing:
        for agency in session.exec(select(Agency).where(col(Agency.code).in_(sorted(missing)))):
            if agency.kind in UNIT_KINDS:
                units[agency.code] = agency
    unit_of_team = {team: unit for team, unit in team_of.items() if unit in units}
    return list(units.values()), unit_of_team


def commune_grid(
    session: Session, view: View, status: PlanStatus, sort: str
) -> tuple[list[GridColumn], list[GridRow]]:
    """Columns: the indicators whose population holds a commune, a ward or a team."""
    per_indicator: list[tuple[str, str, dict[str, bool]]] = []
    codes: set[str] = set()
    for indicator in status.indicators:
        counts = {
            row["agency_code"]: bool(row["counts"])
            for row in (entry(item) for item in indicator.breakdown)
        }
        codes.update(counts)
        per_indicator.append((indicator.code, indicator.title, counts))
    units, unit_of_team = _units(session, codes)
    unit_codes = {u.code for u in units}
    # Each indicator's verdict per commune: its own row, else its team's.
    verdicts: list[tuple[str, str, dict[str, bool]]] = []
    for code, title, counts in per_indicator:
        by_unit = {a: c for a, c in counts.items() if a in unit_codes}
        for team, owner in unit_of_team.items():
            if team in counts and owner not in by_unit:
                by_unit[owner] = counts[team]
        if by_unit:
            verdicts.append((code, title, by_unit))
    columns = [
        GridColumn(code, title, view.indicator_page(code), sum(not c for c in v.values()), len(v))
        for code, title, v in verdicts
    ]
    rows = []
    for unit in units:
        states = [
            "none" if unit.code not in v else ("yes" if v[unit.code] else "no")
            for _code, _title, v in verdicts
        ]
        rows.append(
            GridRow(
                code=unit.code,
                name=unit.name,
                kind=agency_kind_vi(unit.kind),
                cells=[CELLS[s] for s in states],
                lagging=states.count("no"),
            )
        )
    rows.sort(key=lambda r: (fold(r.name), r.name))
    if sort == "lag":
        rows.sort(key=lambda r: -r.lagging)  # stable: ties in name order
    return columns, rows
