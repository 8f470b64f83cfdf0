"""The whole plugin surface of motcua: every hook a plugin may implement.

Three families, in the order the app meets them:

* **Registration hooks** (``register_*``) are called once when the app starts, for every
  installed plugin, enabled or not. Each returns a list of declarations; the host checks
  them and refuses the whole plugin, naming it and what was wrong, when one is invalid.
  Which wards *see* a plugin's declarations is decided later, per ward.
* **Event hooks** are called after something happened in a ward, only for the plugins
  enabled in that ward. They receive frozen dataclasses from :mod:`motcua.plugin_api`
  and return nothing. Each implementation runs isolated: an exception is logged, shown to
  the ward's admins and swallowed; it never breaks or rolls back the reception.
* **Page hooks** (``record_lookup_links``) are called while a page is built, only for the
  plugins enabled in its ward, with the same plain arguments; they return what the page
  adds. Each runs isolated like an event hook: one that raises adds nothing.

No hook is ``firstresult``: every implementation is called and every result is used.
Hooks take keyword arguments; an implementation may accept fewer arguments than the spec
(new arguments can be added without breaking plugins). docs/plugins/ is generated from
the docstrings below (``python -m motcua.plugins.docs``); each "Example" is run by the
test suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from motcua.plugin_api import hookspec

if TYPE_CHECKING:
    import click
    from flask import Blueprint

    from motcua.plugin_api import (
        Connector,
        DeviceDriver,
        EventInfo,
        FieldType,
        FormulaFunction,
        Notebook,
        PluginMigration,
        PrintInfo,
        PrintTemplate,
        PublicLink,
        RecordInfo,
        TenantInfo,
        WardLink,
    )

# --- Registration hooks: called once at start-up, for every installed plugin --------------


@hookspec
def register_procedures() -> list[Path | Notebook]:
    """Add procedure notebooks (thủ tục) to the wards where the plugin is enabled.

    Arguments: none.

    Returns: a list of ``pathlib.Path`` to ``.ipynb`` files (docs/notebook-format.md) or
    :class:`~motcua.plugin_api.Notebook` objects. Each must read without error and pass
    the notebook checks with the formula functions and field types of all installed
    plugins; notebook keys must be unique across plugins. Ship the files as package data
    and locate them relative to your module (``Path(__file__).parent / "forms"``).

    First result wins: no; the lists of all plugins are joined.

    Example::

        from motcua.plugin_api import Notebook, hookimpl

        @hookimpl
        def register_procedures():
            # Usually the files shipped in the package:
            #     return sorted((Path(__file__).parent / "forms").glob("*.ipynb"))
            return [Notebook(key="vi-du-thu-tuc", name={"vi": "Thủ tục ví dụ", "en": "Example procedure"})]
    """


@hookspec
def register_print_templates() -> list[PrintTemplate]:
    """Add printable forms (Jinja HTML rendered to PDF) to the wards where the plugin is enabled.

    Arguments: none.

    Returns: a list of :class:`~motcua.plugin_api.PrintTemplate`. ``form`` keys are unique
    across plugins; the source must compile in the print sandbox (no include, import or
    extends) and ``paper`` must be ``A4``, ``A5``, ``A4-landscape`` or ``thermal``. A
    plugin's form with a built-in key (``"01"``) replaces the built-in form in its wards.

    First result wins: no; the lists of all plugins are joined.

    Example::

        from motcua.plugin_api import PrintTemplate, T, hookimpl

        @hookimpl
        def register_print_templates():
            return [PrintTemplate(
                form="giay-bien-nhan-rieng",
                name=T("Giấy biên nhận (mẫu tỉnh)", "Receipt (province layout)"),
                source="<h1>{{ record.code }}</h1><p>{{ record.applicant_name }}</p>",
                paper="A5",
            )]
    """


@hookspec
def register_field_types() -> list[FieldType]:
    """Add notebook field types: a widget, a parser and a validator under a new type name.

    Arguments: none.

    Returns: a list of :class:`~motcua.plugin_api.FieldType`. Names are unique across
    plugins and may not reuse a built-in type's name (``text``, ``date``, ``citizen_id``…).
    The parser turns the raw input into the stored value and raises
    :class:`motcua.UserError` when it cannot; the validator returns a
    :class:`~motcua.plugin_api.Text` saying what is wrong, or None.

    First result wins: no; the lists of all plugins are joined.

    Example::

        from motcua import UserError
        from motcua.plugin_api import FieldType, T, ValueType, hookimpl

        def parse_land_parcel(raw, field):
            text = str(raw).strip()
            sheet, _, parcel = text.partition("/")
            if not (sheet.isdigit() and parcel.isdigit()):
                raise UserError(T("Ghi theo dạng tờ/thửa, ví dụ 12/345", "Write sheet/parcel, e.g. 12/345"))
            return f"{int(sheet)}/{int(parcel)}"

        @hookimpl
        def register_field_types():
            return [FieldType("thua_dat", {"vi": "Tờ/thửa đất", "en": "Land sheet/parcel"},
                              ValueType.TEXT, "text", parse_land_parcel)]
    """


@hookspec
def register_formula_functions() -> list[FormulaFunction]:
    """Add functions that notebook formulas, checks and conditions may call.

    Arguments: none.

    Returns: a list of :class:`~motcua.plugin_api.FormulaFunction` (the core's own plugin
    may also return :class:`motcua.expressions.FunctionInfo`, for overloaded built-ins).
    Names follow ``[a-z][a-z0-9_]*`` (at most 40 characters), are not keywords, and are
    unique across plugins and the built-in functions. The function must be pure.

    First result wins: no; the lists of all plugins are joined.

    Example::

        from decimal import Decimal

        from motcua.plugin_api import FormulaFunction, T, ValueType, hookimpl

        def copy_fee(pages, copies):
            # Circular 226/2016: 2,000 đ for the first two pages, 1,000 đ after, per copy.
            pages = int(pages or 0)
            per_copy = 2000 + max(pages - 2, 0) * 1000 if pages else 0
            return Decimal(per_copy * int(copies or 1))

        @hookimpl
        def register_formula_functions():
            return [FormulaFunction("phi_chung_thuc", copy_fee, [ValueType.NUMBER, ValueType.NUMBER],
                                    ValueType.NUMBER, doc=T("Lệ phí chứng thực", "Certification fee"))]
    """


@hookspec
def register_device_drivers() -> list[DeviceDriver]:
    """Add drivers for USB devices at the counters (thermal printers, scanners…).

    Arguments: none.

    Returns: a list of :class:`~motcua.plugin_api.DeviceDriver` *instances* (usually a
    :class:`~motcua.plugin_api.PrinterDriver` or :class:`~motcua.plugin_api.ScannerDriver`),
    with unique ``name`` across plugins and ``usb_ids`` pairs of 16-bit vendor and product
    ids. ``motcua agent`` on the counter PC drives them (docs/devices.md, with a tested
    example over the emulated USB bus).

    First result wins: no; the lists of all plugins are joined.

    Example::

        from motcua.devices import escpos
        from motcua.plugin_api import PrinterDriver, T, hookimpl

        class Xprinter58(PrinterDriver):
            name = "xprinter-58"
            title = T("Máy in nhiệt Xprinter 58 mm", "Xprinter 58 mm thermal printer")
            usb_ids = ((0x0483, 0x5743),)
            width_dots = 384

            def open(self, device):
                device.set_configuration()
                self.device = device

            def print_raster(self, image):
                self.device.write(0x01, escpos.INIT + escpos.raster(image), 5000)

            def cut(self):
                self.device.write(0x01, escpos.CUT, 5000)

        @hookimpl
        def register_device_drivers():
            return [Xprinter58()]
    """


@hookspec
def register_connectors() -> list[Connector]:
    """Add connectors that deliver messages to portals, SMS gateways and the like.

    Arguments: none.

    Returns: a list of :class:`~motcua.plugin_api.Connector` *instances* with unique
    ``name`` across plugins. ``send`` returns a :class:`~motcua.plugin_api.DeliveryResult`.
    In the wards where the plugin is enabled, the core's outbox calls ``send`` for every
    record change, in order per record, with the message's idempotency key
    (``message.key``) and the ward's settings (``message.settings``), and tries again
    while the result says ``retry``; a portal connector may also implement ``pull`` and
    ``read_webhook`` to bring online dossiers into the ward's inbox (docs/connectors.md).

    First result wins: no; the lists of all plugins are joined.

    Example::

        from motcua.plugin_api import Connector, DeliveryResult, T, hookimpl

        class LogOnly(Connector):
            name = "ghi-nhat-ky"
            title = T("Chỉ ghi nhật ký", "Log only")

            def send(self, message):
                print(message.kind, message.recipient, message.text)
                return DeliveryResult(delivered=True, reference="log")

        @hookimpl
        def register_connectors():
            return [LogOnly()]
    """


@hookspec
def register_blueprints() -> list[Blueprint]:
    """Add pages and JSON routes, mounted under ``/<tenant_slug>/x/<plugin name>/``.

    Arguments: none.

    Returns: a list of ``flask.Blueprint`` with unique names within the plugin. The host
    mounts them (do not set a ``url_prefix`` with the ward in it): a route ``/`` of
    plugin ``forms-library`` answers at ``/<ward slug>/x/forms-library/``. Every route
    needs a signed-in member of the ward and answers 404 in wards where the plugin is
    not enabled; ``flask.g.tenant`` is the ward and ``flask.g.permissions`` its user's
    permissions. A view marked :func:`motcua.plugin_api.public` needs no sign-in (a
    kiosk, a hall display, a citizen's phone) and must show nothing personal. Forms that
    POST must send ``csrf_token``.

    First result wins: no; the lists of all plugins are joined.

    Example::

        from flask import Blueprint, g

        from motcua.plugin_api import hookimpl

        pages = Blueprint("thong_ke", __name__)

        @pages.get("/")
        def summary():
            return {"ward": g.tenant.code}

        @hookimpl
        def register_blueprints():
            return [pages]
    """


@hookspec
def register_migrations() -> list[PluginMigration]:
    """Create and change the plugin's own tables, applied by ``motcua db upgrade``.

    Arguments: none.

    Returns: a list of :class:`~motcua.plugin_api.PluginMigration`, numbered 1, 2, 3…
    within the plugin. ``motcua db upgrade`` (and ``motcua demo``) applies the core's
    migrations first, then each installed plugin's pending steps, every step in its own
    transaction, recorded in the ``plugin_migration`` table under the plugin's name; a
    step is never applied twice. SQL is written once for both databases with the
    placeholders of the core's migrations (``{pk}``, ``{ts}``, ``{bool}``, ``{id}``).
    Tables are created for every installed plugin, enabled in a ward or not; name them
    after the plugin and let ``tenant_id`` lead every key of a ward-owned table. Bind the
    plugin's peewee models to :func:`motcua.plugin_api.database`. Never edit a shipped
    step: add the next one.

    First result wins: no; each plugin's steps are its own.

    Example::

        from motcua.plugin_api import PluginMigration, hookimpl

        @hookimpl
        def register_migrations():
            return [PluginMigration(1, "notes", '''
                CREATE TABLE vi_du_note (
                    id {pk},
                    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
                    text TEXT NOT NULL,
                    written_at {ts} NOT NULL
                );
                CREATE INDEX vi_du_note_tenant_id ON vi_du_note (tenant_id, written_at)
            ''')]
    """


@hookspec
def register_commands() -> list[click.Command]:
    """Add commands to the ``motcua`` command line (``motcua <name> …``).

    Arguments: none.

    Returns: a list of ``click.Command`` (usually one ``click.Group`` named after the
    plugin) with names ``[a-z][a-z0-9-]*``, unique across plugins; a name the core already
    uses is refused and logged. A command that works on a ward takes ``--tenant CODE`` and
    opens it with ``with motcua.plugin_api.command_ward(code, plugin_name) as tenant:``,
    which connects the database and refuses wards where the plugin is not enabled.
    Print bilingual messages; raise ``motcua.UserError`` for bad input (exit code 1).

    First result wins: no; the lists of all plugins are joined.

    Example::

        import click

        from motcua.plugin_api import hookimpl

        @click.command("xin-chao", help="Chào hỏi (say hello).")
        @click.option("--ten", default="bạn")
        def hello(ten):
            click.echo(f"Xin chào {ten}")

        @hookimpl
        def register_commands():
            return [hello]
    """


@hookspec
def register_ward_links() -> list[WardLink]:
    """Add tiles to the ward's home page leading to the plugin's pages.

    Arguments: none.

    Returns: a list of :class:`~motcua.plugin_api.WardLink`, each naming a view of one of
    the plugin's blueprints (``"<blueprint>.<function>"``, a route without parameters). A
    tile shows only in wards where the plugin is enabled, to users whose role has its
    ``permission``; a view that does not exist is logged and left out.

    First result wins: no; the lists of all plugins are joined.

    Example::

        from motcua.plugin_api import T, WardLink, hookimpl

        # The view `summary` of the plugin's blueprint "bao_cao" (see register_blueprints).
        @hookimpl
        def register_ward_links():
            return [WardLink("bao_cao.summary", T("Báo cáo tỉnh", "Province report"),
                             T("Số liệu theo mẫu của tỉnh", "Figures in the province's layout"),
                             permission="reports.view")]
    """


# --- Event hooks: called per ward, for the plugins enabled there --------------------------


@hookspec
def tenant_created(tenant: TenantInfo) -> None:
    """A ward was created on the platform (``motcua tenants sync`` or the admin).

    :param tenant: the new ward.

    Returns: nothing (a returned value is ignored). Called after the ward's row is saved,
    for the plugins enabled in it (the province default or the plugin's default, since a
    new ward has no settings of its own). An exception is logged and shown to admins.

    First result wins: no; every enabled plugin is called.

    Example::

        import logging

        from motcua.plugin_api import hookimpl

        @hookimpl
        def tenant_created(tenant):
            logging.getLogger("vi_du").info("new ward %s in province %s", tenant.code, tenant.province_code)
    """


@hookspec
def record_received(tenant: TenantInfo, record: RecordInfo) -> None:
    """A record (hồ sơ) was received at a counter or online, after its transaction.

    :param tenant: the ward that received it.
    :param record: the record, with ``status`` its status after reception.

    Returns: nothing. An exception is logged, stored as a plugin failure shown on the
    ward's plugin page, and never undoes the reception.

    First result wins: no; every enabled plugin is called.

    Example::

        import logging

        from motcua.plugin_api import hookimpl

        @hookimpl
        def record_received(tenant, record):
            logging.getLogger("vi_du").info("%s received %s (due %s)", tenant.code, record.code, record.due_at)
    """


@hookspec
def record_status_changed(tenant: TenantInfo, record: RecordInfo, event: EventInfo) -> None:
    """A record moved from one status to another (processing, approved, returned…).

    :param tenant: the record's ward.
    :param record: the record after the change.
    :param event: the change: action, from and to status, time, actor login and note.

    Returns: nothing. An exception is logged and shown to admins; the change stays.

    First result wins: no; every enabled plugin is called.

    Example::

        from motcua.plugin_api import hookimpl

        ready = []

        @hookimpl
        def record_status_changed(tenant, record, event):
            if event.to_status == "ready":
                ready.append(record.code)
    """


@hookspec
def record_printed(tenant: TenantInfo, record: RecordInfo, job: PrintInfo) -> None:
    """A form of a record was printed (appointment slip, receipt, official form).

    :param tenant: the record's ward.
    :param record: the record.
    :param job: the form key, the number of copies and whether it was a reprint.

    Returns: nothing. An exception is logged and shown to admins; the print stands.

    First result wins: no; every enabled plugin is called.

    Example::

        from motcua.plugin_api import hookimpl

        reprints = []

        @hookimpl
        def record_printed(tenant, record, job):
            if job.reprint:
                reprints.append((record.code, job.form))
    """


# --- Page hooks: called while a page is built, per ward, for the plugins enabled there -----


@hookspec
def record_lookup_links(tenant: TenantInfo, record: RecordInfo) -> list[PublicLink]:
    """Add links to the citizen's lookup page of a record (what the QR on slip 01 opens).

    :param tenant: the record's ward.
    :param record: the record being looked up.

    Returns: a list of :class:`~motcua.plugin_api.PublicLink` (a path on this server or an
    ``https://`` URL), shown under the record's status; return ``[]`` for records the
    plugin has nothing to offer. The page is public: link to public views only and put
    nothing personal in the label. An exception or an invalid link is logged and shown to
    admins, and that plugin's links are left out.

    First result wins: no; the links of all enabled plugins are shown, in plugin order.

    Example::

        from motcua.plugin_api import PublicLink, T, hookimpl

        @hookimpl
        def record_lookup_links(tenant, record):
            if record.procedure_key != "dang-ky-khai-sinh":
                return []
            return [PublicLink(T("Hướng dẫn nhận kết quả", "How to collect the result"),
                               f"/{tenant.slug}/x/vi-du/huong-dan")]
    """


REGISTRATION_HOOKS = (
    "register_procedures",
    "register_print_templates",
    "register_field_types",
    "register_formula_functions",
    "register_device_drivers",
    "register_connectors",
    "register_blueprints",
    "register_migrations",
    "register_commands",
    "register_ward_links",
)
EVENT_HOOKS = ("tenant_created", "record_received", "record_status_changed", "record_printed")
PAGE_HOOKS = ("record_lookup_links",)
ALL_HOOKS = REGISTRATION_HOOKS + EVENT_HOOKS + PAGE_HOOKS
