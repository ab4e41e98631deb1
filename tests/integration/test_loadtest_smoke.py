"""A few seconds of bench/loadtest.py: its plumbing works and loses nothing."""

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

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
        with engine.begin() as conn:  # the other tests never see these airings
            conn.execute(sa.text("DELETE FROM broadcast WHERE source = 'loadtest-smoke'"))
    out = capsys.readouterr().out
    assert code == 0, out
    assert "errors: 0" in out and "0 lost, 0 duplicated" in out
    assert "p99" in out
