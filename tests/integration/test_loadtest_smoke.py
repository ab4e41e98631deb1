"""A few seconds of bench/loadtest.py: its plumbing works and loses nothing."""

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.broadcasts.models import Broadcast
from app.status import tallies
from bench import loadtest
from tests.conftest import TEST_DATABASE_URL
from tests.integration.servers import free_port

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="the load test's two workers write at once: PostgreSQL",
)


def test_load_test_smoke(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = loadtest.main(
            [
                "--database-url",
                TEST_DATABASE_URL,
                "--duration",
                "3",
                "--clients",
                "5",
                "--port",
                str(free_port()),
                "--source",
                "loadtest-smoke",
            ]
        )
    finally:
        with Session(engine) as session:  # the other tests never see these airings
            source = col(Broadcast.source) == "loadtest-smoke"
            tallies.delete_records(session, "broadcast", source)
            session.commit()
    out = capsys.readouterr().out
    assert code == 0, out
    assert "errors: 0" in out and "0 lost, 0 duplicated" in out
    assert "p99" in out
