"""Clients generated from the committed contract are typed: every model a named class.

* Python (openapi-python-client, a dev dependency): no ``…Type0`` class, module, field or
  parameter; a script that pushes a batch of broadcasts and reads the plan's status with
  the generated client passes ``mypy --strict``, one that sends a number as `agency_code`
  or ``{}`` as an item does not, and the first one runs against a real server.
* TypeScript (openapi-typescript and tsc, pinned in tests/contract/ts, installed by
  ``npm ci --prefix tests/contract/ts``; skipped without node or node_modules): a correct
  push type-checks, ``{}`` as a MediaProductCreate and a number as `agency_code` do not.

Nothing is installed here: no network at test time.
"""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.broadcasts.models import Broadcast
from app.status import tallies
from tests.conftest import ADMIN_KEY, TEST_DATABASE_URL
from tests.integration.servers import uvicorn_server

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "openapi" / "openapi.json"
TS_DIR = Path(__file__).resolve().parent / "ts"
BIN = Path(sys.executable).parent
PACKAGE = "nq57_client"
SOURCE = "generated-client-test"
STATUSES = {"achieved", "on_track", "at_risk", "off_track", "no_data"}
# What a generator calls a union member it has no name for: FooType0, foo_type_1.
ANONYMOUS = re.compile(r"Type\d+|type_\d+")


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the generated package ``nq57_client``."""
    folder = tmp_path_factory.mktemp("python-client")
    config = folder / "generator.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")  # no ruff pass: not needed
    done = _run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(CONTRACT),
            "--output-path",
            str(folder / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        cwd=folder,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # A schema it cannot read is dropped with its endpoints; the only pieces left out are
    # the .xlsx and .docx downloads (binary bodies, no model).
    assert "Unable to" not in output and "Failure" not in output, output
    assert (folder / PACKAGE / "models" / "broadcast_create.py").exists(), output
    return folder


def _anything_branches(node: Any, where: str = "") -> Iterator[str]:
    """Where a union takes anything (`{}`): a generator types the whole union as Any."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("anyOf", "oneOf") and {} in value:
                yield where
            yield from _anything_branches(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _anything_branches(value, f"{where}/{index}")


def test_contract_states_rules_in_words() -> None:
    """What made generators lose types stays out: a top-level union on a component, an
    `anyOf` with `{}`, and the fuzzer's NUL and not-blank patterns."""
    text = CONTRACT.read_text(encoding="utf-8")
    components = json.loads(text)["components"]["schemas"]
    unions = sorted(n for n, c in components.items() if c.keys() & {"anyOf", "oneOf", "allOf"})
    assert not unions, unions
    assert "\\u0000" not in text
    assert not list(_anything_branches(components)), list(_anything_branches(components))
    for name in ("BroadcastBatch", "MediaProductBatch"):
        items = components[name]["properties"]["items"]
        create = name.removesuffix("Batch") + "Create"
        assert items["items"] == {"$ref": f"#/components/schemas/{create}"}, name


def _public_names(path: Path) -> Iterator[str]:
    """Names a user of the module sees: classes, their fields and methods, functions and
    their parameters (the generator's local variables are its own business)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            yield node.name
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    yield item.target.id
                elif isinstance(item, ast.FunctionDef):
                    yield item.name
                    yield from (a.arg for a in item.args.args + item.args.kwonlyargs)
        elif isinstance(node, ast.FunctionDef):
            yield node.name
            yield from (a.arg for a in node.args.args + node.args.kwonlyargs)
        elif isinstance(node, ast.ImportFrom):
            yield from (alias.asname or alias.name for alias in node.names)


def test_python_client_names_every_type(generated: Path) -> None:
    anonymous = sorted(
        f"{path.relative_to(generated)}: {name}"
        for path in (generated / PACKAGE).rglob("*.py")
        for name in [path.stem, *_public_names(path)]
        if ANONYMOUS.search(name)
    )
    assert not anonymous, "\n".join(anonymous)
    batch = (generated / PACKAGE / "models" / "broadcast_batch.py").read_text(encoding="utf-8")
    assert "items: list[BroadcastCreate]" in batch


PUSH_SCRIPT = '''
"""Push a batch of broadcasts with the generated client, twice, and read the plan's status."""

import datetime
import sys

from nq57_client import AuthenticatedClient
from nq57_client.api.broadcasts import push_broadcast_batch
from nq57_client.api.indicator_status import get_plan_status
from nq57_client.models import (
    BatchResult,
    BroadcastBatch,
    BroadcastCreate,
    ContentOrigin,
    PlanStatus,
)

LOCAL = datetime.timezone(datetime.timedelta(hours=7))


def main(base_url: str, token: str, source: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token=token)
    airings = [
        BroadcastCreate(
            agency_code="xa-bao-lam",
            title=f"Bản tin Bình dân học vụ số, buổi {number}",
            started_at=datetime.datetime(2026, 3, 14, 17, 30 + number, tzinfo=LOCAL),
            origin=ContentOrigin.LOCAL,
            duration_seconds=900,
            source=source,
            external_id=f"2026-03-14-{number:04d}",
        )
        for number in (1, 2)
    ]
    for attempt in ("first", "again"):
        pushed = push_broadcast_batch.sync_detailed(
            client=client, body=BroadcastBatch(items=airings)
        )
        result = pushed.parsed
        assert isinstance(result, BatchResult), pushed.content
        print(attempt, int(pushed.status_code), *(item.outcome.value for item in result.items))
    read = get_plan_status.sync_detailed(
        "kh-209-2026", client=client, period="2026", as_of=datetime.date(2026, 6, 30)
    )
    status = read.parsed
    assert isinstance(status, PlanStatus), read.content
    print("status", int(read.status_code), status.plan_code, len(status.indicators))
    for indicator in status.indicators:
        print("indicator", indicator.code, indicator.status)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
'''

# Each line marked `refused` must be an error of mypy --strict.
WRONG_SCRIPT = """
import datetime

from nq57_client.models import BroadcastBatch, BroadcastCreate, ContentOrigin

right = BroadcastCreate(
    agency_code="xa-bao-lam",
    origin=ContentOrigin.LOCAL,
    started_at=datetime.datetime(2026, 3, 14, 17, 30, tzinfo=datetime.UTC),
    duration_seconds=900,
)
BroadcastCreate(
    agency_code=57,  # refused
    origin=ContentOrigin.LOCAL,
    started_at="2026-03-14T17:30:00+07:00",  # refused
    duration_seconds=900,
)
BroadcastBatch(items=[right, {}])  # refused
"""


def _purge(engine: Engine) -> None:
    """The pushed broadcasts and their audit events: SQLite gives a deleted row's id to the
    next one, which must not inherit its history."""
    with Session(engine) as session:
        ids = session.exec(select(Broadcast.id).where(Broadcast.source == SOURCE)).all()
        session.execute(
            delete(AuditEvent).where(
                col(AuditEvent.entity) == "broadcast",
                col(AuditEvent.entity_id).in_([str(i) for i in ids]),
            )
        )
        tallies.delete_records(session, "broadcast", col(Broadcast.source) == SOURCE)
        session.commit()


def test_python_client_is_typed_and_pushes(generated: Path, engine: Engine) -> None:
    (generated / "push.py").write_text(textwrap.dedent(PUSH_SCRIPT), encoding="utf-8")
    (generated / "wrong.py").write_text(textwrap.dedent(WRONG_SCRIPT), encoding="utf-8")
    checked = _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(generated / ".mypy_cache"),
            "push.py",
            "wrong.py",
        ],
        cwd=generated,
    )
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if not e.startswith("wrong.py:")], checked.stdout
    lines = WRONG_SCRIPT.splitlines()
    refused = {n for n, line in enumerate(lines, start=1) if line.endswith("# refused")}
    reported = {int(e.split(":")[1]) for e in errors}
    assert refused <= reported, f"mypy let wrong types through:\n{checked.stdout}"

    _purge(engine)
    try:
        with uvicorn_server(TEST_DATABASE_URL) as (base, _process):
            ran = _run([sys.executable, "push.py", base, ADMIN_KEY, SOURCE], cwd=generated)
    finally:
        _purge(engine)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    printed = ran.stdout.splitlines()
    assert printed[:3] == [
        "first 200 created created",
        "again 200 unchanged unchanged",
        "status 200 kh-209-2026 16",
    ], ran.stdout
    indicators = [line.split() for line in printed[3:]]
    assert len(indicators) == 16, ran.stdout
    assert all(kind == "indicator" and status in STATUSES for kind, _, status in indicators)


TS_RIGHT = """
import type { components } from "./api";

type BroadcastBatch = components["schemas"]["BroadcastBatch"];
type MediaProductCreate = components["schemas"]["MediaProductCreate"];

export const batch: BroadcastBatch = {
  items: [
    {
      agency_code: "xa-bao-lam",
      title: "Bản tin Bình dân học vụ số",
      origin: "local",
      started_at: "2026-03-14T17:30:00+07:00",
      duration_seconds: 900,
      source: "loa-ip-bao-lam",
      external_id: "2026-03-14-0017",
    },
  ],
};
export const product: MediaProductCreate = {
  agency_code: "bao-ptth-cb",
  kind: "article",
  title: "Chuyển đổi số ở Cao Bằng",
  published_at: "2026-03-14T08:30:00+07:00",
};
"""

# Each line marked `refused` must be an error of tsc --strict.
TS_WRONG = """
import type { components } from "./api";

type BroadcastCreate = components["schemas"]["BroadcastCreate"];
type MediaProductCreate = components["schemas"]["MediaProductCreate"];

export const empty: MediaProductCreate = {}; // refused
export const numeric: BroadcastCreate = {
  agency_code: 57, // refused
  origin: "local",
  started_at: "2026-03-14T17:30:00+07:00",
  duration_seconds: 900,
};
export const items: components["schemas"]["MediaProductBatch"] = { items: [{}] }; // refused
"""


def test_typescript_types_refuse_wrong_payloads(tmp_path: Path) -> None:
    node = shutil.which("node")
    tools = TS_DIR / "node_modules"
    if node is None:
        pytest.skip("node is not installed")
    if not tools.is_dir():
        pytest.skip(f"{tools} is absent: run `npm ci --prefix {TS_DIR.relative_to(ROOT)}`")
    generate = _run(
        [
            node,
            str(tools / "openapi-typescript" / "bin" / "cli.js"),
            str(CONTRACT),
            "--output",
            str(tmp_path / "api.d.ts"),
            # Its default makes a field with a default required, in request bodies too
            # (`language` of a broadcast): the contract says optional.
            "--default-non-nullable",
            "false",
        ],
        cwd=tmp_path,
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr
    (tmp_path / "right.ts").write_text(TS_RIGHT, encoding="utf-8")
    (tmp_path / "wrong.ts").write_text(TS_WRONG, encoding="utf-8")
    checked = _run(
        [
            node,
            str(tools / "typescript" / "bin" / "tsc"),
            "--noEmit",
            "--strict",
            "--target",
            "es2022",
            "--module",
            "esnext",
            "--moduleResolution",
            "bundler",
            "--pretty",
            "false",
            "right.ts",
            "wrong.ts",
        ],
        cwd=tmp_path,
    )
    errors = [line for line in checked.stdout.splitlines() if ": error TS" in line]
    assert errors, checked.stdout + checked.stderr
    assert all(e.startswith("wrong.ts(") for e in errors), checked.stdout
    refused = {n for n, line in enumerate(TS_WRONG.splitlines(), 1) if line.endswith("refused")}
    reported = {int(e.split("(")[1].split(",")[0]) for e in errors}
    assert refused <= reported, f"tsc let wrong payloads through:\n{checked.stdout}"
