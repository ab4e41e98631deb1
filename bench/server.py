"""The service under test: uvicorn with N workers on loopback, and its memory.

Resident memory is read from ``/proc/<pid>/status`` (VmRSS) of the uvicorn supervisor
and of its worker processes, sampled in a thread while a phase runs.
"""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command may hold spaces and parentheses: the parent pid follows the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _field_kib(path: str, name: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid: int) -> int:
    """Resident memory (VmRSS): pages shared with other processes count in each."""
    return _field_kib(f"/proc/{pid}/status", "VmRSS:")


def pss_kib(pid: int) -> int:
    """Proportional share (Pss): shared pages split between the processes sharing them,
    so that the workers' values add up to what they hold together."""
    return _field_kib(f"/proc/{pid}/smaps_rollup", "Pss:")


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    admin_key: str
    log: Path

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def memory_mib(self) -> dict[str, float]:
        """Memory now: the workers' resident memory, with the supervisor's, and their Pss."""
        pids = self.workers()
        workers = sum(rss_kib(pid) for pid in pids)
        pss = sum(pss_kib(pid) for pid in [*pids, self.process.pid])
        return {
            "workers_rss_mib": round(workers / 1024, 1),
            "workers_and_supervisor_rss_mib": round(
                (workers + rss_kib(self.process.pid)) / 1024, 1
            ),
            "workers_and_supervisor_pss_mib": round(pss / 1024, 1),
        }


@dataclass
class MemorySampler:
    """Peak resident memory of the supervisor and workers while the sampler runs."""

    server: Server
    interval: float = 0.1
    peak_workers_kib: int = 0
    peak_total_kib: int = 0
    peak_per_worker_kib: int = 0
    peak_pss_kib: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = self.server.workers()
            workers = [rss_kib(pid) for pid in pids]
            supervisor = rss_kib(self.server.process.pid)
            pss = sum(pss_kib(pid) for pid in [*pids, self.server.process.pid])
            self.peak_pss_kib = max(self.peak_pss_kib, pss)
            self.peak_workers_kib = max(self.peak_workers_kib, sum(workers))
            self.peak_total_kib = max(self.peak_total_kib, sum(workers) + supervisor)
            self.peak_per_worker_kib = max([self.peak_per_worker_kib, *workers])
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> "MemorySampler":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def report(self) -> dict[str, float | int]:
        return {
            "peak_workers_rss_mib": round(self.peak_workers_kib / 1024, 1),
            "peak_workers_and_supervisor_rss_mib": round(self.peak_total_kib / 1024, 1),
            "peak_one_worker_rss_mib": round(self.peak_per_worker_kib / 1024, 1),
            "peak_workers_and_supervisor_pss_mib": round(self.peak_pss_kib / 1024, 1),
            "samples": self.samples,
        }


@contextmanager
def serve(database_url: str, *, workers: int = 2, pool_size: int = 5) -> Iterator[Server]:
    """Start ``uvicorn app.main:app`` on 127.0.0.1 and wait until /readyz answers 200."""
    port = free_port()
    admin_key = "bench-admin-" + secrets.token_hex(16)
    env = {
        **os.environ,
        "NQ57_DATABASE_URL": database_url,
        "NQ57_ADMIN_API_KEY": admin_key,
        "NQ57_DB_POOL_SIZE": str(pool_size),
        # The limiter still runs; one client sends far more than a commune would.
        "NQ57_RATE_LIMIT_PER_MINUTE": "1000000",
        # As `nq57 serve` and the container set it.
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    }
    command = [
        sys.executable, "-m", "uvicorn", "app.main:app", "--workers", str(workers),
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    log = Path(tempfile.gettempdir()) / f"nq57-bench-server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    server = Server(base, process, admin_key, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the server did not start; see {log}")
            time.sleep(0.2)
        while len(server.workers()) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
