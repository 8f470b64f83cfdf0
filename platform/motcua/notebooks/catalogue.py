"""A ward's list of procedures: its own drafts and versions, and its province's notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.notebooks.store import NotebookDraft, NotebookVersion, ProvinceNotebookVersion
from motcua.tenancy.models import Tenant


@dataclass(frozen=True)
class ProcedureSummary:
    """A ward's procedure as listed: where it comes from and what is published."""

    key: str
    name: dict[str, str]
    national_code: str | None
    version: int | None
    published: bool
    state: str  # draft, published, changed (draft differs from the version), inherited
    has_draft: bool
    field_area: str | None = None
    unconfirmed: int = 0  # notes of values not yet confirmed by a person, in the version in force

    def as_dict(self) -> dict[str, Any]:
        """Return the ``forms list --json`` row."""
        return {
            "key": self.key,
            "name": self.name,
            "national_code": self.national_code,
            "version": self.version,
            "published": self.published,
        }


def procedures(tenant: Tenant) -> list[ProcedureSummary]:
    """Return every procedure of ``tenant`` (own drafts, versions, province notebooks), by name."""
    drafts = {d.key: d for d in NotebookDraft.select().where(NotebookDraft.tenant == tenant.id)}
    latest: dict[str, NotebookVersion] = {}
    for version in (
        NotebookVersion.select()
        .where(NotebookVersion.tenant == tenant.id)
        .order_by(NotebookVersion.number)
    ):
        latest[version.key] = version
    province: dict[str, ProvinceNotebookVersion] = {}
    for version in (
        ProvinceNotebookVersion.select()
        .where(ProvinceNotebookVersion.province == tenant.province_code)
        .order_by(ProvinceNotebookVersion.number)
    ):
        province[version.key] = version
    rows = []
    for key in sorted(set(drafts) | set(latest) | set(province)):
        draft, version = drafts.get(key), latest.get(key)
        inherited = key in province and (version is None or version.source == "province")
        content = (draft or version or province[key]).content
        meta = content["metadata"]["motcua"]
        number = version.number if version else None
        if inherited:
            state = "inherited"
        elif version is None:
            state = "draft"
        elif draft is not None and draft.content != version.content:
            state = "changed"
        else:
            state = "published"
        rows.append(
            ProcedureSummary(
                key=key,
                name=meta["name"],
                national_code=meta.get("national_code"),
                version=number,
                published=version is not None or inherited,
                state=state,
                has_draft=draft is not None,
                field_area=meta.get("field_area"),
                unconfirmed=len(_in_force(version, province.get(key) if inherited else None, content)),
            )
        )
    rows.sort(key=lambda row: row.name["vi"].lower())
    return rows


def _in_force(version: Any, inherited: Any, draft_content: dict[str, Any]) -> list[str]:
    # The unconfirmed notes of what the counter uses (else of the draft, before a first publish).
    content = inherited.content if inherited is not None else version.content if version else draft_content
    return list(content["metadata"]["motcua"].get("unconfirmed") or [])
