from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.agencies.models import Agency
from app.duties.models import Duty, DutyParty
from app.indicators.models import Indicator
from app.plans.models import Plan, PlanSection, Task, TaskParty
from app.seed.loader import seed
from tests.helpers import list_all
from tests.plans.factories import PLAN


def counts(session: Session) -> tuple[int, int, int, int]:
    return (
        session.exec(select(func.count()).select_from(Agency)).one(),
        session.exec(select(func.count()).select_from(Task)).one(),
        session.exec(select(func.count()).select_from(TaskParty)).one(),
        session.exec(select(func.count()).select_from(Indicator)).one(),
    )


def test_seeding_again_adds_nothing(client: TestClient, session: Session) -> None:
    before = counts(session)
    report = seed(session)
    assert str(report).startswith("nothing to add"), str(report)
    assert counts(session) == before
    assert len(list_all(client, f"{PLAN}/tasks")) == 9
    assert len(list_all(client, f"{PLAN}/indicators")) == 16


def test_an_edited_agency_keeps_its_edit_after_seeding_again(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    edit = {"name": "UBND xã Bảo Lâm (đã sửa)", "focal_point": {"name": "Nông Văn Minh"}}
    response = client.patch("/api/v1/agencies/xa-bao-lam", json=edit, headers=admin_headers)
    assert response.status_code == 200, response.text
    edited_task = client.patch(
        f"{PLAN}/tasks/8",
        json={"coordinators": [{"agency_code": "so-khcn"}]},
        headers=admin_headers,
    )
    assert edited_task.status_code == 200, edited_task.text
    report = seed(session)
    assert str(report).startswith("nothing to add"), str(report)
    agency = client.get("/api/v1/agencies/xa-bao-lam").json()
    assert agency["name"] == "UBND xã Bảo Lâm (đã sửa)"
    assert agency["focal_point"]["name"] == "Nông Văn Minh"
    task = client.get(f"{PLAN}/tasks/8").json()
    assert [p["agency_code"] for p in task["coordinators"]] == ["so-khcn"]


def test_seeding_an_older_database_adds_duties_text_and_implements(
    client: TestClient, session: Session
) -> None:
    """A database seeded before section V was loaded gets it, and keeps what it had."""
    plan = session.exec(select(Plan).where(Plan.code == "kh-209-2026")).one()
    assert "01-CTr/BCĐ" in plan.implements  # task 1 and 2 cite it
    plan.implements = [n for n in plan.implements if n != "01-CTr/BCĐ"]
    session.add(plan)
    for model in (DutyParty, Duty, PlanSection):
        for row in session.exec(select(model)).all():
            session.delete(row)
        session.flush()
    report = str(seed(session))
    assert "16 duty" in report and "plan implements" in report and "plan section" in report
    assert len(list_all(client, f"{PLAN}/duties")) == 16
    assert client.get(PLAN).json()["implements"][-1] == "01-CTr/BCĐ"
    assert client.get(f"{PLAN}/document").json()["sections"]
    assert str(seed(session)).startswith("nothing to add")
