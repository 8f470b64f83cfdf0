"""``motcua tenants merge``: a later re-merge moves a ward's records and setup, nothing lost."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from conftest import PASSWORD, make_tenant, ward_of
from motcua.accounts.models import Membership
from motcua.accounts.service import create_user, grant_role
from motcua.audit import AuditLog
from motcua.cli import main
from motcua.db import database
from motcua.errors import Conflict
from motcua.notebooks.store import NotebookVersion
from motcua.records.attachments import attach, check_file, read_attachment, tenant_dir
from motcua.records.models import Record, RecordEvent
from motcua.records.procedures import procedure
from motcua.records.service import Applicant, receive
from motcua.tenancy.merge import AUDIT_TABLES, merge_wards
from motcua.tenancy.models import CalendarOverride, ReceptionPoint, Tenant
from records_support import CERTIFY, MARITAL, publish_form, sample_values

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MON = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def wards(app):  # noqa: ANN001, ANN201
    """Phường Nếnh takes in Phương Liễu; both receive the marital status form."""
    into, old = make_tenant("07795"), make_tenant("09265")
    for tenant in (into, old):
        publish_form(tenant, MARITAL)
    publish_form(old, CERTIFY)
    return into, old


def take(tenant):  # noqa: ANN001, ANN201
    applicant = Applicant("Vũ Hoàng Nam", "024096003333", "0977111222", "Tổ 3")
    return receive(
        ward_of(tenant), MARITAL, sample_values(), applicant=applicant, actor="canbo", now=MON
    ).record


def tables_of(tenant) -> dict[str, int]:  # noqa: ANN001
    """Rows of ``tenant`` in every table with a tenant column, core or plugin."""
    db = database.obj
    counts = {}
    for table in db.get_tables():
        if table not in AUDIT_TABLES and "tenant_id" in {c.name for c in db.get_columns(table)}:
            (n,) = db.execute_sql(f'SELECT COUNT(*) FROM "{table}" WHERE tenant_id = {db.param}', (tenant.id,)).fetchone()  # noqa: S608
            if n:
                counts[table] = n
    return counts


def test_merge_moves_records_with_their_history_codes_and_files(app, wards):
    into, old = wards
    mine, theirs = take(into), take(old)
    theirs_version = theirs.notebook_version_id
    events_before = RecordEvent.select().where(RecordEvent.record == theirs).count()
    stored = attach(
        old,
        theirs,
        [check_file("giay.pdf", PDF, 10_000)],
        data_dir=ward_of(old).data_dir,
        actor="x",
    )
    before = procedure(into, MARITAL)
    data_dir = ward_of(into).data_dir

    report = merge_wards(into, [old], data_dir=data_dir, actor="tinh")

    moved = Record.get_by_id(theirs.id)
    assert moved.tenant_id == into.id and moved.code == theirs.code == "09265-260302-0001"
    assert moved.notebook_version_id == theirs_version  # still pinned to what it was received under
    assert NotebookVersion.get_by_id(theirs_version).tenant_id == into.id
    assert (
        RecordEvent.select().where(RecordEvent.record == moved, RecordEvent.tenant == into).count()
        == events_before
    )
    assert Record.get_by_id(mine.id).code == "07795-260302-0001"
    # What the receiving ward receives with does not change: its latest is published again on top.
    after = procedure(into, MARITAL)
    assert (
        after.notebook.key == before.notebook.key and after.version_number == 3
    )  # 1 its own, 2 the absorbed one
    assert (
        NotebookVersion.get_by_id(after.version_id).content_hash
        == NotebookVersion.get_by_id(before.version_id).content_hash
    )
    assert procedure(into, CERTIFY).key == CERTIFY  # the absorbed ward's procedure came along
    # Files follow, readable from the receiving ward, gone from the old folder.
    assert read_attachment(into, stored[0], data_dir) == PDF
    assert not (tenant_dir(data_dir, old) / stored[0].stored_name).exists()
    assert (
        report.files == 1
        and report.moved["record"] == 1
        and report.republished == {"notebook_version": 1}
    )
    # Nothing is left behind but the ward's own audit trail (a hash chain per ward), and
    # the merge is in the trail of both.
    assert tables_of(old) == {}
    assert AuditLog.get(AuditLog.tenant == old.id, AuditLog.action == "records.receive").target == theirs.code
    assert AuditLog.get(AuditLog.tenant == into.id, AuditLog.action == "tenant.merge").target == "09265"
    assert AuditLog.get(AuditLog.tenant == old.id, AuditLog.action == "tenant.merged_into").target == "07795"
    old = Tenant.get_by_id(old.id)
    assert not old.active and old.merged_into_id == into.id
    assert {
        "name": "Phường Phương Liễu",
        "code": "09265",
        "merged_at": "2026-12-02",
        "ward": True,
    } in Tenant.get_by_id(into.id).merged_from


def test_setup_merges_with_the_receiving_ward_winning_clashes(app, wards):
    into, old = wards
    both = create_user("canbo-ca-hai", PASSWORD, role="staff", tenant=into)
    grant_role(both, old, "ward_admin")
    only_old = create_user("canbo-cu", PASSWORD, role="leader", tenant=old)
    CalendarOverride.create(tenant=into, day=date(2026, 12, 31), working=False, note="Nếnh")
    CalendarOverride.create(tenant=old, day=date(2026, 12, 31), working=True, note="Phương Liễu")
    CalendarOverride.create(tenant=old, day=date(2026, 12, 30), working=False, note="lễ hội")

    merge_wards(into, [old], data_dir=ward_of(into).data_dir)

    roles = {m.user_id: m.role for m in Membership.select().where(Membership.tenant == into)}
    assert roles[both.id] == "staff" and roles[only_old.id] == "leader"
    days = {c.day: c.note for c in CalendarOverride.select().where(CalendarOverride.tenant == into)}
    assert days == {date(2026, 12, 31): "Nếnh", date(2026, 12, 30): "lễ hội"}
    points = sorted(p.key for p in ReceptionPoint.select().where(ReceptionPoint.tenant == into))
    assert points == ["chinh", "chinh-09265"]


def test_old_lookup_links_land_on_the_new_ward_and_find_the_record(app, client, wards):
    into, old = wards
    theirs = take(old)
    merge_wards(into, [old], data_dir=ward_of(into).data_dir)
    response = client.get(f"/phuong-phuong-lieu/tra-cuu?ma={theirs.code}")
    assert response.status_code == 308
    assert response.headers["Location"].endswith(
        f"/phuong-nenh/tra-cuu?ma={theirs.code}&tu=phuong-phuong-lieu"
    )
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and theirs.code in text
    assert "Phường Phương Liễu đã sáp nhập vào Phường Nếnh" in text
    refused = client.post(f"/phuong-phuong-lieu/ho-so/{theirs.code}/tep")  # a change: no redirect
    assert refused.status_code == 404
    assert "đã sáp nhập vào Phường Nếnh" in refused.get_data(as_text=True)


def test_dry_run_writes_nothing(app, wards):
    into, old = wards
    take(old)
    before = (tables_of(into), tables_of(old))
    report = merge_wards(into, [old], data_dir=ward_of(into).data_dir, dry_run=True)
    assert report.moved["record"] == 1
    assert (tables_of(into), tables_of(old)) == before
    assert Tenant.get_by_id(old.id).active


def test_a_clash_without_a_rule_stops_the_merge_untouched(app, wards):
    into, old = wards
    take(into)
    theirs = take(old)
    Record.update(code="07795-260302-0001").where(Record.id == theirs.id).execute()
    before = (tables_of(into), tables_of(old))
    with pytest.raises(Conflict) as failed:
        merge_wards(into, [old], data_dir=ward_of(into).data_dir)
    assert "bảng record" in failed.value.text.render("vi")
    assert (tables_of(into), tables_of(old)) == before


def test_cli_merge_and_its_refusals(app, wards, cli_env):
    runner = CliRunner()
    same = runner.invoke(main, ["tenants", "merge", "--into", "07795", "--from", "07795"])
    assert same.exit_code == 1 and "không thể sáp nhập vào chính nó" in same.output
    dry = runner.invoke(
        main, ["tenants", "merge", "--into", "07795", "--from", "09265", "--dry-run", "--json"]
    )
    assert dry.exit_code == 0 and json.loads(dry.output)["dry_run"] is True
    done = runner.invoke(main, ["tenants", "merge", "--into", "phuong-nenh", "--from", "09265"])
    assert done.exit_code == 0, done.output
    assert "Đã sáp nhập 09265 vào 07795" in done.output and "Merged 09265 into 07795" in done.output
    again = runner.invoke(main, ["tenants", "merge", "--into", "07795", "--from", "09265"])
    assert again.exit_code == 1 and "đã sáp nhập" in again.output


def test_a_plugins_own_tables_move_too(app, wards):
    from queue_support import seeded

    into, old = wards
    seeded(old)  # the queue plugin's services and counters, in its own tables
    before = tables_of(old)
    assert before.get("queue_service") and before.get("queue_counter")
    report = merge_wards(into, [old], data_dir=ward_of(into).data_dir)
    assert report.moved["queue_service"] == before["queue_service"]
    assert tables_of(old) == {}
    assert tables_of(into)["queue_counter"] == before["queue_counter"]


def test_a_clash_in_a_plugins_table_stops_the_merge_untouched(app, wards):
    from queue_support import seeded

    into, old = wards
    seeded(into)
    seeded(old)  # both wards have the same service keys in queue_service
    before = (tables_of(into), tables_of(old))
    with pytest.raises(Conflict) as failed:
        merge_wards(into, [old], data_dir=ward_of(into).data_dir)
    assert "bảng queue_" in failed.value.text.render("vi")
    assert (tables_of(into), tables_of(old)) == before
