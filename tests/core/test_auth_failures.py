"""Failed authentications are limited per client address and per key prefix: 401 until
the limit, then 429 with Retry-After before the key is looked up (app.core.auth_failures)."""

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.auth_failures import AuthFailureGuard
from app.core.config import get_settings
from app.core.ratelimit import TokenBucketLimiter
from tests.auth.factories import make_key
from tests.conftest import ADMIN_KEY
from tests.helpers import assert_problem

URL = "/api/v1/broadcasts"  # records: a key is needed
AGENCIES = "/api/v1/agencies"
SetEnv = Callable[..., None]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings_env() -> Iterator[SetEnv]:
    """Override NQ57_* settings for one test; get_settings() is cached, so clear it."""
    with pytest.MonkeyPatch.context() as patch:

        def set_env(**values: object) -> None:
            for name, value in values.items():
                patch.setenv(f"NQ57_{name.upper()}", str(value))
            get_settings.cache_clear()

        yield set_env
    get_settings.cache_clear()


@pytest.fixture
def clock(app: FastAPI) -> FakeClock:
    """The app's failure buckets on a clock the test moves."""
    fake = FakeClock()
    app.state.auth_failure_guard = AuthFailureGuard(clock=fake)
    return fake


def from_address(app: FastAPI, host: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(host, 40000))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def metric(client: TestClient, name: str, **labels: str) -> float:
    """A sample of /metrics (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    series = f"{name}{{{wanted}}}" if wanted else name
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def lookups(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "api_key" in statement:
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    yield statements
    sa.event.remove(engine, "before_cursor_execute", note)


def test_wrong_keys_from_one_address_get_401_then_429(
    app: FastAPI,
    client: TestClient,
    session: Session,
    clock: FakeClock,
    lookups: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    prefix, _ = make_key(session)
    limit = get_settings().auth_failures_per_minute
    assert limit == 20, "the default"
    # Half malformed or unknown keys, half a real key's prefix with a guessed secret.
    wrong = [
        f"nq57_{prefix}_guess{i}" if i % 2 else f"nq57_{i:012x}_guess{i}" for i in range(limit)
    ]
    with caplog.at_level(logging.WARNING, logger="app.auth"):
        for token in wrong:
            assert_problem(client.get(URL, headers=bearer(token)), 401)
        lookups.clear()
        refused = client.get(URL, headers=bearer("nq57_000000000abc_guess"))
    problem = assert_problem(refused, 429)
    assert problem["type"].endswith("/too-many-requests")
    assert refused.headers["retry-after"] == "3", "20 a minute: one more every 3 s"
    assert "www-authenticate" not in refused.headers
    assert lookups == [], "refused before the key is looked up"
    blocks = [r for r in caplog.records if r.name == "app.auth"]
    assert len(blocks) == 1 and blocks[0].levelno == logging.WARNING
    assert "testclient" in blocks[0].getMessage()
    assert all("guess" not in r.getMessage() for r in caplog.records), "never the secret"
    # Also a malformed token, and anonymous reads are not affected.
    assert_problem(client.get(AGENCIES, headers=bearer("nonsense")), 429)
    assert client.get(AGENCIES).status_code == 200
    # Another address is not blocked (its key's prefix was tried only 10 times).
    assert_problem(from_address(app, "192.0.2.7").get(URL, headers=bearer("x")), 401)


def test_wrong_keys_for_one_prefix_from_many_addresses_get_429(
    app: FastAPI, client: TestClient, session: Session, clock: FakeClock, settings_env: SetEnv
) -> None:
    settings_env(auth_failures_per_minute=3)
    prefix, real = make_key(session)
    _, other_key = make_key(session)
    for i in range(3):
        guess = from_address(app, f"198.51.100.{i}").get(URL, headers=bearer(f"nq57_{prefix}_{i}"))
        assert_problem(guess, 401)
    refused = from_address(app, "198.51.100.9").get(URL, headers=bearer(f"nq57_{prefix}_9"))
    assert_problem(refused, 429)
    assert int(refused.headers["retry-after"]) == 20
    # The real key is refused too, from anywhere; other keys from the same addresses work.
    assert_problem(from_address(app, "203.0.113.5").get(URL, headers=real), 429)
    assert from_address(app, "198.51.100.0").get(URL, headers=other_key).status_code == 200
    # Unknown prefixes are not remembered: only a real key's prefix can be blocked.
    for i in range(5):
        from_address(app, "203.0.113.6").get(URL, headers=bearer(f"nq57_{i:012x}_x"))
    assert len(app.state.auth_failure_guard.prefixes) == 1


def test_a_correct_key_is_refused_while_blocked_and_works_after(
    app: FastAPI,
    client: TestClient,
    session: Session,
    clock: FakeClock,
    settings_env: SetEnv,
    admin_headers: dict[str, str],
) -> None:
    settings_env(auth_failures_per_minute=3)
    _, headers = make_key(session)
    for _ in range(3):
        assert_problem(client.get(URL, headers=bearer("nq57_00000000000f_x")), 401)
    refused = client.get(URL, headers=headers)
    assert_problem(refused, 429)
    assert_problem(client.get(URL, headers=admin_headers), 429)
    assert from_address(app, "192.0.2.1").get(URL, headers=headers).status_code == 200
    clock.now += int(refused.headers["retry-after"])
    assert client.get(URL, headers=headers).status_code == 200
    assert client.get(URL, headers=admin_headers).status_code == 200
    # One token came back: the next failure blocks again.
    assert_problem(client.get(URL, headers=bearer("nq57_00000000000f_x")), 401)
    assert_problem(client.get(URL, headers=headers), 429)
    clock.now += 60
    assert client.get(URL, headers=headers).status_code == 200


def test_revoked_and_expired_keys_do_not_block(
    client: TestClient,
    session: Session,
    clock: FakeClock,
    settings_env: SetEnv,
    admin_headers: dict[str, str],
) -> None:
    """Whoever sends a revoked key holds its real secret: a stale integration, not a guess."""
    settings_env(auth_failures_per_minute=2)
    prefix, headers = make_key(session)
    assert client.post(f"/api/v1/api-keys/{prefix}/revoke", headers=admin_headers).is_success
    revoked = metric(client, "nq57_auth_failures_total", reason="revoked")
    for _ in range(5):
        assert_problem(client.get(URL, headers=headers), 401)
    assert client.get(URL, headers=admin_headers).status_code == 200
    assert metric(client, "nq57_auth_failures_total", reason="revoked") == revoked + 5


def test_a_post_with_an_idempotency_key_counts_once(
    client: TestClient,
    session: Session,
    clock: FakeClock,
    settings_env: SetEnv,
    admin_headers: dict[str, str],
) -> None:
    """The idempotency middleware authenticates before the route does: one failure, one
    answer per request, and a refusal there is a 429, not an error."""
    settings_env(auth_failures_per_minute=3)
    _, headers = make_key(session)
    body = {"code": "xa-chan", "name": "UBND xã Chặn", "kind": "commune"}
    wrong = {**bearer("nq57_0000000000aa_x"), "Idempotency-Key": "k-1"}
    statuses = [client.post(AGENCIES, json=body, headers=wrong).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    refused = client.post(AGENCIES, json=body, headers={**headers, "Idempotency-Key": "k-2"})
    assert_problem(refused, 429)
    assert "retry-after" in refused.headers
    clock.now += 60
    created = client.post(AGENCIES, json=body, headers={**admin_headers, "Idempotency-Key": "k-3"})
    assert created.status_code == 201, created.text


def test_metrics_count_failures_and_refusals(
    app: FastAPI, client: TestClient, session: Session, clock: FakeClock, settings_env: SetEnv
) -> None:
    settings_env(auth_failures_per_minute=2)
    prefix, _ = make_key(session)
    before = {
        "wrong": metric(client, "nq57_auth_failures_total", reason="wrong"),
        "malformed": metric(client, "nq57_auth_failures_total", reason="malformed"),
        "address": metric(client, "nq57_auth_refusals_total", blocked="address"),
        "prefix": metric(client, "nq57_auth_refusals_total", blocked="prefix"),
    }
    client.get(URL, headers=bearer("nonsense"))
    client.get(URL, headers=bearer(f"nq57_{prefix}_x"))
    for _ in range(3):
        client.get(URL, headers=bearer("nonsense"))  # blocked by address
    from_address(app, "192.0.2.8").get(URL, headers=bearer(f"nq57_{prefix}_y"))
    for _ in range(2):
        from_address(app, "192.0.2.9").get(URL, headers=bearer(f"nq57_{prefix}_z"))
    after = {
        "wrong": metric(client, "nq57_auth_failures_total", reason="wrong"),
        "malformed": metric(client, "nq57_auth_failures_total", reason="malformed"),
        "address": metric(client, "nq57_auth_refusals_total", blocked="address"),
        "prefix": metric(client, "nq57_auth_refusals_total", blocked="prefix"),
    }
    assert {name: after[name] - before[name] for name in after} == {
        "wrong": 2,
        "malformed": 1,
        "address": 3,
        "prefix": 2,
    }


def test_memory_stays_bounded(app: FastAPI, client: TestClient, settings_env: SetEnv) -> None:
    settings_env(auth_failures_per_minute=1)
    app.state.auth_failure_guard = guard = AuthFailureGuard(max_tracked=20)
    for i in range(60):
        response = from_address(app, f"2001:db8::{i:x}").get(URL, headers=bearer("x"))
        assert response.status_code == 401
    assert len(guard.addresses) <= 20
    assert_problem(from_address(app, "2001:db8::3b").get(URL, headers=bearer("x")), 429)

    # The limiter underneath: a flood of new clients keeps at most max_buckets, forgetting
    # the least recently used first.
    limiter = TokenBucketLimiter(clock=FakeClock(), max_buckets=100)
    limiter.take("steady", 1)
    for i in range(10_000):
        limiter.take(f"flood-{i}", 1)
        if i % 50 == 0:
            limiter.take("steady", 1)
        assert len(limiter) <= 100
    assert limiter.wait("steady", 1) > 0, "a client in use is kept"
    assert limiter.wait("flood-0", 1) == 0.0, "an old one is forgotten"


def test_zero_turns_the_limit_off(
    client: TestClient, clock: FakeClock, settings_env: SetEnv
) -> None:
    settings_env(auth_failures_per_minute=0)
    malformed = metric(client, "nq57_auth_failures_total", reason="malformed")
    for _ in range(30):
        assert_problem(client.get(URL, headers=bearer("nonsense")), 401)
    assert client.get(URL, headers=bearer(ADMIN_KEY)).status_code == 200
    assert metric(client, "nq57_auth_failures_total", reason="malformed") == malformed + 30
