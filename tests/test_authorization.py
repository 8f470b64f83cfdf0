"""Authorization by permission: token scopes hold for decisions, counter staff stay out of
the notebook editor's run and the template previews, and every route names what it needs."""

from __future__ import annotations

from conftest import REPO, csrf_token, login
from motcua.accounts.roles import PERMISSION_NAMES, permissions_of
from motcua.accounts.service import create_token
from motcua.notebooks import read_ipynb, service
from motcua.records.models import Record
from records_support import MARITAL, publish_form, sample_values
from test_isolation import OPEN_ENDPOINTS, SKIPPED_METHODS, build_url, is_public, ward_b_samples

APPLICANT = {"name": "Vũ Hoàng Nam", "id_number": "024096003333", "phone": "0977111222"}


def _in_progress(client, headers) -> str:  # noqa: ANN001
    body = {"procedure": MARITAL, "values": sample_values(), "applicant": APPLICANT, "channel": "direct"}
    code = client.post("/api/v1/records", json=body, headers=headers).json["code"]
    moved = client.post(f"/api/v1/records/{code}/transitions", json={"action": "assign", "lock_version": 1},
                        headers=headers)
    assert moved.status_code == 200, moved.json
    return code


def test_a_token_without_records_decide_cannot_approve_or_reject(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    scopes = sorted(permissions_of("leader") - {"records.decide"})
    _, narrow = create_token(ward_a, users.leader_a, scopes=scopes)
    headers = {"Authorization": f"Bearer {narrow}"}
    code = _in_progress(client, headers)
    for action, inputs in (("approve", {}), ("reject", {"reason": "Thiếu giấy tờ"})):
        refused = client.post(f"/api/v1/records/{code}/transitions",
                              json={"action": action, "lock_version": 2, "inputs": inputs}, headers=headers)
        assert refused.status_code == 403, refused.json
        assert refused.json["error"]["permission"] == "records.decide"
    record = Record.get(Record.code == code)
    assert (record.status, record.lock_version) == ("in_progress", 2)
    _, full = create_token(ward_a, users.leader_a)
    approved = client.post(f"/api/v1/records/{code}/transitions", json={"action": "approve", "lock_version": 2},
                           headers={"Authorization": f"Bearer {full}"})
    assert approved.status_code == 200 and approved.json["status"] == "approved"


def test_counter_staff_cannot_run_the_editor_or_preview_templates(client, users, ward_a):
    nb = read_ipynb(REPO / "forms" / "dang-ky-khai-sinh.ipynb")
    service.import_notebook(ward_a, nb, actor="test")
    template = next(c for c in nb.cells if c.kind == "template")
    url = f"/{ward_a.slug}/quy-trinh/{nb.key}/"
    login(client, "canbo-a")
    token = csrf_token(client, url)
    page = client.get(url)
    assert page.status_code == 200 and 'data-run-url=""' in page.get_data(as_text=True)
    assert client.post(f"{url}chay", data={"csrf_token": token}).status_code == 403
    assert client.get(f"{url}mau-in/{template.id}").status_code == 403
    assert client.post(f"{url}mau-in/{template.id}", data={"csrf_token": token}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    login(client, "quantri-a")
    assert client.get(f"{url}mau-in/{template.id}").status_code == 200


# The routes whose guard is not ``@requires``/``@api_requires`` (which set the view's
# ``required_permission``): what each needs, in one place. A ward permission here is
# walked like the decorated ones; the other guards are named for the reader.
GUARDS = {
    "ward.home": "any member",
    "api.me": "any valid token",
    "shell.province_overview": "province admin",
    "province_reports.dashboard": "province admin",
    "province_reports.records": "province admin",
    "province_reports.export_csv": "province admin",
    "province_reports.export_xlsx": "province admin",
    "province_reports.export_pdf": "province admin",
    "plugins_admin.load_errors": "platform admin",
    "sync_province.province_sync": "province admin",
    **{f"agent_api.{name}": "agent token" for name in ("hello", "jobs", "job_pdf", "job_result", "scans", "health")},
    "x_queue.queue.setup_page": "ward.configure",
    "x_queue.queue.setup_save": "ward.configure",
    "x_queue.queue.figures_page": "reports.view",
    "x_queue.queue.figures_xlsx": "reports.view",
    **{f"x_queue.queue.{name}": "records.receive"
       for name in ("counters", "counter_page", "counter_action", "receive_from_ticket", "counter_status")},
}


def permission_table(app) -> dict[str, str]:  # noqa: ANN001
    """Return what every guarded route needs: endpoint -> permission (or guard)."""
    table = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OPEN_ENDPOINTS or is_public(app, rule.endpoint):
            continue
        needed = getattr(app.view_functions[rule.endpoint], "required_permission", None)
        table[rule.endpoint] = needed or GUARDS.get(rule.endpoint, "")
    return table


def test_every_ward_and_api_route_names_its_permission(app):
    unnamed = sorted(endpoint for endpoint, needed in permission_table(app).items() if not needed)
    assert not unnamed, "name the permission (@requires) or the guard (GUARDS) of: " + ", ".join(unnamed)
    assert set(GUARDS) <= set(permission_table(app)), "GUARDS names a route that is gone"


def test_counter_staff_are_refused_every_route_their_role_lacks(app, client, users, ward_a):
    """Walk the permission table (each route's ``required_permission``) as counter staff of
    ward A against ward A's own data: a route needing what staff lack answers 403."""
    login(client, "canbo-a")
    token = csrf_token(client, f"/{ward_a.slug}/")
    _, api_token = create_token(ward_a, users.staff_a)
    samples = ward_b_samples(ward_a)
    staff = permissions_of("staff")
    table = permission_table(app)
    walked = 0
    for rule in app.url_map.iter_rules():
        needed = table.get(rule.endpoint)
        if needed not in PERMISSION_NAMES or needed in staff:
            continue
        url = build_url(rule, samples)
        headers = {"Authorization": f"Bearer {api_token}"} if url.startswith("/api/") else {}
        for method in sorted(rule.methods - SKIPPED_METHODS):
            response = client.open(url, method=method, data={"csrf_token": token}, headers=headers)
            assert response.status_code == 403, f"{method} {url} ({needed}) answered {response.status_code}"
            walked += 1
    assert walked >= 10
