"""A PostgreSQL server of the test's own, to crash and freeze for real.

The machine's cluster is shared by every test and must never stop; a crash test needs a
server it can kill with SIGKILL (crash recovery from the WAL on restart, as after a power
cut) and stop with SIGSTOP (a frozen host: the kernel still accepts connections and
acknowledges packets, nothing answers). The server runs as the ``postgres`` user from
Debian's binaries in a temporary folder, on a free port of 127.0.0.1.
"""

import os
import shutil
import signal
import subprocess
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.core.db import create_db_engine
from app.seed.loader import seed
from tests.conftest import migrate, reset_database
from tests.integration.servers import free_port

BIN = Path("/usr/lib/postgresql/15/bin")
# Run as the postgres user (the server refuses root), set by Popen itself: a wrapper such
# as runuser would stop itself when its child is stopped, and never go on.
AS_POSTGRES: dict[str, Any] = {"user": "postgres", "group": "postgres", "extra_groups": []}


def unavailable_reason() -> str | None:
    """Why a private server cannot run here, or None."""
    if not (BIN / "postgres").exists():
        return f"no PostgreSQL server binaries in {BIN}"
    if os.geteuid() != 0:
        return "starting a private PostgreSQL needs root (to run it as the postgres user)"
    return None


class PrivatePostgres:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
        shutil.chown(folder, "postgres", "postgres")
        subprocess.run(
            [str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"],
            check=True,
            capture_output=True,
            **AS_POSTGRES,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BIN / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.folder),
                "-c",
                "listen_addresses=127.0.0.1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **AS_POSTGRES,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        engine = sa.create_engine(self.url, connect_args={"connect_timeout": 2})
        try:
            while True:
                try:
                    with engine.connect() as conn:
                        conn.exec_driver_sql("SELECT 1")
                    return
                except sa.exc.OperationalError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        finally:
            engine.dispose()

    def prepare(self) -> None:
        """The schema by the migrations, and the plan and agencies by the seed."""
        engine = create_db_engine(self.url)
        try:
            reset_database(engine)
            migrate(engine)
            with Session(engine) as session:
                seed(session)
        finally:
            engine.dispose()

    def _server_pids(self) -> list[int]:
        """The postmaster and its children. Each backend makes itself a session leader
        (setsid), so a process group does not reach them; they all keep the data folder as
        their working directory, which no other server on the machine shares."""
        found = []
        for entry in os.listdir("/proc"):
            with suppress(OSError):
                if entry.isdigit() and os.readlink(f"/proc/{entry}/cwd") == str(self.data):
                    found.append(int(entry))
        return found

    def _signal_all(self, signum: int) -> None:
        # The postmaster first, so that it starts no new backend meanwhile; then the
        # rest, twice, for one forked in between.
        with suppress(FileNotFoundError, ProcessLookupError):
            os.kill(int((self.data / "postmaster.pid").read_text().split()[0]), signum)
        for _ in range(2):
            for pid in self._server_pids():
                with suppress(ProcessLookupError):
                    os.kill(pid, signum)

    def crash(self) -> None:
        """SIGKILL to the postmaster and every backend: nothing is shut down cleanly."""
        self._signal_all(signal.SIGKILL)
        assert self.process is not None
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while self._server_pids() and time.monotonic() < deadline:
            time.sleep(0.1)

    def freeze(self) -> None:
        self._signal_all(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal_all(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.thaw()
        # SIGINT: the fast shutdown (SIGTERM would wait for every client to leave).
        self._signal_all(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._signal_all(signal.SIGKILL)
            self.process.wait(timeout=30)
