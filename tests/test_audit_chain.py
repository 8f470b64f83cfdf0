"""The audit log's hash chain: `motcua audit verify` catches an edited and a removed row."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from motcua import audit_chain
from motcua.audit import AuditAnchor, AuditLog, audit
from motcua.cli import main
from motcua.db import database, write_transaction


@pytest.fixture
def env(app, monkeypatch):  # noqa: ANN001, ANN201
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("MOTCUA_PLUGIN_AUTOLOAD", "0")
    return settings


def _rows(ward, count: int = 6) -> list[AuditLog]:  # noqa: ANN001
    with write_transaction():
        return [audit("record.note", tenant=ward, actor="canbo-a", target=f"R-{n}", ip="10.0.0.1",
                      detail={"n": n, "text": "Nguyễn Văn An", "when": "2026-12-02"}) for n in range(count)]


def verify(ward):  # noqa: ANN001, ANN201
    return CliRunner().invoke(main, ["audit", "verify", "--tenant", ward.code])


def test_an_untouched_chain_verifies(env, users, ward_a, ward_b):
    _rows(ward_a)
    _rows(ward_b, 3)  # another ward's rows are another chain
    answer = verify(ward_a)
    assert answer.exit_code == 0, answer.output
    assert "intact" in answer.output
    assert audit_chain.verify(ward_b.id).intact and audit_chain.verify(None).intact  # users: platform rows


def test_an_edited_row_is_caught(env, users, ward_a):
    rows = _rows(ward_a)
    AuditLog.update(target="R-sua").where(AuditLog.id == rows[2].id).execute()
    answer = verify(ward_a)
    assert answer.exit_code == 1 and f"row id {rows[2].id}" in answer.output, answer.output
    verdict = audit_chain.verify(ward_a.id)
    assert verdict.broken_at == rows[2].id


def test_an_edited_detail_or_time_is_caught(env, users, ward_a):
    rows = _rows(ward_a)
    database.execute_sql("UPDATE audit_log SET detail = %s WHERE id = %s".replace("%s", database.obj.param),
                         ('{"n": 99}', rows[4].id))
    assert audit_chain.verify(ward_a.id).broken_at == rows[4].id


def test_a_removed_row_is_caught_at_the_next(env, users, ward_a):
    rows = _rows(ward_a)
    AuditLog.delete().where(AuditLog.id == rows[3].id).execute()
    answer = verify(ward_a)
    assert answer.exit_code == 1 and f"row id {rows[4].id}" in answer.output, answer.output


def test_removing_the_newest_rows_is_caught_by_an_anchor(env, users, ward_a):
    rows = _rows(ward_a)
    assert CliRunner().invoke(main, ["audit", "anchor", "--tenant", ward_a.code]).exit_code == 0
    assert AuditAnchor.get(AuditAnchor.tenant == ward_a.id).audit_id == rows[-1].id
    AuditLog.delete().where(AuditLog.id == rows[-1].id).execute()
    verdict = audit_chain.verify(ward_a.id)
    assert verdict.broken_at == rows[-1].id and "anchored" in verdict.reason
    assert verify(ward_a).exit_code == 1


def test_rows_from_before_the_chain_are_counted_not_blamed(env, ward_a):
    with write_transaction():
        for n in range(2):
            AuditLog.create(tenant=ward_a, actor="old", action="old.row", target=str(n), detail={}, ip="")
    _rows(ward_a, 3)
    verdict = audit_chain.verify(ward_a.id)
    assert verdict.intact and verdict.unchained == 2 and verdict.checked == 3


def test_a_hash_blanked_after_the_chain_started_is_caught(env, users, ward_a):
    rows = _rows(ward_a)
    AuditLog.update(chain_hash="").where(AuditLog.id == rows[1].id).execute()
    assert audit_chain.verify(ward_a.id).broken_at == rows[1].id
