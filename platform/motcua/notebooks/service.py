"""Storing, publishing and reading procedure notebooks of a ward (and of a province).

Plain Python over the tables of :mod:`motcua.notebooks.store`: every function takes the
tenant explicitly and filters by it; every change is one ``write_transaction()`` with
its audit row. The engine (``check_notebook``, ``run_samples``, ``orphaning_changes``,
``apply_overrides``) decides; this module keeps the rows.

Layers: a province admin publishes a province version; a ward that has no notebook of
its own for that key inherits it, with the ward's published overrides of the cells the
province marked overridable. :func:`effective_version` is what reception uses.
"""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError, fn

from motcua.audit import audit
from motcua.clock import now
from motcua.db import write_transaction
from motcua.errors import Conflict, NotFound, UserError
from motcua.i18n import T
from motcua.notebooks.catalogue import ProcedureSummary, procedures
from motcua.notebooks.diff import CellChange, diff_notebooks, orphaning_changes
from motcua.notebooks.layers import apply_overrides, ward_changes
from motcua.notebooks.model import Cell, Notebook
from motcua.notebooks.readiness import Readiness, Toolkit, default_toolkit, readiness
from motcua.notebooks.serialize import notebook_from_dict, notebook_to_dict
from motcua.notebooks.store import NotebookDraft, NotebookVersion, ProvinceNotebookVersion
from motcua.tenancy.models import Province, Tenant


def _require_ready(nb: Notebook, toolkit: Toolkit) -> None:
    ready = readiness(nb, toolkit)
    if ready.ok:
        return
    failures = ready.failures()
    raise UserError(
        T(
            "Chưa ban hành được: {n} lỗi cần sửa trước ({first})",
            "Not published: {n} problems to fix first ({first})",
            n=len(failures),
            first=failures[0],
        ),
        status=422,
        reason="not_ready",
        lines=[line.as_dict() for line in failures],
        **ready.as_dict(),
    )


def _require_confirmed(previous: Notebook | None, nb: Notebook, confirm_orphans: bool) -> None:
    if previous is None or confirm_orphans:
        return
    orphans = orphaning_changes(previous, nb)
    if orphans:
        raise UserError(
            T(
                "Thay đổi này làm mất dữ liệu của hồ sơ đã nhận: {first}. Xác nhận để vẫn ban hành.",
                "This change would orphan data of records already received: {first}. Confirm to publish anyway.",
                first=orphans[0],
            ),
            status=409,
            reason="orphans",
            orphans=[text.as_dict() for text in orphans],
        )


# ---------------------------------------------------------------- drafts


def find_draft(tenant: Tenant, key: str) -> NotebookDraft | None:
    """Return ``tenant``'s draft for ``key``, or None."""
    return NotebookDraft.get_or_none(NotebookDraft.tenant == tenant.id, NotebookDraft.key == key)


def get_draft(tenant: Tenant, key: str) -> NotebookDraft:
    """Return ``tenant``'s draft for ``key``; raises NotFound."""
    draft = find_draft(tenant, key)
    if draft is None:
        raise NotFound(
            T("Chưa có quy trình `{key}`", "There is no procedure `{key}`", key=key), key=key
        )
    return draft


def create_draft(
    tenant: Tenant, nb: Notebook, *, user: Any = None, actor: str = ""
) -> NotebookDraft:
    """Create ``tenant``'s draft of ``nb``; raises Conflict if the key already has one."""
    nb = notebook_from_dict(notebook_to_dict(nb))
    with write_transaction():
        if find_draft(tenant, nb.key) is not None:
            raise Conflict(
                T(
                    "Đã có quy trình `{key}`; hãy mở để sửa",
                    "Procedure `{key}` already exists; open it to edit",
                    key=nb.key,
                ),
                key=nb.key,
            )
        draft = NotebookDraft.create(
            tenant=tenant, key=nb.key, content=notebook_to_dict(nb), updated_by=_who(user, actor)
        )
        audit("notebooks.create", tenant=tenant, user=user, actor=actor, target=nb.key)
    return draft


def start_from_province(
    tenant: Tenant, key: str, *, user: Any = None, actor: str = ""
) -> NotebookDraft:
    """Create a draft editing the province's notebook ``key`` (for ward overrides).

    Raises NotFound when the province has not published ``key``, Conflict when the ward
    already has a draft for it.
    """
    province_version = latest_province_version(tenant.province_code, key)
    if province_version is None:
        raise NotFound(
            T("Tỉnh chưa ban hành `{key}`", "The province has not published `{key}`", key=key)
        )
    effective = effective_version(tenant, key)
    with write_transaction():
        if find_draft(tenant, key) is not None:
            raise Conflict(
                T("Đã có quy trình `{key}`", "Procedure `{key}` already exists", key=key)
            )
        draft = NotebookDraft.create(
            tenant=tenant,
            key=key,
            content=effective.content,
            province_based=True,
            updated_by=_who(user, actor),
        )
        audit("notebooks.override_start", tenant=tenant, user=user, actor=actor, target=key)
    return draft


def save_draft(
    tenant: Tenant,
    key: str,
    nb: Notebook,
    *,
    lock_version: int,
    user: Any = None,
    actor: str = "",
) -> NotebookDraft:
    """Save ``nb`` as ``tenant``'s draft of ``key`` and return it with its new lock_version.

    Raises Conflict (409) when ``lock_version`` is not the stored one (someone saved
    first), UserError when ``nb`` has another key, NotFound when there is no draft.
    """
    if nb.key != key:
        raise UserError(
            T(
                "Không đổi được mã quy trình `{key}`; hãy tạo quy trình mới",
                "The procedure key `{key}` cannot change; create a new procedure",
                key=key,
            ),
            field="key",
        )
    content = notebook_to_dict(notebook_from_dict(notebook_to_dict(nb)))
    with write_transaction():
        draft = get_draft(tenant, key)
        changed = (
            NotebookDraft.update(
                content=content,
                lock_version=NotebookDraft.lock_version + 1,
                updated_at=now(),
                updated_by=_who(user, actor),
            )
            .where(
                NotebookDraft.id == draft.id,
                NotebookDraft.tenant == tenant.id,
                NotebookDraft.lock_version == lock_version,
            )
            .execute()
        )
        if changed != 1:
            raise Conflict(
                T(
                    "Quy trình `{key}` vừa được người khác lưu (bản {stored}, bạn sửa bản {mine}); tải lại trang, các thay đổi chưa lưu vẫn được giữ trong trình duyệt",
                    "Procedure `{key}` was just saved by someone else (version {stored}, you edited {mine}); reload the page, your unsaved changes stay in the browser",
                    key=key,
                    stored=draft.lock_version,
                    mine=lock_version,
                ),
                lock_version=draft.lock_version,
            )
        audit("notebooks.save", tenant=tenant, user=user, actor=actor, target=key)
    return get_draft(tenant, key)


def import_notebook(
    tenant: Tenant, nb: Notebook, *, user: Any = None, actor: str = ""
) -> tuple[NotebookDraft, bool]:
    """Create or replace ``tenant``'s draft with ``nb``; return ``(draft, created)``."""
    draft = find_draft(tenant, nb.key)
    if draft is None:
        return create_draft(tenant, nb, user=user, actor=actor), True
    if draft.content == notebook_to_dict(nb):
        return draft, False
    return save_draft(
        tenant, nb.key, nb, lock_version=draft.lock_version, user=user, actor=actor
    ), False


# ---------------------------------------------------------------- publishing


def publish(
    tenant: Tenant,
    key: str,
    *,
    toolkit: Toolkit,
    user: Any = None,
    actor: str = "",
    confirm_orphans: bool = False,
    note: str = "",
) -> NotebookVersion:
    """Publish ``tenant``'s draft of ``key`` as a new frozen version and return it.

    Raises UserError (422) listing every failing check and sample per cell/sample; (409,
    ``reason="orphans"``) explaining the changes that would orphan stored data unless
    ``confirm_orphans``; UserError naming the cell when a province-based draft changes a
    cell the province did not mark overridable. Publishing unchanged content returns the
    latest version.
    """
    draft = get_draft(tenant, key)
    nb = draft.notebook()
    if draft.province_based:
        return _publish_overrides(tenant, nb, toolkit, user, actor, confirm_orphans, note)
    return _freeze(
        tenant, nb, toolkit, user, actor, confirm_orphans, note, action="notebooks.publish"
    )


def rollback(
    tenant: Tenant,
    key: str,
    number: int,
    *,
    toolkit: Toolkit,
    user: Any = None,
    actor: str = "",
    confirm_orphans: bool = False,
) -> NotebookVersion:
    """Republish version ``number``'s content as a new version (the draft follows it).

    Raises NotFound for an unknown version, and what :func:`publish` raises.
    """
    old = get_version(tenant, key, number)
    nb = old.notebook()
    note = f"rollback to {number}"
    version = _freeze(
        tenant,
        nb,
        toolkit,
        user,
        actor,
        confirm_orphans,
        note,
        action="notebooks.rollback",
        source=old.source,
        province_version_id=old.province_version_id,
        overrides=old.overrides,
    )
    with write_transaction():
        draft = find_draft(tenant, key)
        if draft is not None and draft.content != old.content:
            NotebookDraft.update(
                content=old.content, lock_version=NotebookDraft.lock_version + 1, updated_at=now()
            ).where(NotebookDraft.id == draft.id, NotebookDraft.tenant == tenant.id).execute()
    return version


def _freeze(
    tenant: Tenant,
    nb: Notebook,
    toolkit: Toolkit,
    user: Any,
    actor: str,
    confirm_orphans: bool,
    note: str,
    *,
    action: str,
    source: str = "ward",
    province_version_id: int | None = None,
    overrides: dict[str, Any] | None = None,
) -> NotebookVersion:
    _require_ready(nb, toolkit)
    content = notebook_to_dict(nb)
    content_hash = nb.content_hash()
    with write_transaction():
        previous = latest_version(tenant, nb.key)
        if (
            previous is not None
            and previous.content_hash == content_hash
            and previous.source == source
        ):
            return previous
        _require_confirmed(previous.notebook() if previous else None, nb, confirm_orphans)
        version = NotebookVersion.create(
            tenant=tenant,
            key=nb.key,
            number=_next_number(tenant, nb.key),
            content=content,
            content_hash=content_hash,
            source=source,
            province_version=province_version_id,
            overrides=overrides or {},
            published_by=_who(user, actor),
            note=note,
        )
        audit(
            action,
            tenant=tenant,
            user=user,
            actor=actor,
            target=nb.key,
            number=version.number,
            content_hash=content_hash,
        )
    return version


def _publish_overrides(
    tenant: Tenant,
    nb: Notebook,
    toolkit: Toolkit,
    user: Any,
    actor: str,
    confirm_orphans: bool,
    note: str,
) -> NotebookVersion:
    province_version = latest_province_version(tenant.province_code, nb.key)
    if province_version is None:
        raise NotFound(
            T("Tỉnh chưa ban hành `{key}`", "The province has not published `{key}`", key=nb.key)
        )
    province_nb = province_version.notebook()
    overrides = _overrides_of(province_nb, nb)
    ward_nb = _layered(province_nb, overrides)
    return _freeze(
        tenant,
        ward_nb,
        toolkit,
        user,
        actor,
        confirm_orphans,
        note,
        action="notebooks.publish_override",
        source="province",
        province_version_id=province_version.id,
        overrides=overrides,
    )


def _overrides_of(province_nb: Notebook, nb: Notebook) -> dict[str, Any]:
    province_cells = {cell.id: cell for cell in province_nb.cells}
    for change in diff_notebooks(province_nb, nb):
        if change.kind in ("added", "removed", "moved"):
            raise UserError(
                T(
                    "Ô `{id}`: phường/xã chỉ được sửa các ô tỉnh cho phép, không được thêm, xóa hay đổi chỗ ô",
                    "Cell `{id}`: a ward may only edit the cells the province allows, not add, delete or move cells",
                    id=change.cell_id,
                ),
                cell_id=change.cell_id,
            )
    cells = {
        cell.id: {"kind": cell.kind, "source": cell.source, "meta": cell.meta}
        for cell in nb.cells
        if (cell.kind, cell.source, cell.meta)
        != (
            province_cells[cell.id].kind,
            province_cells[cell.id].source,
            province_cells[cell.id].meta,
        )
    }
    overrides: dict[str, Any] = {"cells": cells}
    if nb.samples != province_nb.samples:
        overrides["samples"] = notebook_to_dict(nb)["metadata"]["motcua"].get("samples", [])
    return overrides


def _layered(province_nb: Notebook, overrides: dict[str, Any]) -> Notebook:
    cells = {
        cell_id: Cell(cell_id, raw["kind"], raw["source"], raw["meta"])
        for cell_id, raw in (overrides.get("cells") or {}).items()
    }
    ward_nb = apply_overrides(province_nb, cells)
    if "samples" in overrides:
        data = notebook_to_dict(ward_nb)
        data["metadata"]["motcua"]["samples"] = overrides["samples"]
        ward_nb = notebook_from_dict(data)
    return ward_nb


def _next_number(tenant: Tenant, key: str) -> int:
    top = (
        NotebookVersion.select(fn.MAX(NotebookVersion.number))
        .where(NotebookVersion.tenant == tenant.id, NotebookVersion.key == key)
        .scalar()
    )
    return (top or 0) + 1


# ---------------------------------------------------------------- province layer


def latest_province_version(province_code: str, key: str) -> ProvinceNotebookVersion | None:
    """Return the newest version the province published for ``key``, or None."""
    return (
        ProvinceNotebookVersion.select()
        .where(
            ProvinceNotebookVersion.province == province_code, ProvinceNotebookVersion.key == key
        )
        .order_by(ProvinceNotebookVersion.number.desc())
        .first()
    )


def publish_province(
    province: Province | str,
    nb: Notebook,
    *,
    toolkit: Toolkit,
    user: Any = None,
    actor: str = "",
    confirm_orphans: bool = False,
    note: str = "",
) -> ProvinceNotebookVersion:
    """Publish ``nb`` for every ward of ``province``; return the province version.

    Runs the same checks as :func:`publish` (422 / 409 orphans). Each active ward of the
    province without a notebook of its own for the key gets a new inherited version at
    once (its overrides re-applied).
    """
    code = province if isinstance(province, str) else province.code
    _require_ready(nb, toolkit)
    content_hash = nb.content_hash()
    with write_transaction():
        previous = latest_province_version(code, nb.key)
        if previous is not None and previous.content_hash == content_hash:
            return previous
        _require_confirmed(previous.notebook() if previous else None, nb, confirm_orphans)
        version = ProvinceNotebookVersion.create(
            province=code,
            key=nb.key,
            number=(previous.number + 1) if previous else 1,
            content=notebook_to_dict(nb),
            content_hash=content_hash,
            published_by=_who(user, actor),
            note=note,
        )
        audit(
            "notebooks.publish_province",
            user=user,
            actor=actor,
            target=f"{code}/{nb.key}",
            number=version.number,
        )
        wards = Tenant.select().where(Tenant.province == code, Tenant.active == True)  # noqa: E712
        for ward in wards:
            latest = latest_version(ward, nb.key)
            if latest is None or latest.source == "province":
                _inherit(ward, version, latest)
    return version


def _inherit(
    tenant: Tenant, province_version: ProvinceNotebookVersion, latest: NotebookVersion | None
) -> NotebookVersion:
    """Freeze the ward's copy of ``province_version`` with its overrides still applicable."""
    province_nb = province_version.notebook()
    overrides = dict(latest.overrides) if latest is not None else {}
    kept: dict[str, Any] = {}
    for cell_id, raw in (overrides.get("cells") or {}).items():
        try:
            _layered(province_nb, {"cells": {cell_id: raw}})
        except UserError:
            continue  # the province no longer lets wards change this cell
        kept[cell_id] = raw
    overrides["cells"] = kept
    ward_nb = _layered(province_nb, overrides)
    version = NotebookVersion.create(
        tenant=tenant,
        key=province_version.key,
        number=_next_number(tenant, province_version.key),
        content=notebook_to_dict(ward_nb),
        content_hash=ward_nb.content_hash(),
        source="province",
        province_version=province_version.id,
        overrides=overrides,
        published_by=province_version.published_by,
        note=f"province {province_version.province_code} v{province_version.number}",
    )
    audit("notebooks.inherit", tenant=tenant, target=province_version.key, number=version.number)
    return version


# ---------------------------------------------------------------- reading


def latest_version(tenant: Tenant, key: str) -> NotebookVersion | None:
    """Return ``tenant``'s newest version of ``key``, or None."""
    return (
        NotebookVersion.select()
        .where(NotebookVersion.tenant == tenant.id, NotebookVersion.key == key)
        .order_by(NotebookVersion.number.desc())
        .first()
    )


def get_version(tenant: Tenant, key: str, number: int) -> NotebookVersion:
    """Return version ``number`` of ``tenant``'s ``key``; raises NotFound."""
    version = NotebookVersion.get_or_none(
        NotebookVersion.tenant == tenant.id,
        NotebookVersion.key == key,
        NotebookVersion.number == number,
    )
    if version is None:
        raise NotFound(
            T(
                "Không có phiên bản {n} của `{key}`",
                "There is no version {n} of `{key}`",
                n=number,
                key=key,
            )
        )
    return version


def versions(tenant: Tenant, key: str) -> list[NotebookVersion]:
    """Return ``tenant``'s versions of ``key``, newest first."""
    return list(
        NotebookVersion.select()
        .where(NotebookVersion.tenant == tenant.id, NotebookVersion.key == key)
        .order_by(NotebookVersion.number.desc())
    )


def effective_version(tenant: Tenant, key: str) -> NotebookVersion:
    """Return the version reception uses for ``key``: the ward's own latest version, else
    the province's latest with the ward's overrides (frozen as a ward version on first use).

    Raises NotFound when neither the ward nor its province has published ``key``.
    """
    latest = latest_version(tenant, key)
    if latest is not None and latest.source == "ward":
        return latest
    province_version = latest_province_version(tenant.province_code, key)
    if province_version is None or (
        latest is not None and latest.province_version_id == province_version.id
    ):
        if latest is None:
            raise NotFound(
                T(
                    "Thủ tục `{key}` chưa được ban hành",
                    "Procedure `{key}` is not published",
                    key=key,
                ),
                key=key,
            )
        return latest
    try:
        with write_transaction():
            return _inherit(tenant, province_version, latest)
    except IntegrityError:
        # Another request froze the same inheritance first.
        return latest_version(tenant, key)  # type: ignore[return-value]


def version_diff(tenant: Tenant, key: str, old: int, new: int) -> list[CellChange]:
    """Return the cell-by-cell changes from version ``old`` to ``new``; raises NotFound."""
    return diff_notebooks(
        get_version(tenant, key, old).notebook(), get_version(tenant, key, new).notebook()
    )


def province_changes(tenant: Tenant, key: str) -> list[CellChange]:
    """Return how the ward's notebook (draft, else effective) differs from the province's.

    Empty when the province has not published ``key``.
    """
    province_version = latest_province_version(tenant.province_code, key)
    if province_version is None:
        return []
    draft = find_draft(tenant, key)
    ward_nb = draft.notebook() if draft is not None else effective_version(tenant, key).notebook()
    return ward_changes(province_version.notebook(), ward_nb)


def _who(user: Any, actor: str) -> str:
    return actor or (user.login if user is not None else "")


__all__ = [
    "ProcedureSummary",
    "Readiness",
    "Toolkit",
    "create_draft",
    "default_toolkit",
    "effective_version",
    "find_draft",
    "get_draft",
    "get_version",
    "import_notebook",
    "latest_province_version",
    "latest_version",
    "procedures",
    "province_changes",
    "publish",
    "publish_province",
    "readiness",
    "rollback",
    "save_draft",
    "start_from_province",
    "version_diff",
    "versions",
]
