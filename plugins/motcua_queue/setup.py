"""Services and counters per reception point: what a ward admin defines.

A new ward starts from its own counters (``tenants/*.toml``): every field a counter
serves becomes a service with a ticket letter, and each counter calls the services of its
fields; a ``tra-ket-qua`` service (result return) is added at each point.
"""

from __future__ import annotations

import re
import string

from motcua import NotFound, UserError
from motcua.plugin_api import T, TenantInfo, reception_points, transaction

from .models import Desk, Service

FIELD_NAMES = {
    "tu-phap": "Tư pháp – hộ tịch, chứng thực",
    "ho-tich": "Hộ tịch",
    "chung-thuc": "Chứng thực",
    "dat-dai": "Đất đai",
    "xay-dung": "Xây dựng",
    "kinh-doanh": "Đăng ký kinh doanh",
    "lao-dong-xa-hoi": "Lao động – thương binh – xã hội",
    "tong-hop": "Tổng hợp",
    "tra-ket-qua": "Trả kết quả",
}
RESULT_RETURN = "tra-ket-qua"
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_LETTER = re.compile(r"[A-Z]{1,3}")


def services(tenant_id: int, point: str | None = None, *, active_only: bool = True) -> list[Service]:
    """Return the ward's services (of one reception point when ``point`` is given), in order."""
    query = Service.select().where(Service.tenant_id == tenant_id)
    if point is not None:
        query = query.where(Service.point == point)
    if active_only:
        query = query.where(Service.active == True)  # noqa: E712 - peewee expression
    return list(query.order_by(Service.point, Service.position, Service.letter))


def desks(tenant_id: int, point: str | None = None) -> list[Desk]:
    """Return the ward's active counters (of one reception point), by number."""
    query = Desk.select().where(Desk.tenant_id == tenant_id, Desk.active == True)  # noqa: E712
    if point is not None:
        query = query.where(Desk.point == point)
    return list(query.order_by(Desk.point, Desk.number))


def service_by_key(tenant_id: int, key: str) -> Service:
    """Return the ward's active service ``key``.

    :raises NotFound: no such service in the ward (the message lists the keys).
    """
    found = Service.get_or_none(
        Service.tenant_id == tenant_id,
        Service.key == key,
        Service.active == True,  # noqa: E712
    )
    if found is None:
        known = ", ".join(s.key for s in services(tenant_id)) or "—"
        raise NotFound(
            T("Không có dịch vụ `{key}` (có: {known})", "No service `{key}` (known: {known})",
              key=key, known=known)
        )
    return found


def desk_of(tenant_id: int, desk_id: int) -> Desk:
    """Return the ward's counter ``desk_id``; raises NotFound for another ward's or none."""
    found = Desk.get_or_none(Desk.tenant_id == tenant_id, Desk.id == desk_id)
    if found is None:
        raise NotFound(T("Không có quầy này", "No such counter"))
    return found


def save_service(
    tenant_id: int, *, point: str, key: str, letter: str, name: str, minutes_per_ticket: int = 10,
    active: bool = True,
) -> Service:
    """Create or update service ``key`` of the ward; return it.

    :raises UserError: a bad key, letter, name or time, or a letter another service of the
        same point already uses (two services would print the same numbers).
    """
    key, letter, name = key.strip(), letter.strip().upper(), name.strip()
    if not _KEY.fullmatch(key):
        raise UserError(T("Mã dịch vụ chỉ gồm a–z, 0–9 và dấu -", "A service key is a–z, 0–9 and -"),
                        field="key")
    if not _LETTER.fullmatch(letter):
        raise UserError(T("Chữ cái của số thứ tự: 1 đến 3 chữ in hoa (A, B…)",
                          "The ticket letter: 1 to 3 capital letters (A, B…)"), field="letter")
    if not name:
        raise UserError(T("Cần tên dịch vụ", "The service needs a name"), field="name")
    if not 1 <= int(minutes_per_ticket) <= 240:
        raise UserError(T("Thời gian mỗi lượt: 1 đến 240 phút", "Minutes per ticket: 1 to 240"),
                        field="minutes_per_ticket")
    with transaction():
        clash = Service.get_or_none(Service.tenant_id == tenant_id, Service.point == point,
                                    Service.letter == letter, Service.key != key)
        if clash is not None:
            raise UserError(T("Chữ {letter} đã dùng cho dịch vụ {name}",
                              "Letter {letter} is already used by {name}", letter=letter, name=clash.name),
                            field="letter")
        service = Service.get_or_none(Service.tenant_id == tenant_id, Service.key == key)
        if service is None:
            position = Service.select().where(Service.tenant_id == tenant_id).count()
            service = Service(tenant_id=tenant_id, key=key, position=position)
        service.point, service.letter, service.name = point, letter, name
        service.minutes_per_ticket, service.active = int(minutes_per_ticket), active
        service.save()
    return service


def save_desk(
    tenant_id: int, *, point: str, number: int, name: str, service_keys: list[str]
) -> Desk:
    """Create or update counter ``number`` of ``point`` and the services it calls; return it.

    :raises UserError: a bad number or name, or a service that is not of the ward's point.
    """
    if not 1 <= int(number) <= 999:
        raise UserError(T("Số quầy từ 1 đến 999", "A counter number is 1 to 999"), field="number")
    name = name.strip() or f"Quầy {int(number)}"
    known = {s.key for s in services(tenant_id, point)}
    unknown = [key for key in service_keys if key not in known]
    if unknown:
        raise UserError(T("Dịch vụ không có ở điểm tiếp nhận này: {keys}",
                          "Services not offered at this reception point: {keys}", keys=", ".join(unknown)),
                        field="services")
    with transaction():
        desk = Desk.get_or_none(Desk.tenant_id == tenant_id, Desk.point == point, Desk.number == number)
        if desk is None:
            desk = Desk(tenant_id=tenant_id, point=point, number=int(number))
        desk.name, desk.services, desk.active = name, list(service_keys), True
        desk.save()
    return desk


def seed_from_counters(tenant: TenantInfo) -> int:
    """Give a ward without services its defaults from its counters; return services made.

    Does nothing (returns 0) when the ward already has services.
    """
    if Service.select().where(Service.tenant_id == tenant.id).exists():
        return 0
    made = 0
    letters = iter(string.ascii_uppercase)
    with transaction():
        for index, point in enumerate(reception_points(tenant)):
            keys: dict[str, str] = {}  # field -> service key
            fields = [f for c in point.counters for f in c.fields] + [RESULT_RETURN]
            for field in dict.fromkeys(fields):
                key = field if index == 0 else f"{point.key}-{field}"[:40]
                save_service(tenant.id, point=point.key, key=key, letter=next(letters, "Z"),
                             name=FIELD_NAMES.get(field, field.replace("-", " ").capitalize()))
                keys[field] = key
                made += 1
            for number, counter in enumerate(point.counters, start=1):
                served = [keys[f] for f in counter.fields if f in keys] + [keys[RESULT_RETURN]]
                save_desk(tenant.id, point=point.key, number=number, name=counter.name,
                          service_keys=list(dict.fromkeys(served)))
    return made
