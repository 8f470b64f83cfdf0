"""The server side of counter devices: agent tokens, print delivery, scans and device health.

An agent token belongs to one ward and one counter; every function here takes the token
(or the ward) and filters by its ward *and* counter, so an agent can reach only its own
counter's print jobs and scans, and nothing else of the ward (no record, no other counter).
Delivery is at least once with the job id as the idempotency key: a result for a job
already printed changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peewee import JOIN

from motcua.audit import audit
from motcua.clock import now
from motcua.db import write_transaction
from motcua.devices.models import AgentToken, CounterDevice, CounterScan, PrintDelivery
from motcua.errors import NotFound, UserError
from motcua.i18n import T, Text
from motcua.plugin_api import DEVICE_STATES
from motcua.printing.models import PrintJob
from motcua.tenancy.models import Counter, Tenant

AGENT_MARK = "ma"  # agent tokens read ma_<ward>_<prefix>_<secret>; API tokens mc_…
SEEN_PRECISION = timedelta(seconds=15)  # last_seen_at written at most this often
AGENT_OFFLINE_AFTER = timedelta(seconds=90)
DELIVERY_GRACE = timedelta(days=1)  # a new agent also prints the jobs of the day before its token
SCAN_FRESH_FOR = timedelta(minutes=5)  # a scan not taken by then is stale
MAX_SCAN_CHARS = 2000
MAX_DEVICES = 20


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def find_counter(tenant: Tenant, name: str) -> Counter:
    """Return the ward's counter whose key or name is ``name``.

    :raises NotFound: no such counter in this ward (the message lists the ward's counters).
    """
    counters = list(Counter.select().where(Counter.tenant == tenant))
    for counter in counters:
        if name in (counter.key, counter.name, str(counter.id)):
            return counter
    raise NotFound(T("Không có quầy `{name}` ở {ward}; có: {known}",
                     "No counter `{name}` in {ward}; there are: {known}",
                     name=name, ward=tenant.name, known=", ".join(f"{c.key} ({c.name})" for c in counters) or "-"))


def create_agent_token(tenant: Tenant, counter: Counter, *, name: str = "", actor: Any = None,
                       actor_login: str = "") -> tuple[AgentToken, str]:
    """Create the token of an agent at ``counter``; return the row and the token text (shown once)."""
    if counter.tenant_id != tenant.id:
        raise NotFound(T("Không có quầy này ở phường/xã", "No such counter in this ward"))
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    login = actor.login if actor is not None else actor_login
    with write_transaction():
        token = AgentToken.create(tenant=tenant, counter=counter, name=name[:200], prefix=prefix,
                                  secret_hash=_digest(secret), created_by=login, created_at=now())
        audit("agent_token.create", tenant=tenant, user=actor, actor=login, target=counter.key,
              prefix=prefix)
    return token, f"{AGENT_MARK}_{tenant.code}_{prefix}_{secret}"


def revoke_agent_token(tenant: Tenant, token_id: int, *, actor: Any = None) -> AgentToken:
    """Revoke the ward's agent token ``token_id``; return it.

    :raises NotFound: no such token in this ward.
    """
    with write_transaction():
        token = AgentToken.get_or_none(AgentToken.tenant == tenant, AgentToken.id == token_id)
        if token is None:
            raise NotFound(T("Không có mã thiết bị số {id}", "There is no agent token {id}", id=token_id))
        if token.revoked_at is None:
            token.revoked_at = now()
            token.save()
            audit("agent_token.revoke", tenant=tenant, user=actor, target=token.prefix)
    return token


def verify_agent_token(text: str) -> AgentToken | None:
    """Return the live agent token that ``text`` is, with its ward and counter, or None."""
    parts = text.strip().split("_", 3)
    if len(parts) != 4 or parts[0] != AGENT_MARK:
        return None
    _, code, prefix, secret = parts
    token = (
        AgentToken.select(AgentToken, Tenant, Counter)
        .join(Tenant, on=AgentToken.tenant == Tenant.id)
        .switch(AgentToken)
        .join(Counter, on=AgentToken.counter == Counter.id)
        .where(Tenant.code == code, AgentToken.prefix == prefix)
        .first()
    )
    if (token is None or token.revoked_at is not None or not token.tenant.active
            or not token.counter.active
            or not hmac.compare_digest(token.secret_hash, _digest(secret))):
        return None
    current = now()
    if token.last_seen_at is None or not token.last_seen_at <= current < token.last_seen_at + SEEN_PRECISION:
        AgentToken.update(last_seen_at=current).where(AgentToken.id == token.id).execute()
        token.last_seen_at = current
    return token


def agent_tokens(tenant: Tenant) -> list[AgentToken]:
    """Return the ward's agent tokens, newest first."""
    return list(AgentToken.select().where(AgentToken.tenant == tenant).order_by(AgentToken.id.desc()))


# --- print jobs ----------------------------------------------------------------------------


def owed_jobs(token: AgentToken, *, limit: int = 20) -> list[dict[str, Any]]:
    """Return the print jobs the token's counter still owes (no ``printed`` delivery), oldest
    first, each with its last failure if any."""
    since = token.created_at - DELIVERY_GRACE
    rows = (
        PrintJob.select(PrintJob, PrintDelivery)
        .join(PrintDelivery, JOIN.LEFT_OUTER, on=(
            (PrintDelivery.job == PrintJob.id) & (PrintDelivery.tenant == PrintJob.tenant)))
        .where(
            PrintJob.tenant == token.tenant_id,
            PrintJob.counter == token.counter_id,
            PrintJob.status != "failed",
            PrintJob.created_at >= since,
            PrintDelivery.id.is_null() | (PrintDelivery.status != "printed"),
        )
        .order_by(PrintJob.id)
        .limit(limit)
    )
    jobs = []
    for job in rows:
        delivery = getattr(job, "printdelivery", None)
        jobs.append({
            "id": job.id,
            "form": job.form,
            "paper": job.paper,
            "copies": job.copies,
            "attempts": delivery.attempts if delivery is not None and delivery.id else 0,
            "last_error": delivery.error_en if delivery is not None and delivery.id else "",
        })
    return jobs


def counter_job(token: AgentToken, job_id: int) -> PrintJob:
    """Return the print job ``job_id`` of the token's counter.

    :raises NotFound: no such job at this counter (another counter's or ward's is not found).
    """
    job = PrintJob.get_or_none(PrintJob.tenant == token.tenant_id, PrintJob.id == job_id,
                               PrintJob.counter == token.counter_id)
    if job is None:
        raise NotFound(T("Quầy này không có lệnh in số {id}", "This counter has no print job {id}", id=job_id))
    return job


@dataclass(frozen=True)
class DeliveryResult:
    """What the agent says about one job: printed, or failed with a state and a reason."""

    printed: bool
    device: str = ""
    state: str = ""
    error: Text | None = None


def record_delivery(token: AgentToken, job_id: int, result: DeliveryResult) -> PrintDelivery:
    """Store the outcome of delivering ``job_id`` to the token's counter; return the delivery.

    Idempotent on the job id: once printed, a job stays printed (a repeated or late result
    changes nothing), so an agent that lost the answer may send it again.

    :raises NotFound: the job is not this counter's.
    """
    if result.state and result.state not in DEVICE_STATES:
        raise UserError(T("Trạng thái thiết bị không hợp lệ: {state}", "Unknown device state: {state}",
                          state=result.state[:40]), field="state")
    with write_transaction():
        job = counter_job(token, job_id)
        delivery = PrintDelivery.get_or_none(PrintDelivery.tenant == token.tenant_id, PrintDelivery.job == job.id)
        current = now()
        if delivery is None:
            delivery = PrintDelivery(tenant=token.tenant_id, job=job.id, counter=token.counter_id, attempts=0)
        if delivery.status == "printed":
            return delivery
        delivery.attempts += 1
        delivery.device = result.device[:80]
        delivery.updated_at = current
        if result.printed:
            delivery.status, delivery.printed_at = "printed", current
            delivery.error_vi = delivery.error_en = ""
        else:
            reason = result.error or DEVICE_STATES.get(result.state, DEVICE_STATES["error"])
            delivery.status = "failed"
            delivery.error_vi, delivery.error_en = reason.render("vi")[:1000], reason.render("en")[:1000]
        delivery.save()
        audit("print.delivery", tenant=token.tenant_id, actor=f"agent:{token.prefix}", target=str(job.id),
              status=delivery.status, device=delivery.device, state=result.state)
    return delivery


def deliveries_of(tenant: Tenant, job_ids: list[int]) -> dict[int, PrintDelivery]:
    """Return the deliveries of the ward's jobs ``job_ids`` by job id (for the record page)."""
    if not job_ids:
        return {}
    rows = PrintDelivery.select(PrintDelivery, Counter).join(Counter).where(
        PrintDelivery.tenant == tenant, PrintDelivery.job.in_(job_ids))
    return {row.job_id: row for row in rows}


# --- scans ---------------------------------------------------------------------------------


def push_scan(token: AgentToken, text: str, *, device: str = "") -> CounterScan:
    """Keep a code read by the counter's scanner until the counter's reception form takes it.

    :raises UserError: empty or too long.
    """
    text = (text or "").strip()
    if not text or len(text) > MAX_SCAN_CHARS:
        raise UserError(T("Mã quét rỗng hoặc dài quá {n} ký tự", "The scanned code is empty or longer than {n} characters",
                          n=MAX_SCAN_CHARS), field="text")
    with write_transaction():
        return CounterScan.create(tenant=token.tenant_id, counter=token.counter_id, text=text,
                                  device=device[:80], scanned_at=now())


def take_scan(tenant: Tenant, counter_id: int, *, taker: str) -> CounterScan | None:
    """Return the oldest fresh scan of the ward's counter ``counter_id`` and mark it taken, or None.

    :raises NotFound: no such counter in this ward.
    """
    if not Counter.select().where(Counter.tenant == tenant, Counter.id == counter_id).exists():
        raise NotFound(T("Không có quầy số {id}", "There is no counter {id}", id=counter_id))
    with write_transaction():
        scan = (
            CounterScan.select()
            .where(CounterScan.tenant == tenant, CounterScan.counter == counter_id,
                   CounterScan.taken_at.is_null(), CounterScan.scanned_at >= now() - SCAN_FRESH_FOR)
            .order_by(CounterScan.id)
            .first()
        )
        if scan is None:
            return None
        taken = CounterScan.update(taken_at=now(), taken_by=taker[:64]).where(
            CounterScan.id == scan.id, CounterScan.taken_at.is_null()).execute()
    return scan if taken else None


# --- health --------------------------------------------------------------------------------


def report_devices(token: AgentToken, devices: list[dict[str, Any]]) -> list[CounterDevice]:
    """Store the devices an agent reports with their health; return them.

    :raises UserError: not a list of ``{name, driver, kind, state}`` objects with a known state.
    """
    if not isinstance(devices, list) or len(devices) > MAX_DEVICES:
        raise UserError(T("Danh sách thiết bị không hợp lệ (tối đa {n})", "Invalid device list (at most {n})",
                          n=MAX_DEVICES), field="devices")
    clean = []
    for item in devices:
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise UserError(T("Thiết bị thiếu tên", "A device has no name"), field="devices")
        state = str(item.get("state") or "")
        if state not in DEVICE_STATES:
            raise UserError(T("Trạng thái thiết bị không hợp lệ: {state}", "Unknown device state: {state}",
                              state=state[:40]), field="devices")
        clean.append({
            "name": str(item["name"])[:80], "driver": str(item.get("driver") or "")[:60],
            "kind": str(item.get("kind") or "")[:16], "usb_id": str(item.get("usb_id") or "")[:9],
            "state": state, "detail": str(item.get("detail") or "")[:500],
        })
    stored = []
    with write_transaction():
        current = now()
        for item in clean:
            row = CounterDevice.get_or_none(CounterDevice.tenant == token.tenant_id,
                                            CounterDevice.counter == token.counter_id,
                                            CounterDevice.name == item["name"])
            if row is None:
                row = CounterDevice(tenant=token.tenant_id, counter=token.counter_id, name=item["name"])
            for key, value in item.items():
                setattr(row, key, value)
            row.reported_at = current
            row.save()
            stored.append(row)
    return stored


@dataclass(frozen=True)
class CounterHealth:
    """A counter with its agents' last contact and its devices' states."""

    counter: Counter
    agent_seen_at: datetime | None
    agent_online: bool
    devices: list[CounterDevice]
    owed_jobs: int


def counters_health(tenant: Tenant) -> list[CounterHealth]:
    """Return every counter of the ward with its agent and device health."""
    current = now()
    counters = list(Counter.select().where(Counter.tenant == tenant).order_by(Counter.reception_point, Counter.key))
    seen: dict[int, datetime] = {}
    for token in AgentToken.select().where(AgentToken.tenant == tenant, AgentToken.revoked_at.is_null()):
        if token.last_seen_at is not None and token.last_seen_at > seen.get(token.counter_id, datetime.min):
            seen[token.counter_id] = token.last_seen_at
    devices: dict[int, list[CounterDevice]] = {}
    for device in CounterDevice.select().where(CounterDevice.tenant == tenant).order_by(CounterDevice.name):
        devices.setdefault(device.counter_id, []).append(device)
    owed: dict[int, int] = {}
    since = current - DELIVERY_GRACE * 7
    rows = (
        PrintJob.select(PrintJob.counter)
        .join(PrintDelivery, JOIN.LEFT_OUTER, on=(
            (PrintDelivery.job == PrintJob.id) & (PrintDelivery.tenant == PrintJob.tenant)))
        .where(PrintJob.tenant == tenant, PrintJob.counter.is_null(False), PrintJob.status != "failed",
               PrintJob.created_at >= since,
               PrintDelivery.id.is_null() | (PrintDelivery.status != "printed"))
    )
    for row in rows:
        owed[row.counter_id] = owed.get(row.counter_id, 0) + 1
    result = []
    for counter in counters:
        last = seen.get(counter.id)
        online = last is not None and current - last < AGENT_OFFLINE_AFTER
        result.append(CounterHealth(counter, last, online, devices.get(counter.id, []), owed.get(counter.id, 0)))
    return result
