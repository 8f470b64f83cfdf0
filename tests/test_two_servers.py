"""Many servers, one truth: two ``motcua serve`` processes and two workers on one database.

The test starts everything itself: a private redis-server (the shared rate-limit store), two
app servers (gunicorn, as production runs them) on the test's database and data folder, and
two ``motcua worker`` processes. Assertions never read the wall clock: the servers run on it,
so codes are grouped by the day in them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from conftest import PASSWORD, free_port, ward_of
from motcua.accounts.service import create_token
from motcua.printing.jobs import print_record
from motcua.printing.models import PrintJob
from motcua.records.models import Record
from motcua.records.service import Applicant, receive
from records_support import MARITAL, publish_form, sample_values


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture
def cluster(app, users, ward_a, redis_url, tmp_path):  # noqa: ANN001, ANN201
    """Two app servers and nothing else yet; yields (base URLs, environment)."""
    publish_form(ward_a, MARITAL)
    settings = app.extensions["motcua.settings"]
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "MOTCUA_DATA_DIR": str(settings.data_dir),
        "SECRET_KEY": "two-servers-secret",
        "MOTCUA_RATELIMIT_STORAGE": redis_url,
        "MOTCUA_SECURE_COOKIES": "0",
        "MOTCUA_PLUGIN_AUTOLOAD": "0",
    }
    servers, urls = [], []
    for _ in range(2):
        port = free_port()
        log = (tmp_path / f"server-{port}.log").open("w")
        servers.append(subprocess.Popen(
            [sys.executable, "-m", "motcua.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],  # noqa: S603
            env=env, stdout=log, stderr=subprocess.STDOUT,
        ))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_for(f"{url}/healthz")
        yield urls, env
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)


def login(client: httpx.Client, base: str, password: str = PASSWORD) -> httpx.Response:
    page = client.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(f"{base}/login", data={"login": "canbo-a", "password": password, "csrf_token": token})


def test_two_servers_and_two_workers_share_one_truth(app, users, ward_a, cluster, tmp_path):
    """One cluster for all four checks: starting servers is the slow part."""
    urls, env = cluster
    a_login_on_one_server_works_on_the_other(urls)
    receptions_on_both_servers_get_gap_free_codes(users, ward_a, urls)
    two_workers_never_render_the_same_job_twice(ward_a, env, tmp_path)
    the_login_rate_limit_holds_across_servers(app, urls)  # last: it spends the address's quota


def a_login_on_one_server_works_on_the_other(urls: list[str]) -> None:
    first, second = urls
    with httpx.Client() as browser:
        assert login(browser, first).status_code in (302, 303)
        page = browser.get(f"{second}/phuong-nenh/ho-so/")
        assert page.status_code == 200 and "canbo-a" in page.text


def the_login_rate_limit_holds_across_servers(app, urls: list[str]) -> None:  # noqa: ANN001
    limit = int(app.extensions["motcua.settings"].login_rate_limit.split()[0])  # "20 per minute"

    def attempt(i: int) -> int:
        with httpx.Client(timeout=60) as browser:  # a new browser each time: only the address is shared
            return login(browser, urls[i % 2], password="sai-mat-khau").status_code

    # At once, so all of them fall in one minute's window even on a busy machine; with a
    # counter per worker process (4 here) every one of them would pass.
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(attempt, range(2 * limit)))
    # The good sign-in above may share the window: at most `limit` pass, over both servers.
    assert answers.count(401) <= limit and answers.count(429) >= limit, answers


def receptions_on_both_servers_get_gap_free_codes(users, ward_a, urls: list[str]) -> None:  # noqa: ANN001
    _, token = create_token(ward_a, users.admin_a)
    body = {"procedure": MARITAL, "values": sample_values(),
            "applicant": {"name": "Vũ Hoàng Nam", "id_number": "024096003333", "phone": "0977111222"}}

    def post(i: int) -> int:
        answer = httpx.post(f"{urls[i % 2]}/api/v1/records", json=body,
                            headers={"Authorization": f"Bearer {token}"}, timeout=60)
        return answer.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post, range(60)))
    assert statuses == [201] * 60
    by_day: dict[str, list[int]] = defaultdict(list)
    for (code,) in Record.select(Record.code).where(Record.tenant == ward_a).tuples():
        prefix, _, seq = code.rpartition("-")
        by_day[prefix].append(int(seq))
    assert sum(len(v) for v in by_day.values()) == 60
    for seqs in by_day.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))  # no gap, no number twice


def two_workers_never_render_the_same_job_twice(ward_a, env: dict, tmp_path: Path) -> None:  # noqa: ANN001
    ward = ward_of(ward_a)
    record = receive(ward, MARITAL, sample_values(), applicant=Applicant("Lê Thị Hoa", "", "", ""), actor="x").record
    jobs = [print_record(ward, record.code, "01", actor="x").id for _ in range(12)]
    workers = [
        subprocess.Popen([sys.executable, "-m", "motcua.cli", "worker"], env=env,
                         stdout=(tmp_path / f"worker-{i}.log").open("w"), stderr=subprocess.STDOUT)
        for i in range(2)
    ]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            done = PrintJob.select().where(PrintJob.id.in_(jobs), PrintJob.status == "rendered").count()
            if done == len(jobs):
                break
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)
    rows = list(PrintJob.select().where(PrintJob.id.in_(jobs)))
    assert [row.status for row in rows] == ["rendered"] * len(jobs)
    assert [row.attempts for row in rows] == [1] * len(jobs)  # each claimed and rendered once
    data_dir = Path(env["MOTCUA_DATA_DIR"])
    assert all((data_dir / row.pdf_path).read_bytes().startswith(b"%PDF") for row in rows)
