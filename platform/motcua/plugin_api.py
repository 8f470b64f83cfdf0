"""Everything a motcua plugin may import: the hook marker, the types hooks return, and the
plain data hooks receive.

A plugin is a module (or object) with functions marked ``@hookimpl`` whose names are hooks
of :mod:`motcua.hookspecs`; it is installed as a Python package with an entry point in the
``motcua`` group::

    from motcua.plugin_api import hookimpl

    @hookimpl
    def record_received(tenant, record):
        ...

Events receive frozen dataclasses (:class:`TenantInfo`, :class:`RecordInfo`,
:class:`EventInfo`, :class:`PrintInfo`), never database rows: a plugin cannot change a
record behind the core's back, and the core may change its tables without breaking plugins.
The API's version is :data:`PLUGIN_API_VERSION` (docs/plugins/CHANGELOG.md).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pluggy

from motcua.expressions.types import ValueType
from motcua.i18n import T, Text
from motcua.notebooks.field_types import FieldType
from motcua.notebooks.model import Notebook

PROJECT_NAME = "motcua"
"""The pluggy project name and the entry-point group plugins are installed under."""

PLUGIN_API_VERSION = "0.2.0"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marks a function of a plugin as the implementation of the hook of the same name."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marks a hook specification; used by :mod:`motcua.hookspecs` only."""


# --- Returned by registration hooks -------------------------------------------------------


@dataclass(frozen=True)
class PrintTemplate:
    """A printable form added by a plugin.

    :param form: the key a procedure prints it by, e.g. ``"01"`` or ``"giay-hen-rieng"``
        (``[A-Za-z0-9_-]``, at most 40 characters); a plugin's ``"01"`` replaces the
        built-in form 01 in the wards where the plugin is enabled.
    :param name: the template's name for people.
    :param source: the Jinja HTML, rendered in the print sandbox (no include, import or
        extends; docs/printing.md lists the variables and filters).
    :param paper: one of ``A4``, ``A5``, ``A4-landscape``, ``thermal``.
    """

    form: str
    name: Text
    source: str
    paper: str = "A4"


@dataclass(frozen=True)
class PluginMigration:
    """One step of a plugin's own schema, applied by ``motcua db upgrade`` after the core's.

    :param version: the step's number within the plugin (1, 2, …); steps run in order and
        each runs once per database, recorded in ``plugin_migration`` under the plugin's name.
    :param name: a short name (``"tickets"``), shown by ``motcua db status``.
    :param sql: statements separated by ``;`` at line ends, written once for SQLite and
        PostgreSQL with the core's placeholders ``{pk}``, ``{ts}``, ``{bool}``, ``{id}``
        (docs/plugins/register_migrations.md). Name tables after the plugin
        (``queue_ticket``) and give every ward-owned table a ``tenant_id`` leading its keys.
    """

    version: int
    name: str
    sql: str


@dataclass(frozen=True)
class FormulaFunction:
    """A function that notebook formulas may call, e.g. ``phi_sao_y(so_trang)``.

    :param name: ``[a-z][a-z0-9_]*``, at most 40 characters, not a built-in's name.
    :param func: called with the argument values (blank is None); returns a number (int or
        Decimal), text, date, yes/no, list or None. It must be pure: no I/O, no clock
        (formulas are re-evaluated at every keystroke and in the samples).
    :param params: the parameter types; with ``variadic`` the last one may repeat.
    :param returns: the result type, checked statically by the notebook editor.
    :param doc: one line for the function list of the editor.
    """

    name: str
    func: Callable[..., Any]
    params: Sequence[ValueType]
    returns: ValueType
    variadic: bool = False
    doc: Text = field(
        default_factory=lambda: T("Hàm do tiện ích bổ sung", "Function added by a plugin")
    )


@dataclass(frozen=True)
class DeliveryResult:
    """What a :class:`Connector` did with a message.

    :param delivered: True when the other side accepted the message.
    :param reference: the other side's id for it (to quote in a complaint), if any.
    :param error: why it was not delivered, for the admin page.
    :param retry: True when sending again later may succeed (network down, rate limit).
    """

    delivered: bool
    reference: str = ""
    error: str = ""
    retry: bool = False


@dataclass(frozen=True)
class OutgoingMessage:
    """A message the core asks a :class:`Connector` to deliver.

    :param kind: what it is about, e.g. ``"record.received"``, ``"record.ready"``.
    :param tenant: the ward sending it.
    :param recipient: an address the connector understands (phone, e-mail, portal id).
    :param text: the message for people.
    :param record: the record it is about, if any.
    :param payload: machine-readable extras (JSON-compatible); for a portal message the
        portal's dossier code as ``portal_ref`` when the record came from its inbox.
    """

    kind: str
    tenant: TenantInfo
    recipient: str
    text: Text
    record: RecordInfo | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    """The message's idempotency key: the same on every try, so the other side can apply it
    once (send it as the ``Idempotency-Key`` header or the portal's equivalent)."""
    sequence: int = 0
    """The message's number among the messages about the same record (1, 2, …)."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    """The connector's settings for the ward: the province's, overridden by the ward's."""
    event: EventInfo | None = None
    """The status change the message reports (None for a reception or a message without one)."""


@dataclass(frozen=True)
class SubmittedFile:
    """A file attached to an online dossier on the portal."""

    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class OnlineSubmission:
    """A dossier a citizen submitted on a portal, as a connector hands it to the ward's inbox.

    :param portal_ref: the portal's code of the dossier (the same dossier twice is one item).
    :param procedure_key: the notebook key of its procedure in motcua, when the portal knows it.
    :param procedure_code: the national procedure code (``2.000908``), used when the key is blank.
    :param submitted_at: when the citizen submitted it (naive, Vietnam time).
    :param applicant: who submitted it.
    :param values: the form values, by the notebook's field names.
    :param files: the attached files.
    """

    portal_ref: str
    submitted_at: datetime
    applicant: ApplicantInfo
    procedure_key: str = ""
    procedure_code: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    files: tuple[SubmittedFile, ...] = ()


class Connector(abc.ABC):
    """Delivers messages to the world outside: a national or provincial portal, SMS, Zalo…

    Subclass it, set :attr:`name`, and return an instance from ``register_connectors``.
    ``send`` runs outside any database transaction and may block on the network; it must
    not raise for a delivery problem, it returns a :class:`DeliveryResult` saying so.
    """

    name: str = ""
    """A unique key, e.g. ``"dvc-quoc-gia"`` (``[a-z0-9_-]``)."""

    title: Text = T("Kết nối", "Connector")

    @abc.abstractmethod
    def send(self, message: OutgoingMessage) -> DeliveryResult:
        """Deliver ``message``; return what happened (never raise for a refusal)."""

    def pull(self, settings: Mapping[str, Any]) -> list[OnlineSubmission]:
        """Return the online dossiers waiting on the portal for the ward (none by default).

        ``settings`` are the ward's settings of the connector (with ``ward_code``). Called by
        ``motcua connectors pull`` and the worker; may block on the network and raise
        ``OSError`` (or ``httpx.HTTPError``) when the portal cannot be reached.
        """
        return []

    def read_webhook(self, payload: Any) -> list[OnlineSubmission]:
        """Return the online dossiers in a webhook's JSON body (its signature is already
        checked by the core). Raise ``ValueError`` for a body that is not the portal's."""
        raise ValueError(f"connector {self.name!r} takes no webhooks")


class DeviceFault(OSError):
    """A device could not do what was asked; the agent reports :attr:`state` and :attr:`text`.

    :param state: one of :data:`DEVICE_STATES` (``paper_out``, ``cover_open``,
        ``unplugged``, ``timeout``, ``busy``, ``not_configured``, ``error``).
    :param text: the reason for people, in Vietnamese and English.
    """

    def __init__(self, state: str, text: Text) -> None:
        super().__init__(text.render("en"))
        self.state = state
        self.text = text


DEVICE_STATES: dict[str, Text] = {
    "online": T("Sẵn sàng", "Online"),
    "paper_out": T("Hết giấy", "Paper out"),
    "cover_open": T("Nắp máy đang mở", "Cover open"),
    "unplugged": T("Đã rút cáp / không thấy thiết bị", "Unplugged / not found"),
    "timeout": T("Thiết bị không phản hồi (quá thời gian)", "The device timed out"),
    "busy": T("Thiết bị đang bị chương trình khác giữ", "Another program holds the device"),
    "not_configured": T("Chưa cấu hình", "Not configured"),
    "error": T("Lỗi thiết bị", "Device error"),
}
"""The health states a device reports, with their names for people."""


class DeviceDriver(abc.ABC):
    """Drives one kind of device at a counter: a thermal printer, a scanner, a display.

    Subclass :class:`PrinterDriver` or :class:`ScannerDriver` (or this class), set
    :attr:`name` and the USB ids it handles, and return an instance from
    ``register_device_drivers``. The agent calls :meth:`discover`, then :meth:`open` with
    what it found, then the methods the driver's :attr:`capabilities` announce, then
    :meth:`close`. Drivers are thin: ESC/POS encoding lives in :mod:`motcua.devices.escpos`
    and rasterising in :mod:`motcua.printing`. A driver raises :class:`DeviceFault` when
    the device cannot do what was asked.
    """

    name: str = ""
    """A unique key, e.g. ``"xprinter-xp58"`` (``[a-z0-9_-]``)."""

    title: Text = T("Thiết bị", "Device")
    kind: str = "printer"
    """``printer`` or ``scanner``: what the agent uses the device for."""

    usb_ids: tuple[tuple[int, int], ...] = ()
    """``(vendor_id, product_id)`` pairs this driver handles, e.g. ``((0x0483, 0x5743),)``."""

    capabilities: frozenset[str] = frozenset({"print_raster"})
    """What the device can do: ``print_raster``, ``print_pdf``, ``cut``, ``status``, ``read_text``."""

    def matches(self, vendor_id: int, product_id: int) -> bool:
        """Return True when this driver handles the USB device ``vendor_id:product_id``."""
        return (vendor_id, product_id) in self.usb_ids

    def discover(self, backend: Any = None, options: Mapping[str, str] | None = None) -> list[Any]:
        """Return the devices this driver can open now (by default: USB devices whose ids
        it matches, found with ``usb.core.find`` on ``backend``; None is libusb).

        ``options`` are the agent's ``--option KEY=VALUE`` settings.
        """
        import usb.core

        if not self.usb_ids:
            return []
        return list(
            usb.core.find(
                find_all=True,
                backend=backend,
                custom_match=lambda found: self.matches(found.idVendor, found.idProduct),
            )
        )

    @abc.abstractmethod
    def open(self, device: Any) -> None:
        """Claim ``device`` (what :meth:`discover` returned); raise DeviceFault or OSError
        when it cannot be used."""

    def print_raster(self, image: Any) -> None:
        """Print ``image``, a 1-bit ``PIL.Image`` as wide as the paper's printable dots."""
        raise DeviceFault("error", T("Thiết bị này không in được", "This device does not print"))

    def cut(self) -> None:  # noqa: B027 - optional capability, a no-op by default
        """Cut the paper, if the device has a cutter."""

    def close(self) -> None:  # noqa: B027 - optional, a no-op by default
        """Release the device."""


class PrinterDriver(DeviceDriver):
    """A printer: thermal (``print_raster`` of the 1-bit slip image) or a page printer
    (``print_pdf``). :attr:`papers` are the papers it takes (``thermal``, ``A4``, ``A5``…)."""

    kind = "printer"
    papers: frozenset[str] = frozenset({"thermal"})
    width_dots: int = 576
    """Printable dots per row of a raster printer (576 on 80 mm paper, 384 on 58 mm)."""

    def status(self) -> str:
        """Return the printer's health, one of :data:`DEVICE_STATES` (default ``online``)."""
        return "online"

    def print_pdf(self, pdf: bytes, copies: int = 1) -> None:
        """Print a PDF (page printers); raster printers receive images instead."""
        raise DeviceFault("error", T("Máy in này không in PDF", "This printer does not print PDFs"))


class ScannerDriver(DeviceDriver):
    """A scanner that reads text (the QR of a CCCD card, a record's QR)."""

    kind = "scanner"
    capabilities = frozenset({"read_text"})

    @abc.abstractmethod
    def read_text(self, timeout: float) -> str | None:
        """Return the next code read within ``timeout`` seconds, or None if none was.

        :raises DeviceFault: the scanner is gone or failed.
        """


# --- Received by event hooks --------------------------------------------------------------


@dataclass(frozen=True)
class TenantInfo:
    """The ward an event happened in."""

    code: str
    name: str
    slug: str
    province_code: str
    id: int = 0
    """The ward's row id: the ``tenant_id`` a plugin's own tables carry (0 when not stored)."""


@dataclass(frozen=True)
class RecordInfo:
    """A record (hồ sơ) as plugins see it.

    :param code: the record's receipt code, printed on the appointment slip.
    :param procedure_key: the notebook key of its procedure, e.g. ``"dang-ky-khai-sinh"``.
    :param status: its status after the event, e.g. ``"received"``.
    :param channel: how it came in: ``"counter"``, ``"online"``, ``"post"``.
    :param applicant: who filed it, with the contact data a notification or portal plugin
        needs (empty strings where the record has none).
    :param procedure_name: the procedure's name in Vietnamese, as printed on the slip.
    :param resolved_at: when it was approved or rejected, if it was.
    :param returned_at: when the result was handed back, if it was.
    :param received_by: the login of the staff member who received it.
    """

    code: str
    procedure_key: str
    status: str
    received_at: datetime
    due_at: datetime | None
    channel: str = "counter"
    applicant: ApplicantInfo = field(default_factory=lambda: ApplicantInfo())
    procedure_name: str = ""
    resolved_at: datetime | None = None
    returned_at: datetime | None = None
    received_by: str = ""
    """The login of the staff member who received it (empty for an online record)."""


@dataclass(frozen=True)
class ApplicantInfo:
    """The person who filed a record: name, CCCD (or old ID) number and contact data."""

    name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class EventInfo:
    """A change of a record's status: who moved it from what to what, when and why."""

    action: str
    from_status: str | None
    to_status: str
    at: datetime
    actor: str = ""
    note: str = ""


@dataclass(frozen=True)
class PrintInfo:
    """A print job: which form, how many copies, and whether it was printed before."""

    form: str
    copies: int = 1
    reprint: bool = False


@dataclass(frozen=True)
class WardLink:
    """A tile on the ward's home page leading to a plugin's page (``register_ward_links``).

    :param view: the page's endpoint inside the plugin, ``"<blueprint name>.<view function>"``
        (e.g. ``"queue.start"``); it must be a route without path parameters.
    :param title: the tile's title.
    :param description: one line under it.
    :param permission: shown only to roles with this permission (``"ward.view"``: everyone
        of the ward; ``"records.receive"``, ``"reports.view"``, ``"ward.configure"``…).
    :param order: position among the tiles (the core's run from 10 to 80).
    """

    view: str
    title: Text
    description: Text
    permission: str = "ward.view"
    order: int = 60


@dataclass(frozen=True)
class PublicLink:
    """A link a plugin adds to a citizen's page (``record_lookup_links``).

    :param label: the link text, Vietnamese and English.
    :param url: a path on this server (``/<ward slug>/x/<plugin>/…``) or an ``https://`` URL.
    """

    label: Text
    url: str


@dataclass(frozen=True)
class CounterInfo:
    """A counter (quầy) of a reception point and the fields it serves (``"dat-dai"``…)."""

    key: str
    name: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReceptionPointInfo:
    """A place where the ward receives dossiers, with its active counters in order."""

    key: str
    name: str
    address: str = ""
    counters: tuple[CounterInfo, ...] = ()


# --- What a plugin's own code may use: its tables, its pages, the clock, printing -------


def now() -> datetime:
    """Return the ward's current local time, naive (frozen in tests; never read the wall clock)."""
    from motcua import clock

    return clock.now()


def database() -> Any:
    """Return the database proxy a plugin's peewee models bind to (``Meta.database``).

    The core points it at SQLite or PostgreSQL at start-up; a plugin's tables are created
    by its ``register_migrations`` steps, never by ``create_tables``.
    """
    from motcua.db.base import database as proxy

    return proxy


def transaction() -> Any:
    """Return a write transaction (``with transaction(): ...``): ``BEGIN IMMEDIATE`` on
    SQLite, plain on PostgreSQL. Nested, it is a savepoint; one change, one transaction."""
    from motcua.db.connection import write_transaction

    return write_transaction()


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a plugin view as open without sign-in (a kiosk, a hall display, a citizen's phone).

    The host still resolves the ward and answers 404 where the plugin is not enabled; the
    view must show nothing personal (tests/test_isolation.py skips such views by this mark).
    """
    view.public = True  # type: ignore[attr-defined]
    return view


def rate_limited(limit: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Limit how often one address may call a plugin view, e.g. ``@rate_limited("20 per
    minute")`` on a public form; past the limit the core answers 429 in both languages.

    Uses the app's limiter (``MOTCUA_RATELIMIT_STORAGE``), so the count holds across workers.
    """

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.rate_limit = limit  # type: ignore[attr-defined]
        return view

    return mark


def public_url(path: str) -> str:
    """Return ``path`` (``/<ward slug>/x/…``) on the server's public address
    (``MOTCUA_PUBLIC_URL``), for QR codes a phone will open: the host a kiosk used may be
    ``localhost``. Call inside a request or app context."""
    from flask import current_app

    base = str(current_app.extensions["motcua.settings"].public_url).rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def render_pdf(
    form: str, context: dict[str, Any], *, source: str | None = None, paper: str | None = None
) -> bytes:
    """Return a PDF through the core's printing path (docs/printing.md).

    ``form`` names a built-in form (``"ticket"`` is the 80 mm queue ticket: ``agency``,
    ``ticket`` and ``lookup_url`` in ``context``) rendered by the trusted renderer, or, with
    ``source``, the plugin's own Jinja HTML rendered in the print sandbox. ``paper`` is
    ``A4``, ``A5``, ``A4-landscape`` or ``thermal`` (default: the form's own).

    :raises motcua.UserError: unknown form or paper, or context data that is not plain.
    """
    from motcua.printing.render import FORMS
    from motcua.printing.runtime import process_renderers

    return process_renderers().render(
        form, context, source=source, paper=paper or FORMS.get(form, "A4")
    )


def reception_points(tenant: Any) -> list[ReceptionPointInfo]:
    """Return the ward's active reception points and their active counters, in the order
    the ward defined them (``tenants/*.toml`` or the admin pages); ``tenant`` is a
    :class:`TenantInfo` or ``flask.g.tenant``."""
    from motcua.tenancy.models import Counter, ReceptionPoint

    points = list(
        ReceptionPoint.select()
        .where(ReceptionPoint.tenant == tenant.id, ReceptionPoint.active == True)  # noqa: E712
        .order_by(ReceptionPoint.id)
    )
    counters = list(
        Counter.select()
        .where(Counter.tenant == tenant.id, Counter.active == True)  # noqa: E712
        .order_by(Counter.id)
    )
    return [
        ReceptionPointInfo(
            key=point.key,
            name=point.name,
            address=point.address or "",
            counters=tuple(
                CounterInfo(c.key, c.name, tuple(c.fields or ()))
                for c in counters
                if c.reception_point_id == point.id
            ),
        )
        for point in points
    ]


def command_ward(code: str, plugin: str) -> Any:
    """For a plugin's CLI command: a context manager giving the ward ``code`` as a
    :class:`TenantInfo`, with the app's database connected for the block.

    :raises motcua.UserError: no active ward has that code, or ``plugin`` is not enabled there.
    """
    from motcua.plugins.commands import command_ward as open_ward

    return open_ward(code, plugin)


EVENT_TYPES: tuple[type, ...] = (TenantInfo, RecordInfo, EventInfo, PrintInfo)
"""The types an event hook's arguments may have."""

__all__ = [
    "EVENT_TYPES",
    "ApplicantInfo",
    "PLUGIN_API_VERSION",
    "PROJECT_NAME",
    "Connector",
    "CounterInfo",
    "DeliveryResult",
    "DEVICE_STATES",
    "DeviceDriver",
    "DeviceFault",
    "PrinterDriver",
    "ScannerDriver",
    "EventInfo",
    "FieldType",
    "FormulaFunction",
    "Notebook",
    "OnlineSubmission",
    "OutgoingMessage",
    "PrintInfo",
    "PluginMigration",
    "PrintTemplate",
    "PublicLink",
    "ReceptionPointInfo",
    "RecordInfo",
    "SubmittedFile",
    "T",
    "TenantInfo",
    "Text",
    "ValueType",
    "WardLink",
    "command_ward",
    "database",
    "hookimpl",
    "hookspec",
    "now",
    "public",
    "public_url",
    "rate_limited",
    "reception_points",
    "render_pdf",
    "transaction",
]
