from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.agencies.models import Agency
from app.indicators.models import Indicator
from app.plans.models import Task, TaskParty
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
