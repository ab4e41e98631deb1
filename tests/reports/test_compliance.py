"""Compliance: each expected agency on time, late, missing or not yet due."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.agencies.models import Agency
from app.core.vocab import Scope
from tests.helpers import assert_problem
from tests.reports.helpers import PLAN, REPORTS, act, at, create_report, key_headers

COMPLIANCE = f"{REPORTS}/compliance"


def _file_q1_reports(
    client: TestClient, session: Session, admin: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Q1 2026 (deadline Friday 20/03/2026): one on time, one late, one returned and
    resubmitted after the deadline, one returned and resubmitted in time, one returned and
    never resubmitted, one left a draft."""
    on_time = create_report(client, key_headers(session, "xa-bao-lam"), "xa-bao-lam")
    act(client, monkeypatch, on_time["id"], "submit", admin, at("2026-03-20", "23:59"))
    late = create_report(client, admin, "xa-ly-bon")
    act(client, monkeypatch, late["id"], "submit", admin, at("2026-03-21", "00:00"))
    resent_late = create_report(client, admin, "bao-ptth-cb")
    act(client, monkeypatch, resent_late["id"], "submit", admin, at("2026-03-16"))
    act(client, monkeypatch, resent_late["id"], "return", admin, at("2026-03-19"),
        {"comment": "Bổ sung số liệu."})  # fmt: skip
    act(client, monkeypatch, resent_late["id"], "submit", admin, at("2026-03-24"))
    act(client, monkeypatch, resent_late["id"], "accept", admin, at("2026-03-25"), {})
    resent = create_report(client, admin, "cong-ttdt-tinh")
    act(client, monkeypatch, resent["id"], "submit", admin, at("2026-03-16"))
    act(client, monkeypatch, resent["id"], "return", admin, at("2026-03-17"), {"comment": "Sửa."})
    act(client, monkeypatch, resent["id"], "submit", admin, at("2026-03-19"))
    returned = create_report(client, admin, "tap-chi-nncb")
    act(client, monkeypatch, returned["id"], "submit", admin, at("2026-03-16"))
    act(client, monkeypatch, returned["id"], "return", admin, at("2026-03-17"), {"comment": "Sửa."})
    create_report(client, admin, "so-khcn")  # a draft


def test_compliance_names_each_agency(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _file_q1_reports(client, session, admin_headers, monkeypatch)
    reader = key_headers(session, "xa-ha-quang", [Scope.read])
    response = client.get(COMPLIANCE, params={"plan": PLAN, "period": "2026-q1"}, headers=reader)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["period"], body["window_start"], body["window_end"]) == (
        "2026-Q1", "2025-12-15", "2026-03-14",
    )  # fmt: skip
    assert body["deadline"] == "2026-03-20"
    states = {e["agency_code"]: e["state"] for e in body["agencies"]}
    named = {
        "xa-bao-lam": "on_time",
        "xa-ly-bon": "late",
        "bao-ptth-cb": "late",
        "cong-ttdt-tinh": "on_time",
        "tap-chi-nncb": "missing",
        "so-khcn": "missing",
    }
    assert {code: states[code] for code in named} == named
    others = {code: state for code, state in states.items() if code not in named}
    assert set(others.values()) == {"missing"}
    # Who is expected: the agencies leading or coordinating a task or a section V duty
    # (groups expanded), less the coordinator, the issuer and the community digital teams.
    communes = session.exec(
        select(Agency.code).where(col(Agency.kind).in_(["commune", "ward"]))
    ).all()
    assert set(communes) <= set(states)
    assert {"so-tc", "so-nv", "bao-ptth-cb", "tap-chi-nncb", "cong-ttdt-tinh"} <= set(states)
    # Section V.1: the party's board, the Front and the mass organisations under it.
    assert {"ban-tgdv-tu", "ubmttq-tinh", "tinh-doan", "hoi-lhpn-tinh", "ldld-tinh"} <= set(states)
    assert not {"so-vhttdl", "ubnd-tinh"} & set(states)
    assert not [code for code in states if code.startswith("to-cns-")]
    assert all(e["expected"] for e in body["agencies"])
    assert body["summary"] == {
        "on_time": 2, "late": 2, "missing": len(states) - 4, "not_due": 0,
    }  # fmt: skip
    entry = next(e for e in body["agencies"] if e["agency_code"] == "tap-chi-nncb")
    assert entry["report_status"] == "returned" and entry["submission_count"] == 1
    entry = next(e for e in body["agencies"] if e["agency_code"] == "bao-ptth-cb")
    assert entry["report_status"] == "accepted" and entry["submission_count"] == 2
    assert entry["state_label_vi"] == "Nộp muộn"
    assert set(entry["focal_point"]) == {"name", "title", "email", "phone"}


def test_compliance_before_the_deadline(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _file_q1_reports(client, session, admin_headers, monkeypatch)
    params = {"plan": PLAN, "period": "2026-Q1", "as_of": "2026-03-20T23:59:30+07:00"}
    body = client.get(COMPLIANCE, params=params, headers=admin_headers).json()
    states = {e["agency_code"]: e["state"] for e in body["agencies"]}
    assert states["xa-bao-lam"] == "on_time"
    assert states["cong-ttdt-tinh"] == "on_time"
    # Submissions made after as_of are not seen yet.
    assert states["xa-ly-bon"] == "not_due" and states["bao-ptth-cb"] == "not_due"
    assert states["tap-chi-nncb"] == "not_due"
    assert body["summary"]["missing"] == 0
    late_only = client.get(
        COMPLIANCE, params={"plan": PLAN, "period": "2026-Q1", "state": "late"},
        headers=admin_headers,
    ).json()  # fmt: skip
    assert [e["agency_code"] for e in late_only["agencies"]] == ["bao-ptth-cb", "xa-ly-bon"]


def test_compliance_lists_unexpected_reporters(
    client: TestClient, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The issuer is never expected (it receives the consolidated report).
    report = create_report(client, admin_headers, "ubnd-tinh")
    act(client, monkeypatch, report["id"], "submit", admin_headers, at("2026-03-18"))
    body = client.get(
        COMPLIANCE, params={"plan": PLAN, "period": "2026-Q1"}, headers=admin_headers
    ).json()
    entry = next(e for e in body["agencies"] if e["agency_code"] == "ubnd-tinh")
    assert entry["expected"] is False and entry["state"] == "on_time"


@pytest.mark.parametrize(
    "params",
    [
        {"plan": PLAN},
        {"plan": PLAN, "period": "2026-H2"},
        {"plan": PLAN, "period": "2025"},
        {"period": "2026-Q1"},
        {"plan": PLAN, "period": "2026-Q1", "request": 1},
        {"plan": PLAN, "period": "2026-Q1", "as_of": "2026-03-20T17:00:00"},
        {"plan": PLAN, "period": "2026-Q1", "state": "lost"},
        {"plan": PLAN, "period": "x" * 11},
        {"request": 2**63},
    ],
)
def test_compliance_bad_query(
    client: TestClient, admin_headers: dict[str, str], params: dict[str, object]
) -> None:
    assert_problem(client.get(COMPLIANCE, params=params, headers=admin_headers), 422)


def test_compliance_unknown_and_anonymous(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    params = {"plan": "kh-khong-co", "period": "2026-Q1"}
    assert_problem(client.get(COMPLIANCE, params=params, headers=admin_headers), 404)
    assert_problem(client.get(COMPLIANCE, params={"request": 999999}, headers=admin_headers), 404)
    assert_problem(client.get(COMPLIANCE, params={"plan": PLAN, "period": "2026-Q1"}), 401)
