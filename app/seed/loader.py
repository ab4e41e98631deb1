"""Loads the shipped seed: the province's agencies (CSV) and a plan (JSON).

Only what is missing is inserted, matched by stable codes: running it twice changes
nothing, and an agency an operator edited keeps the edit.
"""

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app.agencies.models import Agency, AgencyGroup, AgencyGroupMember
from app.audit.service import record_change, snapshot
from app.core import write_hooks
from app.core.principal import SYSTEM
from app.duties.models import Duty, DutyParty
from app.indicators.measures import validate_measure
from app.indicators.models import Indicator
from app.plans.document import SectionSpec, has_document, parse_plan_text, replace_document
from app.plans.models import Plan, Task, TaskParty
from app.plans.service import PLAN_TRAIL

DATA = resources.files("app.seed") / "data"
AGENCIES_CSV = "cao-bang-agencies.csv"
PLAN_FILES = ("kh-209-2026.json",)
DIGITAL_TEAM_PARENT_KINDS = ("commune", "ward")


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, entity: str) -> None:
        self.created[entity] = self.created.get(entity, 0) + 1

    def __str__(self) -> str:
        if not self.created:
            return "nothing to add: the database holds the seed already"
        return ", ".join(f"{n} {entity}" for entity, n in sorted(self.created.items()))


def _add(session: Session, report: SeedReport, entity: str, row: Any, entity_id: str) -> None:
    session.add(row)
    record_change(
        session,
        actor=SYSTEM,
        action="create",
        entity=entity,
        row=row,
        before=None,
        entity_id=entity_id,
    )
    report.count(entity)


def _optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_agencies(
    session: Session, rows: list[dict[str, str]], report: SeedReport, *, province: str | None
) -> None:
    """``province``: that of a row naming none whose parent has none (the CSV's optional
    ``province`` column names it; a row without one inherits its parent's)."""
    provinces = dict(session.exec(select(Agency.code, Agency.province_code)).all())
    existing = set(provinces)
    pending = [row for row in rows if row["code"] not in existing]
    # Parents first: repeat passes until every row whose parent exists is in.
    while pending:
        progressed = False
        for row in list(pending):
            parent = row.get("parent") or None
            if parent is None or parent in existing:
                agency = Agency.model_validate(
                    {
                        "code": row["code"],
                        "name": row["name"],
                        "kind": row["kind"],
                        "parent_code": parent,
                        "province_code": row.get("province")
                        or (provinces.get(parent) if parent else None)
                        or province,
                        "admin_code": row.get("admin_code") or None,
                        "valid_from": _optional_date(row.get("valid_from")),
                        "valid_to": _optional_date(row.get("valid_to")),
                        # A focal point's role where the list knows it; the person, email
                        # and phone are the agency's to fill in (PATCH /agencies/{code}).
                        "contact_title": row.get("contact_title") or None,
                    }
                )
                _add(session, report, "agency", agency, agency.code)
                existing.add(agency.code)
                provinces[agency.code] = agency.province_code
                pending.remove(row)
                progressed = True
        if not progressed:
            missing = sorted({row["parent"] for row in pending})
            raise ValueError(f"agencies with unknown parents: {missing}")


def load_digital_teams(session: Session, report: SeedReport) -> None:
    """One Tổ công nghệ số cộng đồng under each commune and ward."""
    existing = set(session.exec(select(Agency.code)).all())
    units = session.exec(
        select(Agency).where(Agency.kind.in_(DIGITAL_TEAM_PARENT_KINDS)).order_by(Agency.code)  # type: ignore[attr-defined]
    ).all()
    for unit in units:
        code = f"to-cns-{unit.code}"
        if code in existing:
            continue
        place = unit.name.removeprefix("UBND ").strip()
        team = Agency.model_validate(
            {
                "code": code,
                "name": f"Tổ công nghệ số cộng đồng {place}",
                "kind": "community_digital_team",
                "parent_code": unit.code,
                "province_code": unit.province_code,
                "valid_from": unit.valid_from,
            }
        )
        _add(session, report, "agency", team, code)


def load_groups(session: Session, groups: list[dict[str, Any]], report: SeedReport) -> None:
    existing = set(session.exec(select(AgencyGroup.code)).all())
    for spec in groups:
        if spec["code"] in existing:
            continue
        group = AgencyGroup.model_validate({k: v for k, v in spec.items() if k != "members"})
        _add(session, report, "agency_group", group, group.code)
        for member in spec.get("members", []):
            session.add(AgencyGroupMember(group_id=group.id or 0, agency_code=member))


def _fill_feed_keywords(
    session: Session, plan: Plan, spec: dict[str, Any], report: SeedReport
) -> None:
    """A plan from before feed keywords existed (NULL) gets the shipped list, once: an
    operator's list, even an empty one, is never replaced."""
    if plan.feed_keywords is not None or "feed_keywords" not in spec:
        return
    _update_plan(
        session, plan, report, "plan feed keywords", feed_keywords=list(spec["feed_keywords"])
    )


def _fill_implements(
    session: Session, plan: Plan, spec: dict[str, Any], report: SeedReport
) -> None:
    """Documents the shipped plan implements and the database's lacks are added (the
    plan's legal basis only grows: 01-CTr/BCĐ came with the duties)."""
    missing = [number for number in spec.get("implements", []) if number not in plan.implements]
    if not missing:
        return
    _update_plan(session, plan, report, "plan implements", implements=[*plan.implements, *missing])


def _update_plan(
    session: Session, plan: Plan, report: SeedReport, what: str, **changes: Any
) -> None:
    """Fill what an older database's plan lacks, audited as the system's update."""
    before = snapshot(plan)
    for name, value in changes.items():
        setattr(plan, name, value)
    session.add(plan)
    PLAN_TRAIL.record(session, SYSTEM, "update", plan, before=before)
    report.count(what)


def load_document(
    session: Session, plan: Plan, document: dict[str, Any], report: SeedReport
) -> list[SectionSpec]:
    """The plan's text, parsed; stored once (a plan that has its text keeps it)."""
    name = document.get("document_text")
    if not name:
        return []
    sections = parse_plan_text((DATA / name).read_text("utf-8"))
    if not has_document(session, plan):
        replace_document(session, plan=plan, sections=sections)
        for _ in sections:
            report.count("plan section")
    return sections


def duty_wording(sections: list[SectionSpec], code: str) -> tuple[str, str, str]:
    """(section, owner heading, text) of duty ``code`` in the parsed plan: ``V.4`` is the
    one paragraph of section V.4, ``V.2.3`` the third item of section V.2."""
    by_number = {s.number: s for s in sections if s.number}
    whole = by_number.get(code)
    if whole is not None and len(whole.paragraphs) == 1:
        return code, whole.heading or "", whole.paragraphs[0].text
    number, _, index = code.rpartition(".")
    section = by_number.get(number)
    if section is None or not index.isdigit() or not 1 <= int(index) <= len(section.paragraphs):
        raise ValueError(f"duty {code} is not in the plan's text")
    return number, section.heading or "", section.paragraphs[int(index) - 1].text


def load_duties(
    session: Session,
    plan: Plan,
    specs: list[dict[str, Any]],
    sections: list[SectionSpec],
    report: SeedReport,
) -> None:
    """Section V duties, worded from the plan's text, owners from the seed file."""
    codes = set(session.exec(select(Duty.code).where(Duty.plan_id == plan.id)).all())
    for position, spec in enumerate(specs, start=1):
        if spec["code"] in codes:
            continue
        section, owner_text, text = duty_wording(sections, spec["code"])
        duty = Duty.model_validate(
            {
                "plan_id": plan.id,
                "code": spec["code"],
                "section": section,
                "position": position,
                "owner_text": owner_text,
                "text": text,
                "coordinating_text": spec.get("coordinating_text"),
            }
        )
        _add(session, report, "duty", duty, f"{plan.code}/{duty.code}")
        for role, key in (("lead", "leads"), ("coordinating", "coordinators")):
            for index, party in enumerate(spec[key]):
                session.add(DutyParty(duty_id=duty.id or 0, role=role, position=index, **party))


def load_plan(session: Session, document: dict[str, Any], report: SeedReport) -> None:
    spec = document["plan"]
    plan = session.exec(select(Plan).where(Plan.code == spec["code"])).first()
    if plan is None:
        plan = Plan.model_validate(
            {
                **spec,
                "issued_on": date.fromisoformat(spec["issued_on"]),
                "start_on": date.fromisoformat(spec["start_on"]),
                "end_on": date.fromisoformat(spec["end_on"]),
            }
        )
        _add(session, report, "plan", plan, plan.code)
    _fill_feed_keywords(session, plan, spec, report)
    _fill_implements(session, plan, spec, report)
    sections = load_document(session, plan, document, report)
    load_duties(session, plan, document.get("duties", []), sections, report)
    plan_id = plan.id or 0

    numbers = set(session.exec(select(Task.number).where(Task.plan_id == plan_id)).all())
    for task_spec in document["tasks"]:
        if task_spec["number"] in numbers:
            continue
        task = Task.model_validate(
            {
                **{k: v for k, v in task_spec.items() if k not in ("leads", "coordinators")},
                "plan_id": plan_id,
            }
        )
        _add(session, report, "task", task, f"{spec['code']}/{task.number}")
        for role, key in (("lead", "leads"), ("coordinating", "coordinators")):
            for position, party in enumerate(task_spec[key]):
                session.add(TaskParty(task_id=task.id or 0, role=role, position=position, **party))

    codes = set(session.exec(select(Indicator.code).where(Indicator.plan_id == plan_id)).all())
    for ind_spec in document["indicators"]:
        if ind_spec["code"] in codes:
            continue
        validate_measure(ind_spec["measure"])
        indicator = Indicator.model_validate({**ind_spec, "plan_id": plan_id})
        _add(session, report, "indicator", indicator, f"{spec['code']}/{indicator.code}")


def read_agencies_csv(path: Path | None = None) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8") if path else (DATA / AGENCIES_CSV).read_text("utf-8")
    return [
        {key: (value or "").strip() for key, value in row.items()}
        for row in csv.DictReader(text.splitlines())
    ]


def seed(session: Session, *, agencies_csv: Path | None = None) -> SeedReport:
    """Load everything the project ships, in one transaction."""
    report = SeedReport()
    documents = [json.loads((DATA / name).read_text("utf-8")) for name in PLAN_FILES]
    province = documents[0]["plan"].get("province_code")
    load_agencies(session, read_agencies_csv(agencies_csv), report, province=province)
    load_digital_teams(session, report)
    for document in documents:
        load_groups(session, document["agency_groups"], report)
        load_plan(session, document, report)
    session.flush()
    write_hooks.catalogue_changed(session)
    session.commit()
    return report
