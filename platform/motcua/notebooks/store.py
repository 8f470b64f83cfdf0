"""Tables of procedure notebooks: a ward's drafts, frozen versions, province versions.

``content`` is always the nbformat dict of docs/notebook-format.md (what
``notebook_to_dict`` returns), so a stored notebook exports to ``.ipynb`` as it is.
Versions are immutable: a row is written once and never updated; records pin
``notebook_version.id``.
"""

from __future__ import annotations

from typing import Any

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from motcua.clock import now
from motcua.db.base import BaseModel, JSONField, TenantModel
from motcua.errors import UserError
from motcua.i18n import T
from motcua.notebooks.graph import BoundedCache
from motcua.notebooks.model import Notebook
from motcua.notebooks.serialize import notebook_from_dict
from motcua.tenancy.models import Province, Tenant


class _Frozen:
    """A row written once: saving an existing row again is refused."""

    def save(self, *args: Any, **kwargs: Any) -> int:
        if getattr(self, "id", None) is not None and not kwargs.get("force_insert"):
            raise UserError(
                T(
                    "Phiên bản đã ban hành không được sửa; hãy ban hành phiên bản mới",
                    "A published version cannot be changed; publish a new version",
                ),
                status=409,
            )
        return super().save(*args, **kwargs)  # type: ignore[misc]

    def notebook(self) -> Notebook:
        """Return the frozen notebook definition (parsed once per version and process)."""
        row_id = getattr(self, "id", None)
        if row_id is None:
            return notebook_from_dict(self.content)  # type: ignore[attr-defined]
        key = (self._meta.table_name, row_id, self.content_hash)  # type: ignore[attr-defined]
        return _PARSED.get(key, lambda: notebook_from_dict(self.content))  # type: ignore[attr-defined]


def published_notebook(model: type[BaseModel], row_id: int, content_hash: str) -> Notebook:
    """Return the notebook of the version row ``row_id`` of ``model`` (a version table) whose
    content hash is ``content_hash``, reading its content only when it is not parsed yet.

    :raises peewee.DoesNotExist: there is no such row.
    """
    key = (model._meta.table_name, row_id, content_hash)
    return _PARSED.get(key, lambda: notebook_from_dict(model.get_by_id(row_id).content))  # type: ignore[attr-defined]


# Parsed notebooks of published versions: a bounded cache of immutable values. A version
# row is written once and never changed (see _Frozen), so (table, id, content hash) names
# one notebook for good; the hash in the key also keeps a database whose ids restart
# (tests, a restored backup) from ever getting another database's notebook.
_PARSED: BoundedCache[tuple[str, int, str], Notebook] = BoundedCache(256)


class ProvinceNotebookVersion(_Frozen, BaseModel):
    """A notebook published by a province admin; every ward of the province inherits it."""

    province = ForeignKeyField(Province, column_name="province_code", backref="notebook_versions")
    key = CharField(max_length=80)
    number = IntegerField()
    content = JSONField()
    content_hash = CharField(max_length=64)
    published_at = DateTimeField(default=now)
    published_by = TextField(default="")
    note = TextField(default="")

    class Meta:
        table_name = "province_notebook_version"
        indexes = ((("province", "key", "number"), True),)


class NotebookVersion(_Frozen, TenantModel):
    """A version of a ward's notebook, frozen when published; what records pin.

    ``source`` is ``ward`` (the ward's own notebook) or ``province`` (the province
    version ``province_version`` with the ward's ``overrides``, cell dicts by id).
    """

    tenant = ForeignKeyField(Tenant, backref="notebook_versions", on_delete="CASCADE")
    key = CharField(max_length=80)
    number = IntegerField()
    content = JSONField()
    content_hash = CharField(max_length=64)
    source = CharField(max_length=10, default="ward")
    province_version = ForeignKeyField(ProvinceNotebookVersion, null=True, backref="ward_versions")
    overrides = JSONField(default=dict)
    published_at = DateTimeField(default=now)
    published_by = TextField(default="")
    note = TextField(default="")

    class Meta:
        table_name = "notebook_version"
        indexes = ((("tenant", "key", "number"), True),)


class NotebookDraft(TenantModel):
    """The notebook a ward is editing for one procedure key.

    ``lock_version`` grows by one on every save (optimistic locking); ``province_based``
    drafts edit the province's notebook, and only its overridable cells may differ.
    """

    tenant = ForeignKeyField(Tenant, backref="notebook_drafts", on_delete="CASCADE")
    key = CharField(max_length=80)
    content = JSONField()
    lock_version = IntegerField(default=1)
    province_based = BooleanField(default=False)
    updated_at = DateTimeField(default=now)
    updated_by = TextField(default="")

    class Meta:
        table_name = "notebook_draft"
        indexes = ((("tenant", "key"), True),)

    def notebook(self) -> Notebook:
        """Return the draft's notebook; raises NotebookFormatError if it no longer loads."""
        return notebook_from_dict(self.content)
