"""The world the authorization matrix runs in: the nine principals, valid request bodies,
and target resources owned by xa-bao-lam, each made on demand with the admin key so that
every case starts from fresh rows (each test is rolled back)."""

import base64
import csv
import io
from datetime import timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, select

from app.agencies.models import Agency
from app.auth.models import ApiKey
from app.auth.service import create_api_key, revoke_api_key
from app.core.principal import SYSTEM
from app.core.types import utcnow
from app.core.vocab import Scope
from app.imports.layouts import LAYOUTS
from app.imports.schemas import RecordType
from app.imports.templates import build_csv
from tests.imports.helpers import csv_bytes

OWN = "xa-bao-lam"
TEAM = "to-cns-xa-bao-lam"  # the commune's digital team, under it
OTHER = "xa-ly-bon"
PLAN = "kh-209-2026"
TASK = 3  # a seeded task, for progress updates
DUTY = "V.6.1"  # a seeded duty of every department, commune and ward (OWN's too)
INDICATOR = "T2026-5"
GROUP = "he-thong-ttcs"
API = "/api/v1"
COORDINATOR = "so-vhttdl"  # Cao Bằng's coordinating agency: its admin key is the province's
OTHER_PROVINCE = "ha-noi"
OTHER_COORDINATOR = "so-vhttdl-ha-noi"


class Who(StrEnum):
    anonymous = "anonymous"
    other_agency = "other_agency"
    own_agency = "own_agency"
    read_only = "read_only"
    admin = "admin"  # the national administrator (the bootstrap key)
    province_admin = "province_admin"  # an admin key of Cao Bằng's Sở VHTTDL
    other_province_admin = "other_province_admin"  # an admin key of Hà Nội's Sở VHTTDL
    revoked = "revoked"
    expired = "expired"


def _key(
    session: Session, agency_code: str, scopes: list[Scope], *, hours: int | None = None
) -> tuple[str, dict[str, str]]:
    key, secret = create_api_key(
        session,
        agency_code=agency_code,
        scopes=scopes,
        name=f"ma trận quyền {agency_code}",
        expires_at=utcnow() + timedelta(hours=hours) if hours else None,
        actor=SYSTEM,
    )
    session.commit()  # the test is the boundary: the service only flushes
    return key.prefix, {"Authorization": f"Bearer {secret}"}


def principal_headers(session: Session, who: Who, admin_headers: dict[str, str]) -> dict[str, str]:
    """The Authorization header (or none) standing for ``who``."""
    rw = [Scope.read, Scope.write]
    if who is Who.anonymous:
        return {}
    if who is Who.admin:
        return admin_headers
    admin = [Scope.read, Scope.write, Scope.admin]
    if who is Who.province_admin:
        return _key(session, COORDINATOR, admin)[1]
    if who is Who.other_province_admin:
        other_province_coordinator(session)
        return _key(session, OTHER_COORDINATOR, admin)[1]
    if who is Who.other_agency:
        return _key(session, OTHER, rw)[1]
    if who is Who.own_agency:
        return _key(session, OWN, rw)[1]
    if who is Who.read_only:
        return _key(session, OWN, [Scope.read])[1]
    if who is Who.revoked:
        prefix, headers = _key(session, OWN, rw)
        revoke_api_key(session, prefix=prefix, actor=SYSTEM)
        session.commit()
        return headers
    assert who is Who.expired
    # The API refuses an expiry in the past: issue a live key, then let it lapse.
    prefix, headers = _key(session, OWN, rw, hours=1)
    key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).one()
    key.expires_at = utcnow() - timedelta(minutes=5)
    session.add(key)
    session.commit()
    return headers


def other_province_coordinator(session: Session) -> str:
    """Hà Nội's Sở VHTTDL, in the same database as Cao Bằng's seed."""
    if session.exec(select(Agency.id).where(Agency.code == OTHER_COORDINATOR)).first() is None:
        agency = Agency(
            code=OTHER_COORDINATOR,
            name="Sở Văn hóa và Thể thao thành phố Hà Nội",
            kind="department",
            province_code=OTHER_PROVINCE,
        )
        session.add(agency)
        session.commit()
    return OTHER_COORDINATOR


def table_counts(session: Session) -> dict[str, int]:
    """Rows in every table, in one query."""
    tables = SQLModel.metadata.sorted_tables
    query = sa.select(
        *[sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
    )
    row = session.execute(query).one()
    return dict(zip([t.name for t in tables], row, strict=True))


# --- valid bodies -----------------------------------------------------------------------


def channel_body() -> dict[str, Any]:
    return {
        "agency_code": OWN,
        "kind": "loudspeaker_station",
        "name": "Đài truyền thanh xã Bảo Lâm",
    }


def media_product_body(**extra: Any) -> dict[str, Any]:
    return {
        "agency_code": OWN,
        "kind": "article",
        "title": "Bảo Lâm triển khai phong trào Bình dân học vụ số",
        "published_at": "2026-03-14T08:30:00+07:00",
        "topics": ["nq57", "digital_literacy"],
        **extra,
    }


def broadcast_body(**extra: Any) -> dict[str, Any]:
    return {
        "agency_code": OWN,
        "title": "Bản tin Bình dân học vụ số: hướng dẫn cài đặt ứng dụng VNeID",
        "origin": "local",
        "started_at": "2026-03-14T17:30:00+07:00",
        "duration_seconds": 900,
        "topics": ["digital_literacy", "nq57"],
        **extra,
    }


def training_session_body() -> dict[str, Any]:
    return {
        "agency_code": OWN,
        "kind": "training",
        "title": "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng xã Bảo Lâm",
        "started_on": "2026-04-15",
        "ended_on": "2026-04-15",
        "mode": "in_person",
        "attendance": [
            {
                "agency_code": TEAM,
                "audience": "digital_team_members",
                "participants": 12,
                "passed": 11,
            }
        ],
    }


def figure_body() -> dict[str, Any]:
    # The digital team's figure: a key of the commune writes for the agency under it.
    return {"metric": "digital_team_members", "agency_code": TEAM, "period": "2026", "value": 12}


def progress_body() -> dict[str, Any]:
    return {
        "agency_code": OWN,
        "period": "2026-Q1",
        "status": "in_progress",
        "narrative": "Đã phát 12 bản tin về Nghị quyết 57 trên hệ thống loa truyền thanh.",
    }


def duty_body() -> dict[str, Any]:
    return {
        "code": "V.9.1",
        "section": "V.9",
        "owner_text": "Sở Văn hóa, Thể thao và Du lịch",
        "text": "- Thử ma trận quyền truy cập.",
        "leads": [{"agency_code": "so-vhttdl"}],
    }


def agency_body() -> dict[str, Any]:
    return {
        "code": "xa-ma-tran",
        "name": "UBND xã Ma Trận",
        "kind": "commune",
        "parent_code": "ubnd-tinh",
    }


def group_body() -> dict[str, Any]:
    return {"code": "nhom-ma-tran", "name": "Nhóm thử ma trận quyền", "members": [OWN]}


def plan_body() -> dict[str, Any]:
    return {
        "code": "kh-ma-tran",
        "document_number": "999/KH-UBND",
        "title": "Kế hoạch thử ma trận quyền",
        "issued_on": "2026-01-05",
        "issuer_code": "ubnd-tinh",
        "coordinator_code": "so-vhttdl",
        "start_on": "2026-01-05",
        "end_on": "2026-12-31",
    }


def task_body() -> dict[str, Any]:
    return {
        "number": 90,
        "title": "- Thử ma trận quyền truy cập.",
        "schedule_kind": "recurring",
        "deadline_text": "Thường xuyên",
        "leads": [{"agency_code": "so-vhttdl"}],
    }


def indicator_body() -> dict[str, Any]:
    return {
        "code": "T2026-90",
        "title": "100% xã, phường phát lại bản tin về Nghị quyết 57-NQ/TW.",
        "target_year": 2026,
        "target_value": 100,
        "window": "year",
        "measure": {
            "kind": "agency_coverage",
            "group": GROUP,
            "all_of": [{"any_of": [{"record": "broadcast", "on_topic": True}]}],
        },
    }


def api_key_body() -> dict[str, Any]:
    return {"agency_code": OWN, "scopes": ["read", "write"], "name": "Loa IP xã Bảo Lâm"}


def report_body(**extra: Any) -> dict[str, Any]:
    # Q1 has begun (a report for a period still to come is refused); submit needs results.
    return {
        "plan_code": PLAN,
        "agency_code": OWN,
        "period": "2026-Q1",
        "results": "Đài truyền thanh xã tiếp sóng các chương trình về Nghị quyết số 57-NQ/TW.",
        **extra,
    }


def report_request_body() -> dict[str, Any]:
    return {
        "plan_code": PLAN,
        "title": "Báo cáo đột xuất kết quả tuyên truyền Nghị quyết số 57-NQ/TW",
        "reference": "512/SVHTTDL-TTBCXB",
        "window_start": "2026-01-27",
        "window_end": "2026-05-31",
        "due_on": "2026-06-05",
        "agency_codes": [OWN],
    }


def budget_line_body(**extra: Any) -> dict[str, Any]:
    return {
        "plan_code": PLAN,
        "task_number": 8,
        "agency_code": OWN,
        "year": 2026,
        "content": "Pano, áp phích tuyên truyền Nghị quyết số 57-NQ/TW tại trung tâm xã",
        "estimate_vnd": 45_000_000,
        **extra,
    }


def import_body() -> dict[str, Any]:
    """An upload in its JSON form: the CSV template's header with one airing of OWN under
    it (the template's example row dropped, as a person filling it would)."""
    template = build_csv(LAYOUTS[RecordType.broadcasts]).decode("utf-8-sig")
    header = next(line for line in csv.reader(io.StringIO(template)) if line[0][:1] != "#")
    cells = {
        "Xã, phường (*)": OWN,
        "Thời gian bắt đầu phát (*)": "20/03/2026 17:30",
        "Thời lượng (phút) (*)": "15",
        "Tên tin, bài, chương trình (*)": "Bản tin Nghị quyết 57-NQ/TW của xã Bảo Lâm",
        "Nguồn nội dung (*)": "Cơ sở tự sản xuất",
    }
    assert cells.keys() <= set(header), header
    content = csv_bytes([header, [cells.get(title, "") for title in header]])
    return {
        "record_type": RecordType.broadcasts.value,
        "file_name": "so-phat-thanh-xa-bao-lam.csv",
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


# --- targets ----------------------------------------------------------------------------


class World:
    """Target resources, each created with the admin key the first time it is asked for."""

    def __init__(self, client: TestClient, session: Session, admin: dict[str, str]) -> None:
        self.client, self.session, self.admin = client, session, admin

    def _create(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(API + url, json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    @cached_property
    def spreadsheet_import(self) -> int:
        """Uploaded with a write key of OWN (an admin key's upload is the admin's agency's),
        its row created."""
        headers = _key(self.session, OWN, [Scope.read, Scope.write])[1]
        response = self.client.post(f"{API}/imports", json=import_body(), headers=headers)
        assert response.status_code == 201, response.text
        assert response.json()["counts"]["created"] == 1, response.text
        return int(response.json()["id"])

    @cached_property
    def channel(self) -> int:
        return int(self._create("/channels", channel_body())["id"])

    @cached_property
    def media_product(self) -> int:
        return int(self._create("/media-products", media_product_body())["id"])

    @cached_property
    def broadcast(self) -> int:
        return int(self._create("/broadcasts", broadcast_body())["id"])

    @cached_property
    def training_session(self) -> int:
        return int(self._create("/training-sessions", training_session_body())["id"])

    @cached_property
    def figure(self) -> int:
        body = {**figure_body(), "agency_code": OWN, "metric": "staff_total", "value": 40}
        return int(self._create("/figures", body)["id"])

    @cached_property
    def progress(self) -> int:
        return int(self._create(f"/plans/{PLAN}/tasks/{TASK}/progress", progress_body())["id"])

    @cached_property
    def duty_progress(self) -> int:
        return int(self._create(f"/plans/{PLAN}/duties/{DUTY}/progress", progress_body())["id"])

    @cached_property
    def duty(self) -> str:
        return str(self._create(f"/plans/{PLAN}/duties", duty_body())["code"])

    @cached_property
    def agency(self) -> str:
        return str(self._create("/agencies", agency_body())["code"])

    @cached_property
    def group(self) -> str:
        return str(self._create("/agency-groups", group_body())["code"])

    @cached_property
    def plan(self) -> str:
        return str(self._create("/plans", plan_body())["code"])

    @cached_property
    def task(self) -> int:
        return int(self._create(f"/plans/{PLAN}/tasks", task_body())["number"])

    @cached_property
    def indicator(self) -> str:
        return str(self._create(f"/plans/{PLAN}/indicators", indicator_body())["code"])

    @cached_property
    def api_key(self) -> str:
        return _key(self.session, OWN, [Scope.read])[0]

    @cached_property
    def report(self) -> int:
        """A draft with its results section: editable, deletable, ready to submit."""
        return int(self._create("/reports", report_body())["id"])

    @cached_property
    def submitted_report(self) -> int:
        """Awaiting review: the coordinator may accept or return it."""
        report_id = int(self._create("/reports", report_body(period="2026-Q2"))["id"])
        response = self.client.post(f"{API}/reports/{report_id}/submit", headers=self.admin)
        assert response.status_code == 200, response.text
        return report_id

    @cached_property
    def report_request(self) -> int:
        """No agency has answered it yet, so it can still be deleted."""
        return int(self._create("/report-requests", report_request_body())["id"])

    @cached_property
    def budget_line(self) -> int:
        """Not approved yet, so the agency may still change or delete it."""
        return int(self._create("/budget-lines", budget_line_body(task_number=3))["id"])
