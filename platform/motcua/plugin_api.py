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


class DeviceDriver(abc.ABC):
    """Drives one kind of USB device at a counter: a thermal printer, a scanner, a display.

    Subclass it, set :attr:`name` and the USB ids it handles, and return an instance from
    ``register_device_drivers``. The core finds the device (pyusb), calls :meth:`open`
    with it, then the methods the driver's :attr:`capabilities` announce, then
    :meth:`close`. Drivers are thin: image encoding (ESC/POS raster) lives in the core.
    """

    name: str = ""
    """A unique key, e.g. ``"xprinter-xp58"`` (``[a-z0-9_-]``)."""

    title: Text = T("Thiết bị", "Device")
    usb_ids: tuple[tuple[int, int], ...] = ()
    """``(vendor_id, product_id)`` pairs this driver handles, e.g. ``((0x0483, 0x5743),)``."""

    capabilities: frozenset[str] = frozenset({"print_raster"})
    """What the device can do: ``print_raster``, ``cut``, ``read_text``."""

    def matches(self, vendor_id: int, product_id: int) -> bool:
        """Return True when this driver handles the USB device ``vendor_id:product_id``."""
        return (vendor_id, product_id) in self.usb_ids

    @abc.abstractmethod
    def open(self, device: Any) -> None:
        """Claim ``device`` (a ``usb.core.Device``); raise OSError when it cannot be used."""

    @abc.abstractmethod
    def print_raster(self, image: Any) -> None:
        """Print ``image``, a 1-bit ``PIL.Image`` as wide as the paper's printable dots."""

    def cut(self) -> None:  # noqa: B027 - optional capability, a no-op by default
        """Cut the paper, if the device has a cutter."""

    def close(self) -> None:  # noqa: B027 - optional, a no-op by default
        """Release the device."""


# --- Received by event hooks --------------------------------------------------------------


@dataclass(frozen=True)
class TenantInfo:
    """The ward an event happened in."""

    code: str
    name: str
    slug: str
    province_code: str


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


EVENT_TYPES: tuple[type, ...] = (TenantInfo, RecordInfo, EventInfo, PrintInfo)
"""The types an event hook's arguments may have."""

__all__ = [
    "EVENT_TYPES",
    "ApplicantInfo",
    "PLUGIN_API_VERSION",
    "PROJECT_NAME",
    "Connector",
    "DeliveryResult",
    "DeviceDriver",
    "EventInfo",
    "FieldType",
    "FormulaFunction",
    "Notebook",
    "OnlineSubmission",
    "OutgoingMessage",
    "PrintInfo",
    "PrintTemplate",
    "RecordInfo",
    "SubmittedFile",
    "T",
    "TenantInfo",
    "Text",
    "ValueType",
    "hookimpl",
    "hookspec",
]
