"""Meta-tests pinning the plugin surface: every hook is documented, tested and has a working example."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

from motcua import hookspecs
from motcua.plugins.docs import DOCS_DIR, hook_docstring, hook_signature, render_pages
from motcua.plugins.host import PluginSpec
from motcua.testing import SAMPLE_TENANT, plugin_manager_for
from plugin_support import EVENT, JOB, RECORD

TESTS = Path(__file__).parent


def test_docs_pages_are_up_to_date():
    stale = [
        path.name
        for path, content in render_pages().items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    assert stale == [], f"run `python -m motcua.plugins.docs` to regenerate {stale}"


@pytest.mark.parametrize("name", hookspecs.ALL_HOOKS)
def test_every_hook_is_documented(name):
    page = (DOCS_DIR / f"{name}.md").read_text(encoding="utf-8")
    assert hook_signature(name) in page
    description, example = hook_docstring(name)
    assert "First result wins: no" in description and "Returns:" in description
    assert "@hookimpl" in example and f"def {name}(" in example
    assert f"]({name}.md)" in (DOCS_DIR / "index.md").read_text(encoding="utf-8")


def test_every_hook_has_a_test():
    defined = set()
    for path in TESTS.glob("test_plugins*.py"):
        defined |= set(
            re.findall(r"^def (test_hook_\w+)\(", path.read_text(encoding="utf-8"), re.M)
        )
    missing = {f"test_hook_{name}" for name in hookspecs.ALL_HOOKS} - defined
    assert missing == set()


def test_tutorial_and_changelog_exist():
    tutorial = (DOCS_DIR / "tutorial.md").read_text(encoding="utf-8")
    assert "motcua plugin new" in tutorial and "motcua plugins enable" in tutorial
    assert "## 0.1.0" in (DOCS_DIR / "CHANGELOG.md").read_text(encoding="utf-8")


EVENT_ARGUMENTS = {
    "tenant_created": {},
    "record_received": {"record": RECORD},
    "record_status_changed": {"record": RECORD, "event": EVENT},
    "record_printed": {"record": RECORD, "job": JOB},
    "record_lookup_links": {"record": RECORD},
}


@pytest.mark.parametrize("name", hookspecs.ALL_HOOKS)
def test_hook_example_runs(name):
    module = types.ModuleType(f"motcua_doc_example_{name}")
    sys.modules[module.__name__] = module
    try:
        exec(compile(hook_docstring(name)[1], f"<example {name}>", "exec"), module.__dict__)  # noqa: S102
        host = plugin_manager_for(PluginSpec(module, f"vi-du-{name}"))  # strict: raises if refused
        assert host.plugin(f"vi-du-{name}").hooks == (name,)
        if name in hookspecs.EVENT_HOOKS:
            host.notify(name, SAMPLE_TENANT, **EVENT_ARGUMENTS[name])
            assert list(host.recent_failures) == []
        elif name in hookspecs.PAGE_HOOKS:
            assert len(host.collect(name, SAMPLE_TENANT, **EVENT_ARGUMENTS[name])) == 1
            assert list(host.recent_failures) == []
        else:
            table = {
                "register_procedures": host.procedures,
                "register_print_templates": host.print_templates,
                "register_device_drivers": host.device_drivers,
                "register_connectors": host.connectors,
            }
            if name in table:
                assert [
                    x for x in table[name](SAMPLE_TENANT) if getattr(x, "plugin", "") != "motcua"
                ]
            elif name == "register_field_types":
                assert len(host.field_types(SAMPLE_TENANT).types) > len(
                    plugin_manager_for().field_types(SAMPLE_TENANT).types
                )
            elif name == "register_formula_functions":
                assert len(host.functions(SAMPLE_TENANT).names()) > len(
                    plugin_manager_for().functions(SAMPLE_TENANT).names()
                )
            elif name == "register_blueprints":
                assert [n for n, _ in host.blueprints] == [f"vi-du-{name}"]
            elif name == "register_migrations":
                assert [(n, step.version) for n, step in host.migrations()] == [(f"vi-du-{name}", 1)]
            elif name == "register_ward_links":
                assert [n for n, _ in host.ward_links()] == [f"vi-du-{name}"]
            elif name == "register_commands":
                assert [n for n, _ in host.commands()] == [f"vi-du-{name}"]
    finally:
        sys.modules.pop(module.__name__, None)
