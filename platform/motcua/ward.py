"""The ward context: everything a service needs to act for one ward, built once per
request, job or command.

A :class:`WardContext` holds the ward (tenant) and its province, the toolkit of the
plugins enabled there (formula functions, field types, print templates, procedures), its
working calendar, the event sink whose events reach the ward's plugins after commit, the
clock and the app's settings. Every service takes it as its first argument, so no service
can run "without the ward's plugins" by accident: there is no such default.

Flask builds it in a ``before_request`` (:mod:`motcua.web.ward`); the CLI, the workers and
tests through :func:`ward_context` (or ``motcua.web.ward.ward_for(app, tenant)``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from motcua import clock
from motcua.events import Dispatcher, EventSink

if TYPE_CHECKING:
    from motcua.calendar import WorkCalendar
    from motcua.config import Settings
    from motcua.expressions import FunctionLibrary
    from motcua.notebooks.field_types import FieldTypeRegistry
    from motcua.notebooks.model import Notebook
    from motcua.notebooks.readiness import Toolkit
    from motcua.plugin_api import Connector, DeviceDriver, PrintTemplate
    from motcua.plugins.host import PluginHost
    from motcua.tenancy.models import Tenant


@dataclass(frozen=True, eq=False)
class WardContext:
    """One ward as services see it. Build with :func:`ward_context`.

    The toolkit and calendar are computed on first use and kept for the context's life
    (a request, a job, a command), so a request that needs neither pays nothing.
    """

    tenant: Tenant
    host: PluginHost | None
    settings: Settings
    events: EventSink
    now: Callable[[], datetime] = field(default=clock.now)

    @property
    def code(self) -> str:
        """Return the ward's unit code."""
        return str(self.tenant.code)

    @property
    def province_code(self) -> str:
        """Return the code of the ward's province."""
        return str(self.tenant.province_code)

    @property
    def data_dir(self) -> Path:
        """Return the folder where the app keeps files (PDFs, attachments)."""
        return self.settings.data_dir

    def today(self) -> date:
        """Return the ward's current day."""
        return self.now().date()

    @cached_property
    def plugins(self) -> frozenset[str]:
        """Return the names of the plugins enabled in the ward."""
        return self.host.enabled_names(self.tenant) if self.host else frozenset()

    @cached_property
    def calendar(self) -> WorkCalendar:
        """Return the ward's working calendar (national, province and ward layers)."""
        from motcua.tenancy.workdays import ward_calendar

        return ward_calendar(self.tenant)

    @cached_property
    def toolkit(self) -> Toolkit:
        """Return what the ward's notebooks run with: functions, field types and calendar."""
        from motcua.notebooks.readiness import Toolkit

        return Toolkit(functions=self.functions, field_types=self.field_types, calendar=self.calendar)

    @property
    def functions(self) -> FunctionLibrary:
        """Return the formula functions: the built-ins plus the enabled plugins'."""
        from motcua.expressions import FunctionLibrary

        return self.host.functions(self.tenant) if self.host else FunctionLibrary.default()

    @property
    def field_types(self) -> FieldTypeRegistry:
        """Return the field types: the built-ins plus the enabled plugins'."""
        from motcua.notebooks.field_types import FieldTypeRegistry

        return self.host.field_types(self.tenant) if self.host else FieldTypeRegistry.default()

    def print_templates(self) -> list[PrintTemplate]:
        """Return the print templates of the plugins enabled in the ward."""
        return self.host.print_templates(self.tenant) if self.host else []

    def library_notebooks(self) -> list[Notebook]:
        """Return the procedure notebooks the enabled plugins offer (the built-in library…)."""
        return [source.notebook for source in self.host.procedures(self.tenant)] if self.host else []

    def device_drivers(self) -> list[DeviceDriver]:
        """Return the device drivers of the plugins enabled in the ward."""
        return self.host.device_drivers(self.tenant) if self.host else []

    def connectors(self) -> list[Connector]:
        """Return the connectors of the plugins enabled in the ward."""
        return self.host.connectors(self.tenant) if self.host else []


def ward_context(host: PluginHost | None, tenant: Tenant, settings: Settings) -> WardContext:
    """Return the context of ``tenant`` with the plugins of ``host`` (None: none installed,
    for tools that run outside an app) and the app's ``settings``."""
    from motcua.connectors.outbox import OutboxWriter
    from motcua.db import database

    sink = EventSink(Dispatcher(host, tenant), lambda: bool(database.in_transaction()))
    # The portal outbox writes its messages inside the change's transaction (DESIGN.md §10).
    sink.subscribe(OutboxWriter(host, tenant))
    return WardContext(tenant=tenant, host=host, settings=settings, events=sink)
