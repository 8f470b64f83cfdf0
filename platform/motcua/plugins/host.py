"""The plugin host: loads plugins into a pluggy manager, checks them, and calls them per ward.

pluggy does not protect the host (research/anchors-plugins-devices.md §1): a plugin that
fails to import, a misspelled hook and an exception in a hook all come out unnamed. So
every step here is guarded and names the plugin: each entry point loads in its own
``try``, unknown hooks are found after loading (as ``check_pending`` would) and the plugin
is dropped, every ``register_*`` result is checked, and event hooks run one
implementation at a time with their exceptions caught.

This module has no Flask app and no database: which plugins a ward enabled comes from a
``resolver``, and failures go to a ``failure_sink`` (:mod:`motcua.plugins.store` gives the
database-backed ones).
"""

from __future__ import annotations

import difflib
import logging
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from motcua import hookspecs
from motcua.clock import now
from motcua.errors import NotFound
from motcua.expressions import FunctionInfo, FunctionLibrary
from motcua.i18n import T, Text
from motcua.notebooks import FieldTypeRegistry
from motcua.plugin_api import (
    EVENT_TYPES,
    PROJECT_NAME,
    Connector,
    DeviceDriver,
    FieldType,
    PluginMigration,
    PrintTemplate,
    TenantInfo,
    WardLink,
)
from motcua.plugins.validation import CHECKS, ProcedureSource, Registered, Rejected

if TYPE_CHECKING:
    import click
    from flask import Blueprint

log = logging.getLogger("motcua.plugins")

BUILTIN_NAME = "motcua"
"""The name the core's own plugin (:mod:`motcua.plugins.builtin`) is registered under."""


class PluginError(Exception):
    """Raised instead of recording a load error when the host is built with ``strict=True``."""


@dataclass(frozen=True)
class LoadError:
    """A plugin that could not be loaded or was refused at start-up, and why."""

    plugin: str
    distribution: str | None
    message: Text
    hook: str | None = None

    @property
    def error(self) -> str:
        """Return the reason as one line of English (logs, ``plugins list --json``)."""
        return self.message.render("en")


@dataclass(frozen=True)
class PluginInfo:
    """An installed, loaded plugin: where it comes from and which hooks it implements."""

    name: str
    version: str
    distribution: str | None
    hooks: tuple[str, ...]
    builtin: bool
    default_enabled: bool
    description: str = ""


@dataclass(frozen=True)
class FailureInfo:
    """An exception raised by a plugin in an event hook."""

    tenant: TenantInfo
    plugin: str
    hook: str
    error: str
    detail: str
    at: datetime


@dataclass(frozen=True)
class PluginSpec:
    """A plugin to register: the object, its name, and the package it came from."""

    plugin: Any
    name: str
    distribution: str | None = None
    version: str = ""
    builtin: bool = False


Resolver = Callable[[TenantInfo], tuple[Mapping[str, bool], Mapping[str, bool]]]
"""Returns ``(ward settings, province defaults)``: plugin name -> enabled."""

FailureSink = Callable[[FailureInfo], None]


def all_enabled(_tenant: TenantInfo) -> tuple[Mapping[str, bool], Mapping[str, bool]]:
    """A resolver for tests and tools without a database: no settings, so defaults apply."""
    return {}, {}


def tenant_info(tenant: Any) -> TenantInfo:
    """Return the :class:`TenantInfo` of a ``Tenant`` row (a TenantInfo is returned as is)."""
    if isinstance(tenant, TenantInfo):
        return tenant
    return TenantInfo(
        code=tenant.code,
        name=tenant.name,
        slug=tenant.slug,
        province_code=tenant.province_code,
        id=tenant.id or 0,
    )


def plugin_name_of(plugin: Any) -> str:
    """Return the name a plugin object registers under: ``plugin_name`` or its module/class name."""
    explicit = getattr(plugin, "plugin_name", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    return getattr(plugin, "__name__", None) or type(plugin).__name__


class PluginHost:
    """The plugins of one app. Build with :func:`build_host`; reach with ``plugin_host(app)``."""

    def __init__(
        self,
        resolver: Resolver = all_enabled,
        failure_sink: FailureSink | None = None,
        call_guard: Callable[[], AbstractContextManager[Any]] = nullcontext,
        strict: bool = False,
    ) -> None:
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.errors: list[LoadError] = []
        self.recent_failures: deque[FailureInfo] = deque(maxlen=200)
        self._infos: dict[str, PluginInfo] = {}
        self._registered = Registered()
        self._resolver = resolver
        self._failure_sink = failure_sink
        self._call_guard = call_guard
        self._strict = strict
        self._libraries: dict[frozenset[str], tuple[FunctionLibrary, FieldTypeRegistry]] = {}

    # --- loading ----------------------------------------------------------------------

    def load(self, specs: Iterable[PluginSpec], entry_points: bool = True) -> None:
        """Register ``specs`` then (with ``entry_points``) the installed plugins, then check all."""
        for spec in specs:
            self._register(spec)
        if entry_points:
            for spec in self._entry_point_specs():
                self._register(spec)
        self._check_pending()
        self._collect_registrations()
        self.pm.check_pending()

    def _fail(
        self, plugin: str, distribution: str | None, message: Text, hook: str | None = None
    ) -> None:
        error = LoadError(plugin, distribution, message, hook)
        log.error(
            "plugin %r (%s) refused: %s", plugin, distribution or "no distribution", error.error
        )
        if self._strict:
            raise PluginError(f"plugin {plugin!r}: {error.error}")
        self.errors.append(error)

    def _entry_point_specs(self) -> list[PluginSpec]:
        specs: list[PluginSpec] = []
        seen: set[str] = set()
        for entry_point in metadata.entry_points(group=PROJECT_NAME):
            if entry_point.name in seen:
                continue
            seen.add(entry_point.name)
            dist = entry_point.dist
            dist_name = dist.metadata["Name"] if dist is not None else None
            version = dist.version if dist is not None else ""
            try:
                plugin = entry_point.load()
            except Exception as exc:  # noqa: BLE001 - any import failure is the plugin's
                log.debug("import of plugin %r failed", entry_point.name, exc_info=True)
                self._fail(
                    entry_point.name,
                    dist_name,
                    T(
                        "không nạp được `{target}`: {error}",
                        "cannot import `{target}`: {error}",
                        target=entry_point.value,
                        error=f"{type(exc).__name__}: {exc}",
                    ),
                )
                continue
            specs.append(PluginSpec(plugin, entry_point.name, dist_name, version))
        return specs

    def _register(self, spec: PluginSpec) -> None:
        if self.pm.has_plugin(spec.name) or self.pm.is_registered(spec.plugin):
            self._fail(
                spec.name,
                spec.distribution,
                T(
                    "tên hoặc đối tượng tiện ích đã được đăng ký",
                    "plugin name or object already registered",
                ),
            )
            return
        try:
            self.pm.register(spec.plugin, name=spec.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self._fail(
                spec.name,
                spec.distribution,
                T("hook không hợp lệ: {error}", "invalid hook: {error}", error=str(exc)),
            )
            return
        wrappers = [
            c.name
            for c in self.pm.get_hookcallers(spec.plugin) or []
            for i in c.get_hookimpls()
            if i.plugin is spec.plugin and (i.wrapper or i.hookwrapper)
        ]
        if wrappers:
            self.pm.unregister(spec.plugin)
            self._fail(
                spec.name,
                spec.distribution,
                T(
                    "hook `{hook}` không được là wrapper",
                    "hook `{hook}` may not be a wrapper",
                    hook=wrappers[0],
                ),
                wrappers[0],
            )
            return
        self._infos[spec.name] = PluginInfo(
            name=spec.name,
            version=spec.version or str(getattr(spec.plugin, "__version__", "")),
            distribution=spec.distribution,
            hooks=(),
            builtin=spec.builtin,
            default_enabled=spec.builtin or bool(getattr(spec.plugin, "default_enabled", False)),
            description=(
                (getattr(spec.plugin, "__doc__", None) or "").strip().splitlines() or [""]
            )[0],
        )

    def _drop(self, name: str) -> None:
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin)
        info = self._infos.pop(name, None)
        self._registered.forget(name)
        if info is not None and info.builtin:
            raise PluginError(
                f"the built-in plugin was refused: {self.errors[-1].error if self.errors else name}"
            )

    def _check_pending(self) -> None:
        # pluggy's check_pending raises on the first unknown hook without saying whose; we
        # name each plugin, suggest the hook it probably meant, and drop only that plugin.
        unknown: dict[str, list[str]] = {}
        for hook_name, caller in vars(self.pm.hook).items():
            if hook_name.startswith("_") or caller.has_spec():
                continue
            for impl in caller.get_hookimpls():
                if not impl.optionalhook:
                    unknown.setdefault(impl.plugin_name, []).append(hook_name)
        for plugin_name, hook_names in unknown.items():
            guess = difflib.get_close_matches(hook_names[0], hookspecs.ALL_HOOKS, n=1)
            hint = guess[0] if guess else ", ".join(hookspecs.ALL_HOOKS)
            info = self._infos.get(plugin_name)
            self._fail(
                plugin_name,
                info.distribution if info else None,
                T(
                    "hook không tồn tại `{hook}` (ý bạn là `{hint}`?)",
                    "unknown hook `{hook}` (did you mean `{hint}`?)",
                    hook=hook_names[0],
                    hint=hint,
                ),
                hook_names[0],
            )
            self._drop(plugin_name)

    def _collect_registrations(self) -> None:
        for hook_name, table, check in CHECKS:
            for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
                name = impl.plugin_name
                info = self._infos.get(name)
                if info is None:
                    continue
                try:
                    accepted = check(name, impl.function(), self._registered)
                except Rejected as exc:
                    self._fail(
                        name,
                        info.distribution,
                        T(
                            "{hook}: {problem}",
                            "{hook}: {problem}",
                            hook=hook_name,
                            problem=exc.text,
                        ),
                        hook_name,
                    )
                    self._drop(name)
                    continue
                except Exception as exc:  # noqa: BLE001 - a plugin's bug, reported with its name
                    log.debug("%s of plugin %r raised", hook_name, name, exc_info=True)
                    self._fail(
                        name,
                        info.distribution,
                        T(
                            "{hook} gây lỗi: {error}",
                            "{hook} raised: {error}",
                            hook=hook_name,
                            error=f"{type(exc).__name__}: {exc}",
                        ),
                        hook_name,
                    )
                    self._drop(name)
                    continue
                getattr(self._registered, table)[name] = accepted
        for name, info in list(self._infos.items()):
            plugin = self.pm.get_plugin(name)
            hooks = tuple(
                sorted(c.name for c in self.pm.get_hookcallers(plugin) or [] if c.has_spec())
            )
            self._infos[name] = PluginInfo(**{**vars(info), "hooks": hooks})

    # --- what is installed ------------------------------------------------------------

    def plugins(self) -> list[PluginInfo]:
        """Return the loaded plugins, the built-in one first, then by name."""
        return sorted(self._infos.values(), key=lambda i: (not i.builtin, i.name))

    def plugin(self, name: str) -> PluginInfo:
        """Return the loaded plugin ``name``; raises NotFound naming the installed ones."""
        info = self._infos.get(name)
        if info is None:
            raise NotFound(
                T(
                    "Không có tiện ích `{name}` (có: {known})",
                    "No plugin `{name}` (installed: {known})",
                    name=name,
                    known=", ".join(sorted(self._infos)) or "—",
                )
            )
        return info

    def migrations(self) -> list[tuple[str, PluginMigration]]:
        """Return ``(plugin name, step)`` for every installed plugin's schema step, in
        version order per plugin (schemas do not depend on which wards enabled a plugin)."""
        return [
            (name, step)
            for name, steps in sorted(self._registered.migrations.items())
            for step in steps
        ]

    def ward_links(self) -> list[tuple[str, WardLink]]:
        """Return ``(plugin name, tile)`` for every home-page tile the plugins add."""
        return [(name, link) for name, links in self._registered.ward_links.items() for link in links]

    def commands(self) -> list[tuple[str, click.Command]]:
        """Return ``(plugin name, command)`` for every command the plugins add to ``motcua``."""
        return [(name, c) for name, commands in self._registered.commands.items() for c in commands]

    @property
    def blueprints(self) -> list[tuple[str, Blueprint]]:
        """Return ``(plugin name, blueprint)`` for every registered blueprint."""
        return [(name, bp) for name, bps in self._registered.blueprints.items() for bp in bps]

    # --- per ward ---------------------------------------------------------------------

    def enabled_names(self, tenant: Any) -> frozenset[str]:
        """Return the names of the plugins enabled in ``tenant`` (a Tenant or TenantInfo).

        The ward's own setting wins, else the province default, else the plugin's
        default (built-ins always on; others off unless they set ``default_enabled``).
        """
        ward, province = self._resolver(tenant_info(tenant))
        enabled = set()
        for name, info in self._infos.items():
            if info.builtin or ward.get(name, province.get(name, info.default_enabled)):
                enabled.add(name)
        return frozenset(enabled)

    def is_enabled(self, name: str, tenant: Any) -> bool:
        """Return True when plugin ``name`` is enabled in ``tenant``."""
        return name in self.enabled_names(tenant)

    def _pick(self, table: dict[str, list[Any]], tenant: Any) -> list[Any]:
        enabled = self.enabled_names(tenant)
        return [item for name, items in table.items() if name in enabled for item in items]

    def procedures(self, tenant: Any) -> list[ProcedureSource]:
        """Return the procedure notebooks of the plugins enabled in ``tenant``."""
        return self._pick(self._registered.procedures, tenant)

    def print_templates(self, tenant: Any) -> list[PrintTemplate]:
        """Return the print templates of the plugins enabled in ``tenant``."""
        return self._pick(self._registered.print_templates, tenant)

    def device_drivers(self, tenant: Any) -> list[DeviceDriver]:
        """Return the device drivers of the plugins enabled in ``tenant``."""
        return self._pick(self._registered.device_drivers, tenant)

    def connectors(self, tenant: Any) -> list[Connector]:
        """Return the connectors of the plugins enabled in ``tenant``."""
        return self._pick(self._registered.connectors, tenant)

    def all_connectors(self) -> list[tuple[str, Connector]]:
        """Return ``(plugin name, connector)`` for every registered connector, enabled or not."""
        return [(name, c) for name, items in self._registered.connectors.items() for c in items]

    def _libraries_for(self, tenant: Any) -> tuple[FunctionLibrary, FieldTypeRegistry]:
        enabled = self.enabled_names(tenant)
        cached = self._libraries.get(enabled)
        if cached is None:
            infos: list[FunctionInfo] = self._pick_names(self._registered.functions, enabled)
            types: list[FieldType] = self._pick_names(self._registered.field_types, enabled)
            cached = (FunctionLibrary(infos), FieldTypeRegistry(tuple(types)))
            self._libraries[enabled] = cached
        return cached

    @staticmethod
    def _pick_names(table: dict[str, list[Any]], enabled: frozenset[str]) -> list[Any]:
        return [item for name, items in table.items() if name in enabled for item in items]

    def functions(self, tenant: Any) -> FunctionLibrary:
        """Return the formula functions of ``tenant``: the built-ins plus its enabled plugins'."""
        return self._libraries_for(tenant)[0]

    def field_types(self, tenant: Any) -> FieldTypeRegistry:
        """Return the field types of ``tenant``: the built-ins plus its enabled plugins'."""
        return self._libraries_for(tenant)[1]

    # --- events -----------------------------------------------------------------------

    def listens(self, hook_name: str, tenant: Any) -> bool:
        """Return True when a plugin enabled in ``tenant`` implements event hook ``hook_name``."""
        enabled = self.enabled_names(tenant)
        caller = getattr(self.pm.hook, hook_name, None)
        return caller is not None and any(
            impl.plugin_name in enabled for impl in caller.get_hookimpls()
        )

    def notify(self, hook_name: str, tenant: Any, **kwargs: Any) -> None:
        """Call event hook ``hook_name`` for the plugins enabled in ``tenant``; never raises
        for a plugin's failure.

        ``tenant`` is a Tenant row or a :class:`TenantInfo`; ``kwargs`` are the hook's other
        arguments (``record=RecordInfo(...)``…). Each implementation runs on its own, inside
        a savepoint when the caller holds a transaction, so a plugin that raises is logged,
        recorded for the admins and skipped, and the caller's transaction carries on.

        :raises TypeError: for a programming error of the caller: ``hook_name`` is not an
            event hook, or an argument is not one of the plain types of
            :mod:`motcua.plugin_api`.
        """
        info, arguments, enabled = self._hook_call(hook_name, hookspecs.EVENT_HOOKS, "an event", tenant, kwargs)
        disabled = [self.pm.get_plugin(name) for name in self._infos if name not in enabled]
        caller = self.pm.subset_hook_caller(
            hook_name, remove_plugins=[p for p in disabled if p is not None]
        )
        # pluggy calls the last registered first; keep that order.
        for impl in reversed(caller.get_hookimpls()):
            try:
                with self._call_guard():
                    impl.function(*[arguments[name] for name in impl.argnames])
            except Exception as exc:  # noqa: BLE001 - isolation is the point
                self.report_failure(info, impl.plugin_name, hook_name, exc)

    def _hook_call(
        self, hook_name: str, family: tuple[str, ...], kind: str, tenant: Any, kwargs: dict[str, Any]
    ) -> tuple[Any, dict[str, Any], frozenset[str]]:
        """Check a call of an event or page hook; return the ward's TenantInfo, the hook's
        arguments by name and the names of the plugins enabled in the ward.

        :raises TypeError: ``hook_name`` is not in ``family``, or an argument is not one of
            the plain types of :mod:`motcua.plugin_api`.
        """
        if hook_name not in family:
            raise TypeError(f"{hook_name!r} is not {kind} hook (one of {', '.join(family)})")
        info = tenant_info(tenant)
        for key, value in kwargs.items():
            if not isinstance(value, EVENT_TYPES):
                raise TypeError(
                    f"{hook_name}({key}=...) must be a motcua.plugin_api dataclass, not {type(value).__name__}"
                )
        return info, {"tenant": info, **kwargs}, self.enabled_names(info)

    def collect(self, hook_name: str, tenant: Any, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call page hook ``hook_name`` for the plugins enabled in ``tenant``; return
        ``(plugin name, item)`` for every item they returned, in plugin order.

        Each implementation runs isolated as in :meth:`notify`: one that raises, or returns
        something other than a list or tuple, is reported and adds nothing. The caller
        checks the items' type.

        :raises TypeError: ``hook_name`` is not a page hook, or an argument is not one of
            the plain types of :mod:`motcua.plugin_api`.
        """
        info, arguments, enabled = self._hook_call(hook_name, hookspecs.PAGE_HOOKS, "a page", tenant, kwargs)
        found: list[tuple[str, Any]] = []
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            if impl.plugin_name not in enabled:
                continue
            try:
                with self._call_guard():
                    result = impl.function(*[arguments[name] for name in impl.argnames])
                if not isinstance(result, list | tuple):
                    raise TypeError(f"{hook_name} must return a list, not {type(result).__name__}")
            except Exception as exc:  # noqa: BLE001 - isolation is the point
                self.report_failure(info, impl.plugin_name, hook_name, exc)
                continue
            found.extend((impl.plugin_name, item) for item in result)
        return found

    def report_failure(self, tenant: Any, plugin: str, what: str, exc: BaseException) -> None:
        """Log plugin ``plugin``'s failure in ``what`` (a hook, a function) for ``tenant`` and
        record it for the ward's admins (the plugins page); never raises."""
        info = tenant_info(tenant)
        log.error(
            "plugin %r failed in %s for ward %s",
            plugin,
            what,
            info.code,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        failure = FailureInfo(
            info,
            plugin,
            what,
            f"{type(exc).__name__}: {exc}",
            "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=8)),
            now(),
        )
        self.recent_failures.append(failure)
        if self._failure_sink is not None:
            try:
                self._failure_sink(failure)
            except Exception:  # noqa: BLE001 - a failing log must not fail the caller
                log.exception("could not record the failure of plugin %r", plugin)


def builtin_spec() -> PluginSpec:
    """Return the spec of the core's own plugin."""
    import motcua
    from motcua.plugins import builtin

    return PluginSpec(builtin, BUILTIN_NAME, "motcua", motcua.__version__, builtin=True)


def as_specs(plugins: Iterable[Any]) -> list[PluginSpec]:
    """Return specs for plugin objects given explicitly (``create_app({"plugins": [...]})``)."""
    specs = []
    for plugin in plugins:
        if isinstance(plugin, PluginSpec):
            specs.append(plugin)
        else:
            specs.append(
                PluginSpec(
                    plugin, plugin_name_of(plugin), None, str(getattr(plugin, "__version__", ""))
                )
            )
    return specs


def build_host(
    plugins: Iterable[Any] = (),
    *,
    entry_points: bool = True,
    strict: bool = False,
    resolver: Resolver = all_enabled,
    failure_sink: FailureSink | None = None,
    call_guard: Callable[[], AbstractContextManager[Any]] = nullcontext,
) -> PluginHost:
    """Return a loaded :class:`PluginHost`: the built-in plugin, ``plugins``, then the installed ones.

    With ``strict`` the first refused plugin raises :class:`PluginError` instead of being
    recorded in ``host.errors`` (for plugin authors' tests).
    """
    host = PluginHost(resolver, failure_sink, call_guard, strict)
    host.load([builtin_spec(), *as_specs(plugins)], entry_points=entry_points)
    return host


@dataclass(frozen=True)
class PluginOptions:
    """The plugin settings of ``create_app``: explicit plugins, entry points on/off, strictness."""

    plugins: tuple[Any, ...] = ()
    entry_points: bool = True
    strict: bool = False
