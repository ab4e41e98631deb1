from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.config import get_settings
from app.core.ratelimit import TokenBucketLimiter
from app.core.vocab import Scope
from tests.auth.factories import make_key
from tests.helpers import assert_problem

URL = "/api/v1/agencies"
SetEnv = Callable[..., None]


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


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_bursts_then_refills() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(clock=clock)
    assert [limiter.take("a", 3) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a", 3) == pytest.approx(20.0)  # 3/min: one token every 20 s
    assert limiter.take("b", 3) == 0.0, "each client has its own bucket"
    clock.now += 10
    assert limiter.take("a", 3) == pytest.approx(10.0)
    clock.now += 10
    assert limiter.take("a", 3) == 0.0
    clock.now += 3600
    assert [limiter.take("a", 3) for _ in range(4)][-1] > 0, "the burst never exceeds the limit"
    assert limiter.take("a", 0) == 0.0, "0 means off"


def test_limit_gives_429_with_retry_after(
    client: TestClient, session: Session, settings_env: SetEnv
) -> None:
    settings_env(rate_limit_per_minute=3)
    _, headers = make_key(session)
    _, other = make_key(session, agency_code="bao-ptth-cb")
    for _ in range(3):
        assert client.get(URL, headers=headers).status_code == 200
    limited = client.get(URL, headers=headers)
    problem = assert_problem(limited, 429)
    assert problem["type"].endswith("too-many-requests")
    assert 1 <= int(limited.headers["retry-after"]) <= 20
    assert "x-request-id" in limited.headers
    # Writes count too, and the refusal changes nothing.
    body = {"code": "xa-gioi-han", "name": "Xã Giới Hạn", "kind": "commune"}
    assert_problem(client.post(URL, json=body, headers=headers), 429)
    assert client.get(f"{URL}/xa-gioi-han").status_code == 404
    # Another key, and anonymous catalogue reads, are not affected.
    assert client.get(URL, headers=other).status_code == 200
    for _ in range(5):
        assert client.get(URL).status_code == 200


def test_admin_keys_are_exempt_unless_configured(
    client: TestClient, session: Session, admin_headers: dict[str, str], settings_env: SetEnv
) -> None:
    settings_env(rate_limit_per_minute=2)
    _, admin_key = make_key(session, agency_code="so-vhttdl", scopes=(Scope.admin,))
    for _ in range(5):
        assert client.get(URL, headers=admin_headers).status_code == 200
        assert client.get(URL, headers=admin_key).status_code == 200
    settings_env(rate_limit_per_minute=2, rate_limit_admin="true")
    statuses = [client.get(URL, headers=admin_key).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    statuses = [client.get(URL, headers=admin_headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_zero_turns_the_limit_off(
    client: TestClient, session: Session, settings_env: SetEnv
) -> None:
    settings_env(rate_limit_per_minute=0)
    _, headers = make_key(session)
    for _ in range(20):
        assert client.get(URL, headers=headers).status_code == 200
