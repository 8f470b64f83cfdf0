"""Drafts, publishing, versions, rollback, orphan confirmation, province layers, locking."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import REPO, ward_of
from motcua.audit import AuditLog
from motcua.errors import Conflict, NotFound, UserError
from motcua.notebooks import Cell, Notebook, Sample, read_ipynb, replace_cell, service
from motcua.notebooks.store import NotebookVersion


def copies_notebook(expected_fee: int = 12000) -> Notebook:
    """A small certification-of-copies notebook: two fields, a fee, one sample."""
    return Notebook(
        key="sao-y",
        name={"vi": "Chứng thực bản sao", "en": "Certified copies"},
        national_code="2.000815",
        cells=(
            Cell(
                "field-so_trang",
                "field",
                "",
                {
                    "name": "so_trang",
                    "type": "integer",
                    "required": True,
                    "label": {"vi": "Số trang", "en": "Pages"},
                },
            ),
            Cell(
                "field-so_ban",
                "field",
                "",
                {
                    "name": "so_ban",
                    "type": "integer",
                    "required": True,
                    "label": {"vi": "Số bản", "en": "Copies"},
                },
            ),
            Cell(
                "formula-le_phi",
                "formula",
                "so_trang * 2000 * so_ban",
                {"name": "le_phi", "label": {"vi": "Lệ phí", "en": "Fee"}, "overridable": True},
            ),
        ),
        samples=(
            Sample(
                "Hai trang, ba bản", {"so_trang": 2, "so_ban": 3}, True, {"le_phi": expected_fee}
            ),
        ),
    )


def test_publish_blocked_by_a_failing_sample(ward_a):
    service.create_draft(ward_a, copies_notebook(expected_fee=10000), actor="test")
    with pytest.raises(UserError) as refused:
        service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test")
    assert refused.value.status == 422
    samples = refused.value.details["samples"]
    assert samples[0]["name"] == "Hai trang, ba bản" and samples[0]["passed"] is False
    assert "12000" in samples[0]["failures"][0]["vi"]
    assert NotebookVersion.select().count() == 0


def test_versions_are_immutable_hashed_and_records_keep_theirs(ward_a):
    draft = service.create_draft(ward_a, copies_notebook(), actor="test")
    first = service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test")
    assert first.number == 1 and first.content_hash == copies_notebook().content_hash()
    pinned_id, pinned_content = first.id, first.content

    changed = replace_cell(
        copies_notebook(),
        Cell(
            "formula-le_phi",
            "formula",
            "so_trang * 3000 * so_ban",
            {"name": "le_phi", "label": {"vi": "Lệ phí", "en": "Fee"}},
        ),
    )
    changed = replace(
        changed, samples=(Sample("s", {"so_trang": 2, "so_ban": 3}, True, {"le_phi": 18000}),)
    )
    service.save_draft(ward_a, "sao-y", changed, lock_version=draft.lock_version, actor="test")
    second = service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test")
    assert second.number == 2 and second.content_hash != first.content_hash

    # A record pinned to version 1 still reads exactly what it was received under.
    kept = NotebookVersion.get_by_id(pinned_id)
    assert kept.content == pinned_content and kept.number == 1
    with pytest.raises(UserError):
        kept.note = "edited"
        kept.save()
    assert service.effective_version(ward_a, "sao-y").id == second.id
    # Publishing unchanged content again does not make a new version.
    assert service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test").id == second.id
    assert AuditLog.select().where(AuditLog.action == "notebooks.publish").count() == 2


def test_rollback_republishes_an_old_version(ward_a):
    draft = service.create_draft(ward_a, copies_notebook(), actor="test")
    service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test")
    edited = replace(copies_notebook(), name={"vi": "Tên mới", "en": "New name"})
    service.save_draft(ward_a, "sao-y", edited, lock_version=draft.lock_version, actor="test")
    service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test")
    third = service.rollback(ward_a, "sao-y", 1, toolkit=ward_of(ward_a).toolkit, actor="test")
    assert (
        third.number == 3
        and third.content_hash == service.get_version(ward_a, "sao-y", 1).content_hash
    )
    assert service.get_draft(ward_a, "sao-y").notebook().name["vi"] == "Chứng thực bản sao"
    changes = service.version_diff(ward_a, "sao-y", 1, 2)
    assert changes == [] or all(c.kind != "removed" for c in changes)
    with pytest.raises(NotFound):
        service.rollback(ward_a, "sao-y", 99, toolkit=ward_of(ward_a).toolkit, actor="test")


def test_orphaning_change_needs_confirmation(ward_a):
    draft = service.create_draft(ward_a, copies_notebook(), actor="test")
    service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test")
    fewer = Notebook(
        key="sao-y", name={"vi": "Bản sao", "en": "Copies"}, cells=copies_notebook().cells[:1]
    )
    service.save_draft(ward_a, "sao-y", fewer, lock_version=draft.lock_version, actor="test")
    with pytest.raises(UserError) as refused:
        service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test")
    assert refused.value.status == 409 and refused.value.details["reason"] == "orphans"
    assert any("so_ban" in text["vi"] for text in refused.value.details["orphans"])
    version = service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="test", confirm_orphans=True)
    assert version.number == 2


def test_stale_save_is_a_conflict(ward_a):
    draft = service.create_draft(ward_a, copies_notebook(), actor="test")
    service.save_draft(
        ward_a, "sao-y", copies_notebook(), lock_version=draft.lock_version, actor="one"
    )
    with pytest.raises(Conflict) as stale:
        service.save_draft(
            ward_a, "sao-y", copies_notebook(), lock_version=draft.lock_version, actor="two"
        )
    assert stale.value.status == 409
    assert service.get_draft(ward_a, "sao-y").lock_version == draft.lock_version + 1


def test_province_notebook_inherited_overridden_and_diffed(ward_a, ward_b):
    province_version = service.publish_province(
        ward_a.province_code, copies_notebook(), toolkit=ward_of(ward_a).toolkit, actor="tinh"
    )
    inherited = service.effective_version(ward_a, "sao-y")
    assert inherited.source == "province" and inherited.province_version_id == province_version.id
    assert service.procedures(ward_a)[0].state == "inherited"
    # Ward B is in another province: nothing inherited.
    with pytest.raises(NotFound):
        service.effective_version(ward_b, "sao-y")

    draft = service.start_from_province(ward_a, "sao-y", actor="phuong")
    nb = draft.notebook()
    cheaper = replace_cell(
        nb,
        Cell(
            "formula-le_phi",
            "formula",
            "so_trang * 1000 * so_ban",
            {"name": "le_phi", "label": {"vi": "Lệ phí", "en": "Fee"}, "overridable": True},
        ),
    )
    cheaper = replace(
        cheaper, samples=(Sample("s", {"so_trang": 2, "so_ban": 3}, True, {"le_phi": 6000}),)
    )
    service.save_draft(ward_a, "sao-y", cheaper, lock_version=draft.lock_version, actor="phuong")
    assert [c.cell_id for c in service.province_changes(ward_a, "sao-y")] == ["formula-le_phi"]
    overridden = service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="phuong")
    assert overridden.source == "province" and set(overridden.overrides["cells"]) == {
        "formula-le_phi"
    }
    assert service.effective_version(ward_a, "sao-y").id == overridden.id

    # A new province version is inherited with the ward's override still applied.
    renamed = replace(copies_notebook(), name={"vi": "Chứng thực bản sao (2026)", "en": "Copies"})
    service.publish_province(ward_a.province_code, renamed, toolkit=ward_of(ward_a).toolkit, actor="tinh")
    latest = service.effective_version(ward_a, "sao-y")
    assert latest.number == overridden.number + 1
    assert latest.notebook().name["vi"].endswith("(2026)")
    assert latest.notebook().cell("formula-le_phi").source == "so_trang * 1000 * so_ban"


def test_ward_may_not_override_a_locked_cell(ward_a):
    service.publish_province(ward_a.province_code, copies_notebook(), toolkit=ward_of(ward_a).toolkit, actor="tinh")
    draft = service.start_from_province(ward_a, "sao-y", actor="phuong")
    relabelled = replace_cell(
        draft.notebook(),
        Cell(
            "field-so_ban",
            "field",
            "",
            {
                "name": "so_ban",
                "type": "integer",
                "required": True,
                "label": {"vi": "Bản", "en": "Copies"},
            },
        ),
    )
    service.save_draft(ward_a, "sao-y", relabelled, lock_version=draft.lock_version, actor="phuong")
    with pytest.raises(UserError) as refused:
        service.publish(ward_a, "sao-y", toolkit=ward_of(ward_a).toolkit, actor="phuong")
    assert refused.value.details["cell_id"] == "field-so_ban"


def test_library_notebooks_publish(ward_a):
    for path in sorted((REPO / "forms").glob("*.ipynb")):
        service.import_notebook(ward_a, read_ipynb(path), actor="test")
        service.publish(ward_a, read_ipynb(path).key, toolkit=ward_of(ward_a).toolkit, actor="test")
    rows = service.procedures(ward_a)
    assert len(rows) == 8 and all(row.published and row.version == 1 for row in rows)
