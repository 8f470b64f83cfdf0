"""Login throttling on the shared store: by account and client, the same for unknown logins,
counted across workers (two apps on one database) and on Redis."""

from __future__ import annotations

import re
import uuid

import pytest

from conftest import REPO, login
from motcua.accounts.throttle import LoginThrottle
from motcua.app import create_app
from motcua.errors import UserError


def _client(app, address: str):  # noqa: ANN001, ANN202
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_unknown_login_is_throttled_exactly_like_a_real_one(app, users):
    answers = {}
    for name in ("canbo-a", "khong-co-ai"):
        client = _client(app, "10.0.1.1" if name == "canbo-a" else "10.0.1.2")
        answers[name] = [login(client, name, "sai-mat-khau-roi").status_code for _ in range(7)]
        answers[name + " text"] = login(client, name, "sai-mat-khau-roi").get_data(as_text=True).split("<main")[-1]
    assert answers["canbo-a"] == answers["khong-co-ai"] == [401] * 5 + [429] * 2
    def page(name: str) -> str:  # the answer without the login typed and the CSRF token
        return re.sub(r'value="[^"]*"', "", answers[name + " text"].replace(name, "X"))

    assert page("canbo-a") == page("khong-co-ai")


def test_one_client_trying_many_logins_is_throttled(app, users):
    client = _client(app, "10.0.2.1")
    statuses = [login(client, f"ai-do-{n}", "sai-mat-khau-roi").status_code for n in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


def test_the_count_is_shared_by_every_worker(app, users, migrated_db, tmp_path):
    other = create_app({"database_url": migrated_db, "data_dir": tmp_path / "other", "secret_key": "test-secret",
                        "testing": True, "secure_cookies": False, "tenants_dir": REPO / "tenants"})
    first, second = _client(app, "10.0.3.1"), _client(other, "10.0.3.1")
    assert [login(first, "canbo-a", "sai-mat-khau-roi").status_code for _ in range(3)] == [401] * 3
    assert [login(second, "canbo-a", "sai-mat-khau-roi").status_code for _ in range(2)] == [401] * 2
    assert login(first, "canbo-a").status_code == 429
    assert login(second, "canbo-a").status_code == 429


def test_redis_as_the_shared_store(redis_url):
    login_name = f"redis-{uuid.uuid4().hex[:8]}"
    workers = [LoginThrottle(redis_url, failures=3, minutes=1) for _ in range(2)]
    workers[0].failed(login_name, "10.0.4.1")
    workers[1].failed(login_name, "10.0.4.1")
    workers[0].check(login_name, "10.0.4.1")  # two failures: still allowed
    workers[1].failed(login_name, "10.0.4.1")
    with pytest.raises(UserError) as refused:
        workers[0].check(login_name, "10.0.4.1")
    assert refused.value.status == 429
    workers[1].check(login_name, "10.0.4.2")  # another client is not held back
    workers[0].succeeded(login_name, "10.0.4.1")
    workers[1].check(login_name, "10.0.4.1")
