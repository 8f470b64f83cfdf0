"""The ``motcua`` command line. Every command honours MOTCUA_DATA_DIR and DATABASE_URL."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import click
from flask import Flask

from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.plugins.commands import MotcuaGroup


@contextmanager
def app_context(**overrides: Any) -> Iterator[Flask]:
    """Yield a motcua app with its context pushed and the database connected."""
    from motcua.app import create_app
    from motcua.db import database

    app = create_app(overrides or None)
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            yield app
        finally:
            if not database.is_closed():
                database.close()


def say(text: Text) -> None:
    """Print a bilingual line: Vietnamese, then English in brackets."""
    click.echo(f"{text.render('vi')}  [{text.render('en')}]")


def fail(text: Text, code: int = 1) -> None:
    """Print a bilingual error on stderr and exit with ``code``."""
    click.echo(f"Lỗi: {text.render('vi')}\nError: {text.render('en')}", err=True)
    sys.exit(code)


def ward_by_code_or_slug(code: str) -> Any:
    """Return the ward (a Tenant) whose code or slug is ``code``, or exit 1 saying none is."""
    from motcua.tenancy.models import Tenant

    tenant = Tenant.get_or_none((Tenant.code == code) | (Tenant.slug == code))
    if tenant is None:
        fail(T("Không có phường/xã `{code}`", "No ward `{code}`", code=code))
    return tenant


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`UserError` raised by ``command`` into a clear message and exit 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UserError as exc:
            fail(exc.text)

    return wrapper


@click.group(cls=MotcuaGroup)
@click.version_option(package_name="motcua")
def main() -> None:
    """motcua: một cửa cho phường, xã sau sáp nhập (one-stop shops of merged wards)."""


def _register() -> None:
    from motcua.cli import (
        audit,
        connectors,
        db,
        devices,
        forms,
        plugins,
        printing,
        records,
        reports,
        serve,
        tenants,
        units,
        users,
    )

    for module in (db, tenants, users, serve, forms, plugins, printing, records, units, connectors, devices, reports,
                   audit):
        module.register(main)


_register()
