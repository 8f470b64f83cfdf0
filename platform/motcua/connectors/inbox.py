"""The ward's online inbox: dossiers submitted on a portal, accepted or refused by staff.

Dossiers come in by :func:`pull` (the connector asks the portal) or by a signed webhook
(:func:`store_submissions` after the web layer checked the HMAC). A dossier is one row per
ward, connector and portal code, however often it arrives. :func:`accept` turns it into
a record of channel ``online`` (its code, and its due date counted from the acceptance,
the moment the ward receives it); the record's reception goes back to the portal through
the outbox, as the appointment slip. :func:`refuse` sends the reason back the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from peewee import IntegrityError

from motcua.audit import audit
from motcua.connectors.models import ACCEPTED, NEW, REFUSED, InboxItem
from motcua.connectors.outbox import INBOX_REFUSED, write_message
from motcua.connectors.settings import effective_settings
from motcua.db import database, write_transaction
from motcua.errors import Conflict, NotFound, UserError
from motcua.i18n import T
from motcua.plugin_api import OnlineSubmission

if TYPE_CHECKING:
    from motcua.plugins.host import PluginHost
    from motcua.records.models import Record
    from motcua.tenancy.models import Tenant
    from motcua.ward import WardContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullResult:
    """What a pull brought in: new dossiers, ones already in the inbox, connectors that failed."""

    new: int = 0
    seen: int = 0
    errors: tuple[str, ...] = ()


def store_submissions(
    tenant: Tenant, connector: str, submissions: list[OnlineSubmission]
) -> PullResult:
    """Put ``submissions`` into the ward's inbox, once each; return how many were new."""
    import base64

    new = seen = 0
    with write_transaction():
        for submission in submissions:
            exists = (
                InboxItem.select()
                .where(
                    InboxItem.tenant == tenant,
                    InboxItem.connector == connector,
                    InboxItem.portal_ref == submission.portal_ref,
                )
                .exists()
            )
            if exists:
                seen += 1
                continue
            person = submission.applicant
            try:
                with database.atomic():
                    InboxItem.create(
                        tenant=tenant,
                        connector=connector,
                        portal_ref=submission.portal_ref,
                        procedure_key=submission.procedure_key,
                        procedure_code=submission.procedure_code,
                        applicant={
                            "name": person.name,
                            "id_number": person.id_number,
                            "phone": person.phone,
                            "email": person.email,
                            "address": person.address,
                        },
                        form_values=submission.values,
                        files=[
                            {
                                "name": f.name,
                                "content_type": f.content_type,
                                "size": len(f.content),
                                "content": base64.b64encode(f.content).decode(),
                            }
                            for f in submission.files
                        ],
                        submitted_at=submission.submitted_at,
                    )
            except IntegrityError:  # another pull stored it first
                seen += 1
                continue
            new += 1
    return PullResult(new=new, seen=seen)


def pull(host: PluginHost, tenant: Tenant) -> PullResult:
    """Ask every connector enabled in ``tenant`` for its new online dossiers; store them."""
    new = seen = 0
    errors: list[str] = []
    for connector in host.connectors(tenant):
        try:
            submissions = connector.pull(effective_settings(tenant, connector.name))
        except Exception as exc:  # noqa: BLE001 - one portal down must not stop the others
            log.warning("pulling %s for %s failed: %s", connector.name, tenant.code, exc)
            errors.append(f"{connector.name}: {type(exc).__name__}: {exc}")
            continue
        result = store_submissions(tenant, connector.name, submissions)
        new, seen = new + result.new, seen + result.seen
    return PullResult(new=new, seen=seen, errors=tuple(errors))


def pull_all(host: PluginHost) -> PullResult:
    """Pull for every active ward that has a connector enabled; return the totals."""
    from motcua.tenancy.models import Tenant

    new = seen = 0
    errors: list[str] = []
    if not host.all_connectors():
        return PullResult()
    for tenant in Tenant.select().where(Tenant.active == True):  # noqa: E712
        if not host.connectors(tenant):
            continue
        result = pull(host, tenant)
        new, seen = new + result.new, seen + result.seen
        errors.extend(f"{tenant.code} {e}" for e in result.errors)
    return PullResult(new=new, seen=seen, errors=tuple(errors))


def inbox_items(tenant: Tenant, state: str | None = None, limit: int = 200) -> list[InboxItem]:
    """Return the ward's inbox items, oldest submission first (filtered by ``state``)."""
    query = InboxItem.select().where(InboxItem.tenant == tenant)
    if state:
        query = query.where(InboxItem.state == state)
    return list(query.order_by(InboxItem.submitted_at, InboxItem.id).limit(limit))


def get_item(tenant: Tenant, item_id: int) -> InboxItem:
    """Return the ward's inbox item ``item_id``.

    :raises NotFound: no such item in this ward.
    """
    item = InboxItem.get_or_none(InboxItem.tenant == tenant, InboxItem.id == item_id)
    if item is None:
        raise NotFound(T("Không có hồ sơ trực tuyến số {id}", "No online dossier {id}", id=item_id))
    return item


def _take(tenant: Tenant, item: InboxItem, state: str, **changes: Any) -> None:
    """Move ``item`` from new to ``state`` (compare-and-set); raise Conflict if someone did first."""
    taken = (
        InboxItem.update(state=state, **changes)
        .where(InboxItem.tenant == tenant, InboxItem.id == item.id, InboxItem.state == NEW)
        .execute()
    )
    if not taken:
        raise Conflict(
            T(
                "Hồ sơ trực tuyến {ref} đã được xử lý",
                "Online dossier {ref} was already handled",
                ref=item.portal_ref,
            )
        )


def _procedure_key(tenant: Tenant, item: InboxItem) -> str:
    from motcua.records.procedures import procedures

    if item.procedure_key:
        return str(item.procedure_key)
    for proc in procedures(tenant):
        if item.procedure_code and proc.national_code == item.procedure_code:
            return proc.key
    raise UserError(
        T(
            "Phường/xã chưa công bố thủ tục mã {code} của hồ sơ này",
            "The ward has not published procedure {code} of this dossier",
            code=item.procedure_code or "—",
        )
    )


def accept(ward: WardContext, item_id: int, *, actor: str, user: Any = None) -> Record:
    """Accept the online dossier ``item_id``: it becomes a record of channel ``online``.

    The record gets the ward's next code and a due date counted from now (the moment of
    acceptance, with the ward's 15:00 cut-off); its reception message tells the portal the
    code and the appointment. Attached PDF/JPEG/PNG files become its attachments.

    :raises NotFound: no such item. :raises Conflict: it was already accepted or refused.
    :raises ValidationFailed: the form values do not pass the procedure's notebook.
    """
    import base64

    from motcua.records.applicant import Applicant
    from motcua.records.attachments import check_file
    from motcua.records.service import receive

    tenant = ward.tenant
    item = get_item(tenant, item_id)
    if item.state != NEW:
        raise Conflict(
            T(
                "Hồ sơ trực tuyến {ref} đã được xử lý",
                "Online dossier {ref} was already handled",
                ref=item.portal_ref,
            )
        )
    key = _procedure_key(tenant, item)
    person = item.applicant or {}
    files = [
        check_file(f["name"], base64.b64decode(f["content"]), ward.settings.attachment_max_bytes)
        for f in item.files or []
    ]
    moment = ward.now()
    with ward.events.change():
        _take(tenant, item, ACCEPTED, decided_by=actor, decided_at=moment)
        received = receive(
            ward,
            key,
            dict(item.form_values or {}),
            applicant=Applicant(
                name=person.get("name", ""),
                id_number=person.get("id_number", ""),
                phone=person.get("phone", ""),
                email=person.get("email", ""),
                address=person.get("address", ""),
            ),
            channel="online",
            actor=actor,
            user=user,
            now=moment,
            attachments=files,
        )
        InboxItem.update(record=received.record.id).where(InboxItem.id == item.id).execute()
        audit(
            "inbox.accept",
            tenant=tenant,
            user=user,
            actor=actor,
            target=item.portal_ref,
            record=received.record.code,
        )
    return received.record


def refuse(
    ward: WardContext, item_id: int, reason: str, *, actor: str, user: Any = None
) -> InboxItem:
    """Refuse the online dossier ``item_id`` with ``reason``; the reason goes back to the portal.

    :raises UserError: no reason given. :raises NotFound, Conflict: as :func:`accept`.
    """
    tenant = ward.tenant
    reason = (reason or "").strip()
    if not reason:
        raise UserError(
            T(
                "Ghi lý do từ chối",
                "Give the reason for refusing",
            ),
            field="reason",
        )
    item = get_item(tenant, item_id)
    moment = ward.now()
    with ward.events.change():
        _take(tenant, item, REFUSED, reason=reason, decided_by=actor, decided_at=moment)
        write_message(
            tenant,
            item.connector,
            INBOX_REFUSED,
            item.portal_ref,
            {"portal_ref": item.portal_ref, "reason": reason, "at": moment.isoformat()},
        )
        audit("inbox.refuse", tenant=tenant, user=user, actor=actor, target=item.portal_ref)
    return get_item(tenant, item_id)


def item_json(item: InboxItem) -> dict[str, Any]:
    """Return ``item`` as the JSON of ``motcua inbox list`` (files without their content)."""
    from motcua.records.models import Record

    record = Record.get_or_none(Record.id == item.record_id) if item.record_id else None
    return {
        "id": item.id,
        "connector": item.connector,
        "portal_ref": item.portal_ref,
        "procedure_key": item.procedure_key,
        "procedure_code": item.procedure_code,
        "applicant": item.applicant,
        "values": item.form_values,
        "files": [{k: v for k, v in f.items() if k != "content"} for f in item.files or []],
        "submitted_at": item.submitted_at.isoformat() if item.submitted_at else None,
        "state": item.state,
        "record": record.code if record else None,
        "reason": item.reason,
    }
