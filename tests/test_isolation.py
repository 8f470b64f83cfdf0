"""Tenant isolation: every registered route, walked as a user (and token) of ward A
against ward B, is refused (403/404) and leaves ward B's data exactly as it was.

New routes are covered without editing this test. A route with a path parameter this test
cannot fill fails with a message saying where to add a ward-B sample value.
"""

from __future__ import annotations

import hashlib
import json

from conftest import csrf_token, login, ward_of
from motcua.accounts.service import create_token
from motcua.db import database

# Routes that are not ward data at all.
OPEN_ENDPOINTS = {"assets.static", "assets.favicon", "health.healthz", "auth.login", "auth.logout", "auth.language", "shell.index"}
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def ward_b_samples(ward_b) -> dict[str, str]:  # noqa: ANN001
    """Values of ward B for each path parameter name used by a route."""
    return {
        "tenant_slug": ward_b.slug,
        "province_slug": ward_b.province.slug,
        "code": f"{ward_b.code}-260302-0001",  # a record code of ward B
        "key": _notebook_of(ward_b),  # a procedure key (published in ward B)
        "cell_id": "phieu-kiem-tra",  # a cell of that notebook
        "number": "1", "old": "1", "new": "1",  # its version numbers
        "job_id": str(_print_job_of(ward_b)),  # a print job of ward B
        "form": "01",  # a print form
        "layer": "builtin",  # a print template layer
        "attachment_id": "1",  # an attachment (of the record above)
        "counter_id": str(_counter_of(ward_b)),  # a counter of ward B
        "token_id": str(_agent_token_of(ward_b)),  # an agent token of ward B
        "capture": "job-1",  # a virtual printer capture (of the counter above)
        "desk_id": str(_queue_desk_of(ward_b)),  # a queue counter of ward B (plugin queue)
        "login": "canbo-b",  # a user of ward B (the ward's people page)
        "stored": _import_file_of(ward_b),  # a checked import file of ward B
        "item_id": str(_inbox_item_of(ward_b)),  # an online dossier in ward B's inbox
        "file_index": "0",  # its first file
        "message_id": str(_outbox_message_of(ward_b)),  # a message of ward B's outbox
        "connector": "dvcqg",  # a connector (its webhook is public and signed: skipped)
    }


def _import_file_of(ward_b) -> str:  # noqa: ANN001
    data = "Mã hồ sơ,Thủ tục,Ngày tiếp nhận,Trạng thái,Người nộp\nB-1,x,01/07/2025,received,Lê B\n".encode()
    name = f"{hashlib.sha256(data).hexdigest()}.csv"
    folder = ward_of(ward_b).data_dir / "imports" / ward_b.code
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return name


def _counter_of(ward_b) -> int:  # noqa: ANN001
    from motcua.tenancy.models import Counter

    return Counter.get(Counter.tenant == ward_b).id


def _agent_token_of(ward_b) -> int:  # noqa: ANN001
    from motcua.devices.service import create_agent_token, find_counter

    return create_agent_token(ward_b, find_counter(ward_b, "q1"))[0].id


def _queue_desk_of(ward_b) -> int:  # noqa: ANN001
    from motcua_queue.setup import desks
    from queue_support import seeded

    seeded(ward_b)
    return desks(ward_b.id)[0].id


def _notebook_of(ward_b) -> str:  # noqa: ANN001
    from conftest import REPO
    from motcua.notebooks import read_ipynb, service

    nb = read_ipynb(REPO / "forms" / "dang-ky-khai-sinh.ipynb")
    service.import_notebook(ward_b, nb, actor="test")
    service.publish(ward_b, nb.key, toolkit=ward_of(ward_b).toolkit, actor="test")
    return nb.key


def _print_job_of(ward_b) -> int:  # noqa: ANN001
    from datetime import date

    from motcua.printing.models import PrintJob

    return PrintJob.create(tenant=ward_b, form="07", template_layer="builtin", template_hash="0" * 64,
                           paper="A4-landscape", period_start=date(2026, 3, 1), period_end=date(2026, 4, 1)).id


def _inbox_item_of(ward_b) -> int:  # noqa: ANN001
    from datetime import datetime

    from motcua.connectors.models import InboxItem

    found = InboxItem.get_or_none(InboxItem.tenant == ward_b, InboxItem.portal_ref == "G-B-1")
    return (found or InboxItem.create(
        tenant=ward_b, connector="dvcqg", portal_ref="G-B-1", submitted_at=datetime(2026, 3, 2, 8, 0),
        files=[{"name": "a.pdf", "content_type": "application/pdf", "size": 1, "content": "JQ=="}])).id


def _outbox_message_of(ward_b) -> int:  # noqa: ANN001
    from motcua.connectors.models import OutboxMessage

    found = OutboxMessage.get_or_none(OutboxMessage.tenant == ward_b, OutboxMessage.record_key == "B-1")
    return (found or OutboxMessage.create(tenant=ward_b, connector="dvcqg", kind="record.received", record_key="B-1",
                                          seq=1, idempotency_key="b" * 32, state="dead")).id


def tenant_tables() -> list[str]:
    tables = database.get_tables()
    return [t for t in tables if any(c.name == "tenant_id" for c in database.get_columns(t))]


def snapshot(tenant_id: int) -> str:
    digest = hashlib.sha256()
    for table in sorted(tenant_tables()):
        rows = database.execute_sql(f'SELECT * FROM "{table}" WHERE tenant_id = {int(tenant_id)} ORDER BY 1').fetchall()
        digest.update(table.encode())
        digest.update(json.dumps(rows, default=str, sort_keys=True).encode())
    return digest.hexdigest()


def build_url(rule, samples: dict[str, str]) -> str:  # noqa: ANN001
    missing = [arg for arg in rule.arguments if arg not in samples]
    assert not missing, (
        f"route {rule.rule} ({rule.endpoint}) has path parameters {missing}: add a ward-B sample value "
        "for them in tests/test_isolation.py::ward_b_samples so its isolation is tested"
    )
    path = rule.rule
    for arg in rule.arguments:
        path = path.replace(f"<{arg}>", samples[arg])
        for converter in ("string", "int", "path"):
            path = path.replace(f"<{converter}:{arg}>", samples[arg])
    return path


def is_public(app, endpoint: str) -> bool:  # noqa: ANN001
    return getattr(app.view_functions[endpoint], "public", False)


def test_every_route_refuses_another_wards_user(app, client, users, ward_a, ward_b):
    login(client, "quantri-a")  # the most powerful role of ward A
    token = csrf_token(client, f"/{ward_a.slug}/")
    _, api_token = create_token(ward_a, users.admin_a)
    from motcua.devices.service import create_agent_token, find_counter

    _, agent_token = create_agent_token(ward_a, find_counter(ward_a, "q1"))
    samples = ward_b_samples(ward_b)
    before = snapshot(ward_b.id)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OPEN_ENDPOINTS or is_public(app, rule.endpoint):
            continue
        url = build_url(rule, samples)
        for method in sorted(rule.methods - SKIPPED_METHODS):
            headers = {"Authorization": f"Bearer {api_token}"} if url.startswith("/api/") else {}
            if url.startswith("/api/agent/"):
                headers = {"Authorization": f"Bearer {agent_token}"}
            response = client.open(url, method=method, data={"csrf_token": token}, headers=headers)
            body = response.get_data(as_text=True)
            if url.startswith("/api/") and not rule.arguments:
                # Token-scoped API routes without parameters only ever see the token's ward.
                assert ward_b.code not in body and ward_b.slug not in body, f"{method} {url} leaks ward B"
            else:
                assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 3
    assert snapshot(ward_b.id) == before


def test_ward_b_pages_work_for_ward_b(client, users, ward_b):
    """The refusals above are about the user, not broken pages."""
    login(client, "quantri-b")
    assert client.get(f"/{ward_b.slug}/").status_code == 200


def test_unauthenticated_ward_pages_redirect_to_login(app, client, ward_b):
    for rule in app.url_map.iter_rules():
        if "tenant_slug" not in rule.arguments or is_public(app, rule.endpoint) or "GET" not in rule.methods:
            continue
        if rule.arguments - {"tenant_slug"}:
            continue
        response = client.get(build_url(rule, ward_b_samples(ward_b)))
        assert response.status_code == 302 and "/login" in response.headers["Location"], rule.rule
