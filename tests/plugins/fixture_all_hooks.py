"""A plugin implementing every hook of motcua.hookspecs; records the events it receives.

Loaded by tests/test_plugins.py with ``load_fixture_plugin()``, which gives a fresh module
(and a fresh ``calls`` list) each time, so tests never share its state.
"""

from __future__ import annotations

import click
from flask import Blueprint, g

from motcua.plugin_api import (
    Connector,
    DeliveryResult,
    DeviceDriver,
    FieldType,
    FormulaFunction,
    PluginMigration,
    PrintTemplate,
    PublicLink,
    T,
    ValueType,
    WardLink,
    hookimpl,
)
from motcua.plugins.scaffold import example_notebook

plugin_name = "fixture"
calls: list[tuple[str, dict]] = []

pages = Blueprint("fixture_pages", __name__)


@pages.get("/ping")
def ping() -> dict:
    return {"ward": g.tenant.code, "plugin": "fixture"}


class FixtureDriver(DeviceDriver):
    name = "fixture-printer"
    usb_ids = ((0x0483, 0x5743),)

    def open(self, device: object) -> None:
        self.device = device

    def print_raster(self, image: object) -> None:
        calls.append(("print_raster", {"image": image}))


class FixtureConnector(Connector):
    name = "fixture-connector"

    def send(self, message: object) -> DeliveryResult:
        calls.append(("send", {"message": message}))
        return DeliveryResult(delivered=True, reference="fx-1")


def _parse_upper(raw: object, field: object) -> str:
    return str(raw).strip().upper()


@hookimpl
def register_procedures() -> list:
    return [example_notebook("fixture-thu-tuc", fee_function="fixture_fee")]


@hookimpl
def register_print_templates() -> list[PrintTemplate]:
    return [
        PrintTemplate(
            "fixture-form", T("Mẫu thử", "Fixture form"), "<p>{{ record.code }}</p>", "A5"
        )
    ]


@hookimpl
def register_field_types() -> list[FieldType]:
    return [
        FieldType(
            "fixture_upper",
            {"vi": "Chữ hoa", "en": "Upper case"},
            ValueType.TEXT,
            "text",
            _parse_upper,
        )
    ]


@hookimpl
def register_formula_functions() -> list[FormulaFunction]:
    return [
        FormulaFunction(
            "fixture_fee",
            lambda pages, copies: 2000 * (pages or 0) * (copies or 0),
            [ValueType.NUMBER, ValueType.NUMBER],
            ValueType.NUMBER,
        )
    ]


@hookimpl
def register_device_drivers() -> list[DeviceDriver]:
    return [FixtureDriver()]


@hookimpl
def register_connectors() -> list[Connector]:
    return [FixtureConnector()]


@hookimpl
def register_blueprints() -> list[Blueprint]:
    return [pages]


@hookimpl
def register_migrations() -> list[PluginMigration]:
    return [
        PluginMigration(
            1,
            "notes",
            "CREATE TABLE fixture_note (id {pk}, tenant_id {id} NOT NULL REFERENCES tenant (id), text TEXT NOT NULL)",
        ),
        PluginMigration(2, "note_time", "ALTER TABLE fixture_note ADD COLUMN written_at {ts}"),
    ]


@click.command("fixture-hello", help="Say hello from the fixture plugin.")
@click.option("--name", default="world")
def hello(name: str) -> None:
    calls.append(("command", {"name": name}))
    click.echo(f"hello {name}")


@hookimpl
def register_commands() -> list[click.Command]:
    return [hello]


@hookimpl
def tenant_created(tenant: object) -> None:
    calls.append(("tenant_created", {"tenant": tenant}))


@hookimpl
def record_received(tenant: object, record: object) -> None:
    calls.append(("record_received", {"tenant": tenant, "record": record}))


@hookimpl
def record_status_changed(tenant: object, record: object, event: object) -> None:
    calls.append(("record_status_changed", {"tenant": tenant, "record": record, "event": event}))


@hookimpl
def record_printed(tenant: object, record: object, job: object) -> None:
    calls.append(("record_printed", {"tenant": tenant, "record": record, "job": job}))


@hookimpl
def record_lookup_links(tenant: object, record: object) -> list[PublicLink]:
    calls.append(("record_lookup_links", {"tenant": tenant, "record": record}))
    return [PublicLink(T("Mẫu liên kết", "Fixture link"), f"/{tenant.slug}/x/fixture/ping")]


@hookimpl
def register_ward_links() -> list[WardLink]:
    return [WardLink("fixture_pages.ping", T("Ô thử", "Fixture tile"), T("Trang thử", "Fixture page"))]
