"""Scanned files of a record: checked by content, stored per ward with a checksum.

A file is accepted only when its bytes are a PDF, JPEG or PNG (magic bytes, and for
images a full Pillow ``verify``), never by its name or the type the browser declared.
Files live in ``<data_dir>/attachments/<tenant code>/<random name>``; the table row keeps
the uploader's name for display and the sha256 checked again when the file is served.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from motcua.audit import audit
from motcua.clock import now as clock_now
from motcua.db import write_transaction
from motcua.errors import NotFound, UserError
from motcua.i18n import T
from motcua.records.models import Attachment, Record
from motcua.tenancy.models import Tenant

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
_PDF_TAIL = 1024  # %%EOF must close a PDF; allow trailing whitespace or a short footer
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose content was verified: its display name, type, bytes and checksum."""

    name: str
    content_type: str
    data: bytes
    sha256: str


def sniff(data: bytes) -> str | None:
    """Return the content type the bytes really are (PDF, JPEG, PNG), or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf" if b"%%EOF" in data[-_PDF_TAIL:] else None
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg" if _image_ok(data, "JPEG") else None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png" if _image_ok(data, "PNG") else None
    return None


def _image_ok(data: bytes, expected: str) -> bool:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    return False
                image.verify()
            # verify() leaves the image unusable; a second open loads the pixels.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many types for broken or hostile files
        return False
    return True


def check_file(name: str, data: bytes, max_bytes: int) -> CheckedFile:
    """Return the upload ``data`` (sent as ``name``) checked by content and size.

    :raises UserError: (``field="attachments"``) the file is empty, larger than
        ``max_bytes``, or not really a PDF, JPEG or PNG, whatever its name says.
    """
    shown = clean_name(name)
    if not data:
        raise UserError(
            T("Tệp “{name}” trống", "The file “{name}” is empty", name=shown), field="attachments"
        )
    if len(data) > max_bytes:
        raise UserError(
            T(
                "Tệp “{name}” lớn hơn {size} cho phép; quét lại ở độ phân giải thấp hơn",
                "The file “{name}” is larger than the {size} allowed; scan it at a lower resolution",
                name=shown,
                size=size_text(max_bytes),
            ),
            field="attachments",
        )
    kind = sniff(data)
    if kind is None:
        raise UserError(
            T(
                "Tệp “{name}” không phải PDF, JPEG hay PNG hợp lệ (kiểm tra theo nội dung, không theo tên)",
                "The file “{name}” is not a valid PDF, JPEG or PNG (checked by content, not by name)",
                name=shown,
            ),
            field="attachments",
        )
    stem, dot, extension = shown.rpartition(".")
    if not dot or "." + extension.lower() not in (EXTENSIONS[kind], ".jpeg"):
        shown = (stem if dot else shown) + EXTENSIONS[kind]
    return CheckedFile(shown, kind, data, hashlib.sha256(data).hexdigest())


def clean_name(name: str) -> str:
    """Return ``name`` fit to show and to offer as a download name (no path, no controls)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[:120] or "tep"


def size_text(size: int) -> str:
    """Return a byte count as people read it: ``10 MB``, ``512 KB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{max(size, 1024) / 1024:.3g} KB"


def tenant_dir(data_dir: Path, tenant: Tenant) -> Path:
    """Return the folder of ``tenant``'s attachments (not created)."""
    return Path(data_dir) / "attachments" / tenant.code


def save_files(
    tenant: Tenant,
    record: Record,
    files: Iterable[CheckedFile],
    *,
    data_dir: Path,
    actor: str,
    at: datetime,
    written: list[Path],
) -> list[Attachment]:
    """Write ``files`` and their rows; call inside the change's write transaction.

    Each path written is appended to ``written`` so that the caller removes the files
    (:func:`remove_files`) when the transaction does not commit.
    """
    folder = tenant_dir(data_dir, tenant)
    rows = []
    for checked in files:
        folder.mkdir(parents=True, exist_ok=True)
        stored = secrets.token_hex(16) + EXTENSIONS[checked.content_type]
        path = folder / stored
        partial = folder / (stored + ".part")
        written.append(path)
        with open(partial, "xb") as out:
            out.write(checked.data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
        rows.append(
            Attachment.create(
                tenant=tenant,
                record=record,
                name=checked.name,
                content_type=checked.content_type,
                size=len(checked.data),
                sha256=checked.sha256,
                stored_name=stored,
                uploaded_by=actor,
                uploaded_at=at,
            )
        )
    return rows


def remove_files(paths: Iterable[Path]) -> None:
    """Delete files written by a change that did not commit."""
    for path in paths:
        for candidate in (path, path.with_name(path.name + ".part")):
            candidate.unlink(missing_ok=True)


def attach(
    tenant: Tenant,
    record: Record,
    files: list[CheckedFile],
    *,
    data_dir: Path,
    actor: str,
    user: Any = None,
    now: datetime | None = None,
) -> list[Attachment]:
    """Attach checked ``files`` to the ward's ``record`` in one audited transaction.

    :raises NotFound: ``record`` is not one of ``tenant``'s.
    """
    if record.tenant_id != tenant.id:
        raise NotFound(T("Không có hồ sơ này", "There is no such record"))
    written: list[Path] = []
    try:
        with write_transaction():
            rows = save_files(
                tenant,
                record,
                files,
                data_dir=data_dir,
                actor=actor,
                at=now or clock_now(),
                written=written,
            )
            audit(
                "records.attach",
                tenant=tenant,
                user=user,
                actor=actor,
                target=record.code,
                files=[{"name": r.name, "sha256": r.sha256, "size": r.size} for r in rows],
            )
    except BaseException:
        remove_files(written)
        raise
    return rows


def attachments_of(tenant: Tenant, record: Record) -> list[Attachment]:
    """Return the record's attachments, oldest first."""
    return list(
        Attachment.select()
        .where(Attachment.tenant == tenant, Attachment.record == record.id)
        .order_by(Attachment.id)
    )


def get_attachment(tenant: Tenant, record: Record, attachment_id: int) -> Attachment:
    """Return the attachment ``attachment_id`` of the ward's ``record``.

    :raises NotFound: no such attachment on this record of this ward.
    """
    found = Attachment.get_or_none(
        Attachment.tenant == tenant,
        Attachment.record == record.id,
        Attachment.id == attachment_id,
    )
    if found is None:
        raise NotFound(T("Không có tệp đính kèm này", "There is no such attachment"))
    return found


def read_attachment(tenant: Tenant, attachment: Attachment, data_dir: Path) -> bytes:
    """Return the stored bytes of ``attachment``, checked against its sha256.

    :raises NotFound: the file is missing or no longer matches its checksum.
    """
    path = tenant_dir(data_dir, tenant) / attachment.stored_name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise NotFound(
            T(
                "Tệp “{name}” bị thiếu hoặc đã bị thay đổi trên máy chủ; báo quản trị",
                "The file “{name}” is missing or was changed on the server; tell the admin",
                name=attachment.name,
            )
        )
    return data
