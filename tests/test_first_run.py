"""A first run, as a newcomer makes it: the ``nq57`` command names its database and, when
that database is missing, unreachable or not migrated, says so in one line (and creates
no SQLite file); ``nq57 serve`` says where the docs are and warns when no admin key
exists.

The command runs for real, as a subprocess in an empty directory with no ``NQ57_``
setting. On PostgreSQL (``NQ57_TEST_DATABASE_URL``) the same steps also run against a
database of their own, ``<test database>_first_run``.
"""

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlmodel import Session, col, update

from app import cli
from app.auth.models import ApiKey
from app.core.config import Settings, get_settings
from app.core.types import utcnow
from app.core.vocab import Scope
from app.first_run import display_url, startup_report
from tests.auth.factories import make_key
from tests.conftest import TEST_DATABASE_URL

DEFAULT_URL = "sqlite:///./nq57.db"
NQ57 = Path(sys.executable).with_name("nq57")
COMMAND = [str(NQ57)] if NQ57.exists() else [sys.executable, "-m", "app.cli"]


def nq57(cwd: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    """``nq57 ARGS`` in ``cwd`` with no NQ57_ setting but ``NQ57_DATABASE_URL=url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NQ57_")}
    if url is not None:
        env["NQ57_DATABASE_URL"] = url
    return subprocess.run(
        [*COMMAND, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The failure's only stderr line (no traceback)."""
    assert done.returncode != 0, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("nq57: "), lines
    return lines[0]


def heads() -> tuple[str, str]:
    """(head, the revision before it)."""
    script = ScriptDirectory.from_config(cli.alembic_config())
    head = script.get_revision("head")
    assert head is not None and isinstance(head.down_revision, str)
    return head.revision, head.down_revision


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty working directory outside the project."""
    path = tmp_path / "elsewhere"
    path.mkdir()
    return path


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database beside the test database; dropped afterwards."""
    url = sa.make_url(TEST_DATABASE_URL)
    if url.get_backend_name() != "postgresql":
        pytest.skip("NQ57_TEST_DATABASE_URL is not PostgreSQL")
    name = f"{url.database}_first_run"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_keys_create_without_a_database_says_so_in_one_line_and_creates_nothing(
    elsewhere: Path,
) -> None:
    done = nq57(elsewhere, "keys", "create", "--agency", "so-vhttdl", "--scope", "admin")
    line = one_line(done)
    assert f"database {DEFAULT_URL} does not exist" in line
    assert "nq57 db upgrade" in line and "NQ57_DATABASE_URL" in line
    assert list(elsewhere.iterdir()) == []
    # Nor do the other commands that only read it.
    for args in (["seed"], ["serve"]):
        assert "does not exist" in one_line(nq57(elsewhere, *args)), args
    assert list(elsewhere.iterdir()) == []


def steps_to_a_working_database(cwd: Path, url: str | None) -> None:
    """An empty database, one migration short, then migrated and seeded: what each step
    of ``nq57`` says."""
    shown = display_url(url or DEFAULT_URL)

    done = nq57(cwd, "keys", "create", "--agency", "so-vhttdl", "--scope", "admin", url=url)
    assert one_line(done) == (
        f"nq57: database {shown} has no tables; run `nq57 db upgrade` (and `nq57 seed`) "
        "first, or set NQ57_DATABASE_URL"
    )

    head, previous = heads()
    upgraded = nq57(cwd, "db", "upgrade", "--revision", previous, url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stderr.startswith(f"nq57: database {shown}\n")
    assert one_line(nq57(cwd, "keys", "list", url=url)) == (
        f"nq57: database {shown} is not at the latest migration "
        f"(at {previous}, head is {head}): run `nq57 db upgrade`"
    )

    for args in (["db", "upgrade"], ["seed"]):
        done = nq57(cwd, *args, url=url)
        assert done.returncode == 0, (args, done.stderr)
        assert f"nq57: database {shown}" in done.stderr.splitlines()
    done = nq57(cwd, "keys", "create", "--agency", "so-vhttdl", "--scope", "admin", url=url)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"nq57: database {shown}"]
    assert '"key": "nq57_' in done.stdout

    # An unknown agency: the database's name, then one line.
    done = nq57(cwd, "keys", "create", "--agency", "nowhere", "--scope", "read", url=url)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"nq57: database {shown}",
        "nq57: No agency with code 'nowhere'. `nq57 seed` loads the province's agencies "
        "(Sở VHTTDL: so-vhttdl).",
    ]


def test_from_an_empty_sqlite_file_to_a_working_one(elsewhere: Path) -> None:
    (elsewhere / "nq57.db").touch()
    done = nq57(elsewhere, "keys", "list")
    assert "has no tables" in one_line(done)
    # Looked at, not changed: still empty, no journal files beside it.
    assert [p.name for p in elsewhere.iterdir()] == ["nq57.db"]
    assert (elsewhere / "nq57.db").stat().st_size == 0
    steps_to_a_working_database(elsewhere, None)


def test_from_an_empty_postgresql_database_to_a_working_one(
    elsewhere: Path, postgres_url: str
) -> None:
    steps_to_a_working_database(elsewhere, postgres_url)


def test_an_unreachable_database_is_one_line_without_its_password(elsewhere: Path) -> None:
    url = "postgresql+psycopg://nq57:s3cret-pw@127.0.0.1:1/nq57"
    line = one_line(nq57(elsewhere, "keys", "list", url=url))
    assert line.startswith(
        "nq57: cannot reach database postgresql+psycopg://nq57:***@127.0.0.1:1/nq57: "
    )
    assert "s3cret-pw" not in line


# The startup check, against the session's migrated and seeded database.


def revoke_all_keys(session: Session) -> None:
    """Inside the test's transaction (rolled back at its end)."""
    session.execute(
        update(ApiKey).where(col(ApiKey.revoked_at).is_(None)).values(revoked_at=utcnow())
    )
    session.flush()


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "app.first_run" and r.levelno == logging.WARNING
    ]


def test_startup_warns_when_no_admin_key_exists(
    session: Session, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NQ57_ADMIN_API_KEY", raising=False)
    revoke_all_keys(session)
    make_key(session, scopes=(Scope.read, Scope.write))  # not admin
    make_key(session, scopes=(Scope.admin,), expires_at=utcnow() - timedelta(days=1))
    caplog.set_level(logging.INFO, logger="app.first_run")

    startup_report(session.connection(), Settings(), host="0.0.0.0", port=8123)

    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert any(
        m.startswith("Swagger UI at http://127.0.0.1:8123/docs, ReDoc at /redoc") for m in infos
    )
    [warning] = warnings(caplog)
    assert warning.startswith("no admin key: only anonymous reads")
    assert "NQ57_ADMIN_API_KEY=" in warning
    assert "nq57 keys create --agency so-vhttdl --scope admin" in warning


@pytest.mark.parametrize("how", ["setting", "database key"])
def test_startup_is_quiet_when_an_admin_key_exists(
    how: str,
    session: Session,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NQ57_ADMIN_API_KEY", raising=False)
    revoke_all_keys(session)
    if how == "setting":
        monkeypatch.setenv("NQ57_ADMIN_API_KEY", "change-me-0123456789")
    else:
        make_key(session, agency_code="so-vhttdl", scopes=(Scope.admin,))
    caplog.set_level(logging.INFO, logger="app.first_run")

    startup_report(session.connection(), Settings(), host="127.0.0.1", port=8000)

    assert warnings(caplog) == []
    assert any("Swagger UI at http://127.0.0.1:8000/docs" in r.getMessage() for r in caplog.records)


# ``nq57 serve`` itself, in process with uvicorn replaced, on a database the command built.


@pytest.fixture
def settings_for(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def use(url: str) -> None:
        monkeypatch.setenv("NQ57_DATABASE_URL", url)
        monkeypatch.delenv("NQ57_ADMIN_API_KEY", raising=False)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()  # the environment is restored after this


def test_serve_names_the_docs_and_warns_before_uvicorn_starts(
    elsewhere: Path,
    settings_for: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    url = f"sqlite:///{elsewhere / 'nq57.db'}"
    for args in (["db", "upgrade"], ["seed"]):
        assert nq57(elsewhere, *args, url=url).returncode == 0
    settings_for(url)
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")  # serve sets it; restored afterwards
    caplog.set_level(logging.INFO, logger="app.first_run")

    cli.serve(host="127.0.0.1", port=8123, workers=1, reload=False)

    assert len(calls) == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "app.first_run"]
    assert (
        messages[0] == f"Swagger UI at http://127.0.0.1:8123/docs, ReDoc at /redoc (database {url})"
    )
    assert len(warnings(caplog)) == 1


def test_serve_refuses_a_database_not_at_head(
    elsewhere: Path,
    settings_for: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import typer
    import uvicorn

    url = f"sqlite:///{elsewhere / 'nq57.db'}"
    head, previous = heads()
    assert nq57(elsewhere, "db", "upgrade", "--revision", previous, url=url).returncode == 0
    settings_for(url)
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **_k: pytest.fail("uvicorn started"))

    with pytest.raises(typer.Exit) as exited:
        cli.serve(host="127.0.0.1", port=8123, workers=1, reload=False)

    assert exited.value.exit_code == 1
    # (alembic's INFO lines show here only because the tests' logging is set up already.)
    lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("{")]
    assert lines == [
        f"nq57: database {url} is not at the latest migration (at {previous}, head is {head}): "
        "run `nq57 db upgrade`"
    ]
