"""The agent end to end: the real server and ``motcua agent --emulate`` as processes, the
ESC/POS driver over the emulated pyusb bus, faults, kill -9, and scans into the right form."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from conftest import csrf_token, login, ward_of
from motcua.db import database
from motcua.devices import escpos
from motcua.devices.demo import DEMO_AGENT_NAME, captures_dir, prepare_demo_agents
from motcua.devices.models import PrintDelivery
from motcua.devices.service import create_agent_token, find_counter
from motcua.printing.jobs import pdf_for, print_record
from motcua.printing.raster import pdf_to_thermal
from motcua.records import Applicant, receive
from records_support import MARITAL, publish_form, sample_values

APPLICANT = Applicant("Nguyễn Thị Hồng Ánh", "024190001234", "0912345678", "Số 12 Hoàng Hoa Thám")
CCCD = "024190001234|123456789|Trần Văn Bình|15031990|Nam|Số 5 Lê Lợi, phường Nếnh|10052021"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    def __init__(self, app, tmp_path: Path) -> None:  # noqa: ANN001
        settings = app.extensions["motcua.settings"]
        self.env = {**os.environ, "DATABASE_URL": settings.database_url, "MOTCUA_DATA_DIR": str(settings.data_dir),
                    "SECRET_KEY": "test-secret", "MOTCUA_SECURE_COOKIES": "0"}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # where the counters page of ward A's counter q1 finds its virtual printer
        self.capture = captures_dir(settings.data_dir, "07795", "q1")
        self.state = tmp_path / "agent-state"
        self.running: list[subprocess.Popen] = []
        self.server: subprocess.Popen | None = None
        self.log = tmp_path / "processes.log"

    def start_server(self) -> None:
        with self.log.open("ab") as out:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "motcua.cli", "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                 "--threads", "4"], env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.running.append(self.server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start: " + self.log.read_text(errors="replace")[-2000:])

    def kill(self, process: subprocess.Popen) -> None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def agent(self, token: str, *extra: str, emulate: str = "printer") -> subprocess.Popen:
        with self.log.open("ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "motcua.cli", "agent", "--server", self.url, "--token", token,
                 "--emulate", emulate, "--capture-dir", str(self.capture), "--state-dir", str(self.state),
                 "--wait", "1", "-v", *extra], env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.running.append(process)
        return process

    def agent_once(self, token: str, emulate: str = "printer") -> None:
        process = self.agent(token, "--once", emulate=emulate)
        assert process.wait(timeout=90) == 0, self.log.read_text(errors="replace")[-3000:]

    def control(self, **faults: object) -> None:
        self.capture.mkdir(parents=True, exist_ok=True)
        path = self.capture / "printer-control.json"
        path.write_text(json.dumps(faults))
        stamp = time.time() + len(self.capture_lines())  # a new mtime even within one second
        os.utime(path, (stamp, stamp))

    def capture_lines(self) -> list[dict]:
        path = self.capture / "pages.log"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def stop(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def procs(app, tmp_path):  # noqa: ANN001, ANN201
    processes = Processes(app, tmp_path)
    yield processes
    processes.stop()


@pytest.fixture
def counter_job(app, ward_a):  # noqa: ANN001, ANN201
    """A slip 01 owed by counter q1 of ward A, and the counter's agent token."""
    publish_form(ward_a)
    counter = find_counter(ward_a, "q1")
    record = receive(ward_of(ward_a), MARITAL, sample_values(), applicant=APPLICANT, actor="canbo-a",
                     counter=counter).record
    job = print_record(ward_of(ward_a), record.code, "01", actor="canbo-a")
    _, token = create_agent_token(ward_a, counter)
    database.close()
    return job, token


def delivery_of(job):  # noqa: ANN001, ANN201
    database.connect(reuse_if_open=True)
    return PrintDelivery.get_or_none(PrintDelivery.job == job.id)


def printed_pages(procs: Processes, job) -> int:  # noqa: ANN001
    return sum(1 for line in procs.capture_lines() if line["label"] == f"job-{job.id}")


def test_slip_01_comes_out_of_the_emulated_counter_printer(procs, counter_job, ward_a, client, users):
    job, token = counter_job
    procs.start_server()
    procs.agent_once(token)
    delivery = delivery_of(job)
    assert delivery.status == "printed" and delivery.device == "escpos-usb@1.4"
    stream = (procs.capture / f"job-{job.id}.bin").read_bytes()
    decoded = escpos.decode(stream)
    assert decoded.cuts == 1 and decoded.widths and set(decoded.widths) == {72}  # GS v 0, 576 dots
    expected = pdf_to_thermal(pdf_for(ward_of(ward_a), job))
    page = decoded.pages[0].crop((0, 0, expected.width, expected.height))
    assert ImageChops.difference(page.convert("L"), expected.convert("L")).getbbox() is None
    assert printed_pages(procs, job) == 1
    procs.agent_once(token)  # nothing owed any more: printed once
    assert printed_pages(procs, job) == 1
    # the counters page's virtual printer shows the same paper
    login(client, "canbo-a")
    counter = find_counter(ward_a, "q1")
    page = client.get(f"/{ward_a.slug}/quay/{counter.id}/may-in-ao").get_data(as_text=True)
    assert f"job-{job.id}" in page and "GS v 0 72 bytes/row" in page
    png = client.get(f"/{ward_a.slug}/quay/{counter.id}/may-in-ao/job-{job.id}.png")
    shown = Image.open(io.BytesIO(png.data)).convert("L").crop((0, 0, expected.width, expected.height))
    assert ImageChops.difference(shown, expected.convert("L")).getbbox() is None
    assert client.get(f"/{ward_a.slug}/quay/{counter.id}/may-in-ao/job-999.png").status_code == 404


@pytest.mark.parametrize("fault, state", [
    ({"paper_out": True}, "paper_out"),
    ({"cover_open": True}, "cover_open"),
    ({"timeout_after": 20000}, "timeout"),
    ({"unplug_after": 20000}, "unplugged"),
])
def test_a_device_fault_keeps_the_job_and_it_prints_once_after_recovery(procs, counter_job, fault, state):
    job, token = counter_job
    procs.control(**fault)
    procs.start_server()
    procs.agent_once(token)
    failed = delivery_of(job)
    assert failed.status == "failed" and failed.error_en and failed.error_vi != failed.error_en
    assert printed_pages(procs, job) == 0
    procs.control()  # paper loaded, cover closed, cable back
    procs.agent_once(token)
    assert delivery_of(job).status == "printed"
    assert printed_pages(procs, job) == 1
    if state in ("timeout", "unplugged"):  # the torn first attempt is kept apart from the slip
        assert (procs.capture / f"job-{job.id}.1.bin").exists()
        assert escpos.decode((procs.capture / f"job-{job.id}.bin").read_bytes()).cuts == 1


def test_agent_killed_mid_job_prints_it_once_after_restart(procs, counter_job):
    job, token = counter_job
    procs.control(delay=0.15)  # each 4 KB chunk takes 0.15 s: the slip takes seconds
    procs.start_server()
    agent = procs.agent(token)
    target = procs.capture / f"job-{job.id}.bin"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (target.exists() and target.stat().st_size > 8192):
        time.sleep(0.05)
    assert target.exists(), procs.log.read_text(errors="replace")[-3000:]
    procs.kill(agent)
    assert printed_pages(procs, job) == 0 and delivery_of(job) is None
    procs.control()
    procs.agent_once(token)
    assert delivery_of(job).status == "printed" and printed_pages(procs, job) == 1


def test_server_killed_mid_job_loses_nothing_and_prints_once(procs, counter_job):
    job, token = counter_job
    procs.control(delay=0.15)
    procs.start_server()
    agent = procs.agent(token)
    target = procs.capture / f"job-{job.id}.bin"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not target.exists():
        time.sleep(0.05)
    procs.kill(procs.server)  # the printer is still taking the slip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and printed_pages(procs, job) == 0:
        time.sleep(0.1)
    assert printed_pages(procs, job) == 1 and delivery_of(job) is None  # printed, not yet told
    procs.control()
    procs.start_server()  # the agent reconnects with backoff and acknowledges from its journal
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (delivery_of(job) is None or delivery_of(job).status != "printed"):
        time.sleep(0.3)
    assert delivery_of(job).status == "printed"
    time.sleep(2)  # a few more polls: nothing printed again
    assert printed_pages(procs, job) == 1
    agent.send_signal(signal.SIGTERM)
    agent.wait(timeout=30)


def test_scripted_scan_fills_the_right_counters_form(procs, app, client, users, ward_a):
    publish_form(ward_a)
    q1 = find_counter(ward_a, "q1")
    from motcua.tenancy.models import Counter

    q2 = Counter.create(tenant=ward_a, reception_point=q1.reception_point, key="q2", name="Quầy 2")
    _, token = create_agent_token(ward_a, q1)
    database.close()
    procs.capture.mkdir(parents=True)
    (procs.capture / "scanner-script.txt").write_text(CCCD + "\n", encoding="utf-8")
    procs.start_server()
    procs.agent_once(token, emulate="printer,scanner")
    login(client, "canbo-a")
    csrf = csrf_token(client, f"/{ward_a.slug}/quay/")
    assert client.post(f"/{ward_a.slug}/quay/{q2.id}/quet", data={"csrf_token": csrf}).get_json()["text"] is None
    got = client.post(f"/{ward_a.slug}/quay/{q1.id}/quet", data={"csrf_token": csrf}).get_json()
    assert got["text"] == CCCD
    # the form's QR button runs the existing CCCD parser on it
    page = client.post(f"/{ward_a.slug}/ho-so/tiep-nhan/{MARITAL}",
                       data={"csrf_token": csrf, "qr": got["text"], "qr_prefill": "1", "counter": str(q1.id)})
    assert "Trần Văn Bình" in page.get_data(as_text=True)
    health = client.get(f"/{ward_a.slug}/quay/trang-thai.json").get_json()["counters"]
    states = {d["name"]: d["state"] for c in health if c["counter"] == q1.id for d in c["devices"]}
    assert states == {"escpos-usb@1.4": "online", "hid-pos-scanner@1.5": "online"}


def test_demo_gives_every_counter_a_fresh_agent(app, ward_a, ward_b):
    data_dir = app.extensions["motcua.settings"].data_dir
    first = prepare_demo_agents(data_dir)
    assert {(a.tenant_code, a.counter_key) for a in first} == {(ward_a.code, "q1"), (ward_b.code, "q1")}
    assert first[0].capture_dir == captures_dir(data_dir, first[0].tenant_code, "q1")
    second = prepare_demo_agents(data_dir)
    from motcua.devices.models import AgentToken
    from motcua.devices.service import verify_agent_token

    assert verify_agent_token(first[0].token) is None and verify_agent_token(second[0].token) is not None
    assert AgentToken.select().where(AgentToken.name == DEMO_AGENT_NAME, AgentToken.revoked_at.is_null()).count() == 2


def test_a_scan_read_while_the_server_is_down_waits_on_disk_and_arrives(procs, app, ward_a):
    counter = find_counter(ward_a, "q1")
    _, token = create_agent_token(ward_a, counter)
    database.close()
    procs.capture.mkdir(parents=True)
    (procs.capture / "scanner-script.txt").write_text(CCCD + "\n", encoding="utf-8")
    agent = procs.agent(token, emulate="printer,scanner")  # the server is not running yet
    outbox = procs.state / "outbox"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(outbox.glob("*.json")):
        time.sleep(0.1)
    (kept,) = list(outbox.glob("*.json"))
    assert json.loads(kept.read_text())["body"]["text"] == CCCD
    procs.kill(agent)  # even a killed agent keeps it
    agent = procs.agent(token, emulate="printer,scanner")
    procs.start_server()
    from motcua.devices.models import CounterScan

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        database.connect(reuse_if_open=True)
        if CounterScan.select().where(CounterScan.counter == counter.id).count():
            break
        database.close()
        time.sleep(0.3)
    scans = list(CounterScan.select().where(CounterScan.counter == counter.id))
    assert [s.text for s in scans] == [CCCD]  # once: the script line is not read again
    # The server commits the scan before the agent reads its answer and drops the file.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and list(outbox.glob("*.json")):
        time.sleep(0.1)
    assert not list(outbox.glob("*.json"))
    agent.send_signal(signal.SIGTERM)
    agent.wait(timeout=30)
