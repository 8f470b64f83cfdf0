"""Checks of what ``register_*`` hooks return (pure: no Flask app, no database).

Each checker takes one plugin's result and what earlier plugins registered, and returns
the accepted items or raises :class:`Rejected` saying what is wrong, in words the plugin's
author can act on.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import click
from flask import Blueprint

from motcua.errors import UserError
from motcua.expressions import ExpressionError, FunctionInfo, FunctionLibrary
from motcua.i18n import T, Text
from motcua.notebooks import FieldTypeRegistry, Notebook, check_notebook, read_ipynb
from motcua.plugin_api import (
    Connector,
    DeviceDriver,
    FieldType,
    FormulaFunction,
    PluginMigration,
    PrintTemplate,
    WardLink,
)
from motcua.plugins.guard import FORMULA_ERRORS, guarded

KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
PAPERS = ("A4", "A5", "A4-landscape", "thermal")


class Rejected(Exception):
    """A plugin's registration is invalid; ``text`` says what and how to fix it."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.render("en"))
        self.text = text


@dataclass(frozen=True)
class ProcedureSource:
    """A procedure notebook and the plugin it comes from (``path`` when read from a file)."""

    plugin: str
    notebook: Notebook
    path: Path | None = None


@dataclass
class Registered:
    """Everything accepted so far, across plugins, keyed by plugin name."""

    procedures: dict[str, list[ProcedureSource]] = field(default_factory=dict)
    print_templates: dict[str, list[PrintTemplate]] = field(default_factory=dict)
    field_types: dict[str, list[FieldType]] = field(default_factory=dict)
    functions: dict[str, list[FunctionInfo]] = field(default_factory=dict)
    device_drivers: dict[str, list[DeviceDriver]] = field(default_factory=dict)
    connectors: dict[str, list[Connector]] = field(default_factory=dict)
    blueprints: dict[str, list[Blueprint]] = field(default_factory=dict)
    migrations: dict[str, list[PluginMigration]] = field(default_factory=dict)
    commands: dict[str, list[click.Command]] = field(default_factory=dict)
    ward_links: dict[str, list[WardLink]] = field(default_factory=dict)

    def forget(self, plugin: str) -> None:
        """Drop everything ``plugin`` registered."""
        for table in vars(self).values():
            table.pop(plugin, None)

    def all_field_types(self) -> FieldTypeRegistry:
        return FieldTypeRegistry(tuple(t for types in self.field_types.values() for t in types))

    def all_functions(self) -> FunctionLibrary:
        return FunctionLibrary(f for infos in self.functions.values() for f in infos)


def _items(result: Any, what: Text) -> list[Any]:
    if result is None:
        return []
    if not isinstance(result, list | tuple):
        raise Rejected(
            T(
                "phải trả về một danh sách {what}, không phải {got}",
                "must return a list of {what}, not {got}",
                what=what,
                got=type(result).__name__,
            )
        )
    return list(result)


def _wrong_item(index: int, item: Any, what: Text) -> Rejected:
    return Rejected(
        T(
            "phần tử {index} không phải {what} mà là {got}",
            "item {index} is not a {what} but a {got}",
            index=index,
            what=what,
            got=type(item).__name__,
        )
    )


def _duplicate(kind: Text, name: str, owner: str) -> Rejected:
    return Rejected(
        T(
            "{kind} `{name}` đã được tiện ích `{owner}` đăng ký",
            "{kind} `{name}` is already registered by plugin `{owner}`",
            kind=kind,
            name=name,
            owner=owner,
        )
    )


def _owners(table: dict[str, list[Any]], key: Callable[[Any], str]) -> dict[str, str]:
    return {key(item): plugin for plugin, items in table.items() for item in items}


def _unique(
    items: Iterable[Any], key: Callable[[Any], str], taken: dict[str, str], kind: Text, plugin: str
) -> None:
    seen = dict(taken)
    for item in items:
        name = key(item)
        if name in seen:
            raise _duplicate(kind, name, seen[name])
        seen[name] = plugin


def check_field_types(plugin: str, result: Any, registered: Registered) -> list[FieldType]:
    """Return the accepted field types; names are unique across plugins."""
    what = T("kiểu trường (FieldType)", "field type (FieldType)")
    items = _items(result, what)
    for index, item in enumerate(items):
        if not isinstance(item, FieldType):
            raise _wrong_item(index, item, what)
        if not isinstance(item.name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", item.name):
            raise Rejected(
                T(
                    "tên kiểu trường `{name}` không hợp lệ (a–z, 0–9, `_`)",
                    "invalid field type name `{name}` (a–z, 0–9, `_`)",
                    name=item.name,
                )
            )
        if not callable(item.parser) or not callable(item.validator):
            raise Rejected(
                T(
                    "kiểu trường `{name}` cần parser và validator gọi được",
                    "field type `{name}` needs a callable parser and validator",
                    name=item.name,
                )
            )
    _unique(
        items,
        lambda t: t.name,
        _owners(registered.field_types, lambda t: t.name),
        T("Kiểu trường", "Field type"),
        plugin,
    )
    return [
        dataclasses.replace(
            item,
            parser=guarded(plugin, "field_type", item.name, item.parser),
            validator=guarded(plugin, "field_type", item.name, item.validator),
        )
        for item in items
    ]


def check_functions(plugin: str, result: Any, registered: Registered) -> list[FunctionInfo]:
    """Return the accepted functions as :class:`FunctionInfo`; checked by FunctionLibrary.extended."""
    what = T("hàm công thức (FormulaFunction)", "formula function (FormulaFunction)")
    library = registered.all_functions()
    accepted: list[FunctionInfo] = []
    owners = _owners(registered.functions, lambda f: f.name)
    for index, item in enumerate(_items(result, what)):
        if isinstance(item, FunctionInfo):
            if item.name in library:
                raise _duplicate(T("Hàm", "Function"), item.name, owners.get(item.name, "?"))
            info = item
        elif isinstance(item, FormulaFunction):
            if item.name in library and item.name in owners:
                raise _duplicate(T("Hàm", "Function"), item.name, owners[item.name])
            try:
                extended = library.extended(
                    item.name,
                    guarded(plugin, "function", item.name, item.func, FORMULA_ERRORS),
                    params=list(item.params),
                    returns=item.returns,
                    variadic=item.variadic,
                    doc=item.doc,
                )
            except (ExpressionError, ValueError) as error:
                text = error.text if isinstance(error, UserError) else T("{e}", "{e}", e=str(error))
                raise Rejected(
                    T(
                        "hàm `{name}`: {problem}",
                        "function `{name}`: {problem}",
                        name=item.name,
                        problem=text,
                    )
                ) from None
            info = extended.describe(item.name)
        else:
            raise _wrong_item(index, item, what)
        library = FunctionLibrary([*(library.describe(n) for n in library.names()), info])
        accepted.append(info)
    return accepted


def check_print_templates(plugin: str, result: Any, registered: Registered) -> list[PrintTemplate]:
    """Return the accepted templates: valid key and paper, source compiles in the sandbox."""
    from motcua.printing.templating import TemplateFailed, compile_source, sandboxed_environment

    what = T("mẫu in (PrintTemplate)", "print template (PrintTemplate)")
    items = _items(result, what)
    env = sandboxed_environment()
    for index, item in enumerate(items):
        if not isinstance(item, PrintTemplate):
            raise _wrong_item(index, item, what)
        if not isinstance(item.form, str) or not KEY.fullmatch(item.form):
            raise Rejected(
                T(
                    "mã mẫu in `{form}` không hợp lệ (A–Z, a–z, 0–9, `_`, `-`; tối đa 40 ký tự)",
                    "invalid print form key `{form}` (A–Z, a–z, 0–9, `_`, `-`; at most 40)",
                    form=item.form,
                )
            )
        if not isinstance(item.name, Text):
            raise Rejected(
                T(
                    "mẫu in `{form}`: name phải là T(vi, en)",
                    "print form `{form}`: name must be T(vi, en)",
                    form=item.form,
                )
            )
        if item.paper not in PAPERS:
            raise Rejected(
                T(
                    "mẫu in `{form}`: khổ giấy `{paper}` không hợp lệ (có: {known})",
                    "print form `{form}`: unknown paper `{paper}` (known: {known})",
                    form=item.form,
                    paper=item.paper,
                    known=", ".join(PAPERS),
                )
            )
        try:
            compile_source(env, item.source if isinstance(item.source, str) else "")
        except TemplateFailed as error:
            raise Rejected(
                T(
                    "mẫu in `{form}`: {problem}",
                    "print form `{form}`: {problem}",
                    form=item.form,
                    problem=error.text,
                )
            ) from None
    _unique(
        items,
        lambda t: t.form,
        _owners(registered.print_templates, lambda t: t.form),
        T("Mẫu in", "Print form"),
        plugin,
    )
    return items


def _named(
    plugin: str, result: Any, registered: dict[str, list[Any]], base: type, what: Text, kind: Text
) -> list[Any]:
    items = _items(result, what)
    for index, item in enumerate(items):
        if not isinstance(item, base):
            raise _wrong_item(index, item, what)
        if not isinstance(item.name, str) or not re.fullmatch(
            r"[a-z0-9][a-z0-9_-]{0,39}", item.name
        ):
            raise Rejected(
                T(
                    "{kind} cần thuộc tính name hợp lệ (a–z, 0–9, `-`, `_`), có `{name}`",
                    "{kind} needs a valid name (a–z, 0–9, `-`, `_`), got `{name}`",
                    kind=kind,
                    name=item.name,
                )
            )
    _unique(items, lambda i: i.name, _owners(registered, lambda i: i.name), kind, plugin)
    return items


def check_device_drivers(plugin: str, result: Any, registered: Registered) -> list[DeviceDriver]:
    """Return the accepted drivers: instances with a unique name and 16-bit USB ids."""
    items = _named(
        plugin,
        result,
        registered.device_drivers,
        DeviceDriver,
        T("trình điều khiển (DeviceDriver)", "device driver (DeviceDriver)"),
        T("Trình điều khiển", "Device driver"),
    )
    for driver in items:
        for pair in driver.usb_ids:
            if not (
                isinstance(pair, tuple)
                and len(pair) == 2
                and all(isinstance(n, int) and 0 <= n <= 0xFFFF for n in pair)
            ):
                raise Rejected(
                    T(
                        "trình điều khiển `{name}`: usb_ids phải là các cặp (vendor_id, product_id) 16 bit",
                        "device driver `{name}`: usb_ids must be 16-bit (vendor_id, product_id) pairs",
                        name=driver.name,
                    )
                )
    return items


def check_connectors(plugin: str, result: Any, registered: Registered) -> list[Connector]:
    """Return the accepted connectors: instances with a unique name."""
    return _named(
        plugin,
        result,
        registered.connectors,
        Connector,
        T("kết nối (Connector)", "connector (Connector)"),
        T("Kết nối", "Connector"),
    )


def check_blueprints(plugin: str, result: Any, registered: Registered) -> list[Blueprint]:
    """Return the accepted blueprints: unique names within the plugin."""
    what = T("Blueprint của Flask", "Flask Blueprint")
    items = _items(result, what)
    for index, item in enumerate(items):
        if not isinstance(item, Blueprint):
            raise _wrong_item(index, item, what)
    _unique(items, lambda b: b.name, {}, T("Blueprint", "Blueprint"), plugin)
    return items


def check_migrations(plugin: str, result: Any, registered: Registered) -> list[PluginMigration]:
    """Return the accepted schema steps, sorted: versions 1, 2, … without gaps or repeats,
    each with some SQL (a plugin's steps are its own; names do not clash across plugins)."""
    what = T("bước lược đồ (PluginMigration)", "schema step (PluginMigration)")
    items = _items(result, what)
    for index, item in enumerate(items):
        if not isinstance(item, PluginMigration):
            raise _wrong_item(index, item, what)
        if not item.sql.strip() or not re.fullmatch(r"[a-z0-9_]{1,40}", item.name):
            raise Rejected(
                T(
                    "bước {version}: cần tên (a–z, 0–9, `_`) và câu lệnh SQL",
                    "step {version}: needs a name (a–z, 0–9, `_`) and SQL statements",
                    version=item.version,
                )
            )
    items.sort(key=lambda step: step.version)
    versions = [step.version for step in items]
    if versions != list(range(1, len(items) + 1)):
        raise Rejected(
            T(
                "các bước phải đánh số 1, 2, 3… không trùng, không thiếu (có {versions})",
                "steps must be numbered 1, 2, 3… without repeats or gaps (got {versions})",
                versions=", ".join(map(str, versions)),
            )
        )
    return items


def check_commands(plugin: str, result: Any, registered: Registered) -> list[click.Command]:
    """Return the accepted commands: ``click`` commands or groups with unique names."""
    what = T("lệnh click (click.Command)", "click command (click.Command)")
    items = _items(result, what)
    for index, item in enumerate(items):
        if not isinstance(item, click.Command):
            raise _wrong_item(index, item, what)
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,39}", item.name or ""):
            raise Rejected(
                T(
                    "lệnh cần tên hợp lệ (a–z, 0–9, `-`), có `{name}`",
                    "a command needs a valid name (a–z, 0–9, `-`), got `{name}`",
                    name=item.name,
                )
            )
    kind = T("Lệnh", "Command")
    _unique(items, lambda c: c.name, _owners(registered.commands, lambda c: c.name), kind, plugin)
    return items


def check_ward_links(plugin: str, result: Any, registered: Registered) -> list[WardLink]:
    """Return the accepted home-page tiles: ``view`` is ``<blueprint>.<function>``."""
    what = T("ô trang chủ (WardLink)", "home tile (WardLink)")
    items = _items(result, what)
    for index, item in enumerate(items):
        if not isinstance(item, WardLink):
            raise _wrong_item(index, item, what)
        if not re.fullmatch(r"\w+\.\w+", item.view):
            raise Rejected(
                T(
                    "ô `{view}`: view phải có dạng blueprint.hàm",
                    "tile `{view}`: view must be blueprint.function",
                    view=item.view,
                )
            )
    return items


@lru_cache(maxsize=256)
def _read_file(path: Path, _mtime_ns: int, _size: int) -> Notebook:
    # Every app (and every test) loads the same installed files: parse each version once.
    return read_ipynb(path)


def _signature(functions: FunctionLibrary, field_types: FieldTypeRegistry) -> tuple[Any, ...]:
    infos = (functions.describe(name) for name in functions.names())
    return (
        tuple((f.name, f.overloads, f.returns, f.variadic) for f in infos),
        tuple((t.name, t.value_type) for t in field_types),
    )


_checked: dict[tuple[Any, ...], list[Any]] = {}


def _issues(
    source: ProcedureSource, functions: FunctionLibrary, field_types: FieldTypeRegistry
) -> list[Any]:
    if source.path is None:
        return check_notebook(source.notebook, functions, field_types)
    stat = source.path.stat()
    key = (source.path, stat.st_mtime_ns, stat.st_size, _signature(functions, field_types))
    if key not in _checked:
        if len(_checked) >= 256:
            _checked.clear()
        _checked[key] = check_notebook(source.notebook, functions, field_types)
    return _checked[key]


def check_procedures(plugin: str, result: Any, registered: Registered) -> list[ProcedureSource]:
    """Return the accepted notebooks: readable, passing the checks, keys unique across plugins."""
    what = T("đường dẫn .ipynb hoặc Notebook", ".ipynb path or Notebook")
    sources = []
    for index, item in enumerate(_items(result, what)):
        if isinstance(item, Path):
            try:
                stat = item.stat()
                notebook = _read_file(item, stat.st_mtime_ns, stat.st_size)
            except OSError as error:
                raise Rejected(
                    T(
                        "không đọc được `{path}`: {e}",
                        "cannot read `{path}`: {e}",
                        path=str(item),
                        e=error.strerror or str(error),
                    )
                ) from None
            except UserError as error:
                raise Rejected(
                    T(
                        "`{path}`: {problem}",
                        "`{path}`: {problem}",
                        path=item.name,
                        problem=error.text,
                    )
                ) from None
            sources.append(ProcedureSource(plugin, notebook, item))
        elif isinstance(item, Notebook):
            sources.append(ProcedureSource(plugin, item))
        else:
            raise _wrong_item(index, item, what)
    functions, field_types = registered.all_functions(), registered.all_field_types()
    for source in sources:
        issues = _issues(source, functions, field_types)
        if issues:
            first = issues[0]
            raise Rejected(
                T(
                    "thủ tục `{key}`, ô `{cell}`: {problem} ({count} lỗi)",
                    "procedure `{key}`, cell `{cell}`: {problem} ({count} problems)",
                    key=source.notebook.key,
                    cell=first.cell_id,
                    problem=first.text,
                    count=len(issues),
                )
            )
    _unique(
        sources,
        lambda s: s.notebook.key,
        _owners(registered.procedures, lambda s: s.notebook.key),
        T("Thủ tục", "Procedure"),
        plugin,
    )
    return sources


# Called in this order: procedures last, so notebooks are checked with every function and type.
CHECKS: tuple[tuple[str, str, Callable[[str, Any, Registered], list[Any]]], ...] = (
    ("register_field_types", "field_types", check_field_types),
    ("register_formula_functions", "functions", check_functions),
    ("register_print_templates", "print_templates", check_print_templates),
    ("register_device_drivers", "device_drivers", check_device_drivers),
    ("register_connectors", "connectors", check_connectors),
    ("register_blueprints", "blueprints", check_blueprints),
    ("register_migrations", "migrations", check_migrations),
    ("register_commands", "commands", check_commands),
    ("register_ward_links", "ward_links", check_ward_links),
    ("register_procedures", "procedures", check_procedures),
)
