"""The plugin host: every hook, per-ward enablement, broken plugins, isolation between apps."""

from __future__ import annotations

import logging
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from conftest import PASSWORD, csrf_token, login
from motcua import hookspecs
from motcua.audit import AuditLog, audit
from motcua.db import database, write_transaction
from motcua.expressions import EvalContext, compile_expression
from motcua.plugin_api import (
    FormulaFunction,
    OutgoingMessage,
    PluginMigration,
    PrintTemplate,
    T,
    ValueType,
    WardLink,
    hookimpl,
)
from motcua.plugins import PluginError, plugin_host, tenant_info
from motcua.plugins.models import PluginFailure, PluginSetting
from motcua.plugins.store import disable_plugin, enable_plugin, enable_plugin_in_province
from motcua.testing import SAMPLE_TENANT, plugin_manager_for
from plugin_support import EVENT, JOB, RECORD, build_app, load_fixture_plugin


@pytest.fixture
def fixture_app(app, migrated_db, tmp_path):
    """An app with the fixture plugin (installed, off by default) and its module."""
    fixture = load_fixture_plugin()
    return build_app(migrated_db, tmp_path / "fx", fixture), fixture


@pytest.fixture
def enabled_in_a(fixture_app, ward_a, ward_b):
    """The fixture plugin enabled in ward A only; returns (app, host, module)."""
    app, fixture = fixture_app
    with app.app_context():
        enable_plugin("fixture", ward_a, "test")
    return app, plugin_host(app), fixture


# --- meta ----------------------------------------------------------------------------------


def test_fixture_plugin_implements_every_hook_and_passes_check_pending():
    host = plugin_manager_for(load_fixture_plugin())
    assert set(host.plugin("fixture").hooks) == set(hookspecs.ALL_HOOKS)
    host.pm.check_pending()
    assert host.errors == []


def test_builtins_register_through_the_hooks_and_pass_check_pending():
    host = plugin_manager_for()
    core = host.plugin("motcua")
    assert core.builtin and set(core.hooks) == {
        "register_field_types",
        "register_formula_functions",
    }
    host.pm.check_pending()
    assert "round" in host.functions(SAMPLE_TENANT) and "citizen_id" in host.field_types(
        SAMPLE_TENANT
    )


def test_hookspecs_are_not_firstresult_and_are_grouped():
    assert set(hookspecs.ALL_HOOKS) == {
        n for n in dir(hookspecs) if n.startswith(("register_", "record_", "tenant_"))
    }
    pm = plugin_manager_for().pm
    for name in hookspecs.ALL_HOOKS:
        spec = getattr(pm.hook, name).spec
        assert spec is not None and not spec.opts["firstresult"] and not spec.opts["historic"], name


# --- registration hooks --------------------------------------------------------------------


def test_hook_register_procedures(enabled_in_a, ward_a, ward_b):
    _, host, _ = enabled_in_a
    keys_a = {(s.plugin, s.notebook.key) for s in host.procedures(ward_a)}
    assert ("fixture", "fixture-thu-tuc") in keys_a
    assert "fixture-thu-tuc" not in {s.notebook.key for s in host.procedures(ward_b)}


def test_hook_register_print_templates(enabled_in_a, ward_a, ward_b):
    _, host, _ = enabled_in_a
    assert [t.form for t in host.print_templates(ward_a)] == ["fixture-form"]
    assert host.print_templates(ward_b) == []


def test_hook_register_field_types(enabled_in_a, ward_a, ward_b):
    _, host, _ = enabled_in_a
    registry = host.field_types(ward_a)
    assert registry.get("fixture_upper").parse(" ab ", None) == "AB"
    assert "text" in registry and "fixture_upper" not in host.field_types(ward_b)


def test_hook_register_formula_functions(enabled_in_a, ward_a, ward_b):
    _, host, _ = enabled_in_a
    library = host.functions(ward_a)
    expression = compile_expression("fixture_fee(2, 3)", functions=library)
    assert (
        expression.evaluate(
            {}, EvalContext(today=date(2026, 3, 2), now=datetime(2026, 3, 2), functions=library)
        )
        == 12000
    )
    assert "fixture_fee" not in host.functions(ward_b) and "round" in host.functions(ward_b)


def test_hook_register_device_drivers(enabled_in_a, ward_a, ward_b):
    _, host, fixture = enabled_in_a
    (driver,) = host.device_drivers(ward_a)
    assert (
        driver.name == "fixture-printer"
        and driver.matches(0x0483, 0x5743)
        and not driver.matches(1, 2)
    )
    driver.open(object())
    driver.print_raster("image")
    assert fixture.calls == [("print_raster", {"image": "image"})]
    assert host.device_drivers(ward_b) == []


def test_hook_register_connectors(enabled_in_a, ward_a, ward_b):
    _, host, _ = enabled_in_a
    (connector,) = host.connectors(ward_a)
    result = connector.send(
        OutgoingMessage(
            "record.ready",
            tenant_info(ward_a),
            "0912345678",
            text=T("Đã có kết quả", "Ready"),
            record=RECORD,
        )
    )
    assert result.delivered and result.reference == "fx-1"
    assert host.connectors(ward_b) == []


def test_hook_register_blueprints(enabled_in_a, ward_a, ward_b, users):
    app, _, _ = enabled_in_a
    client = app.test_client()
    assert client.get(f"/{ward_a.slug}/x/fixture/ping").status_code == 302  # sign-in first
    login(client, "canbo-a")
    response = client.get(f"/{ward_a.slug}/x/fixture/ping")
    assert response.status_code == 200 and response.get_json() == {
        "ward": ward_a.code,
        "plugin": "fixture",
    }
    assert client.get(f"/{ward_b.slug}/x/fixture/ping").status_code == 403  # not a member of B
    other = app.test_client()
    login(other, "canbo-b")
    assert other.get(f"/{ward_b.slug}/x/fixture/ping").status_code == 404  # not enabled in B


def test_hook_register_ward_links(enabled_in_a, ward_a, ward_b, users):
    app, host, _ = enabled_in_a
    assert [(name, link.view) for name, link in host.ward_links()] == [("fixture", "fixture_pages.ping")]
    client = app.test_client()
    login(client, "canbo-a")
    home = client.get(f"/{ward_a.slug}/").get_data(as_text=True)
    assert "Ô thử" in home and f'href="/{ward_a.slug}/x/fixture/ping"' in home
    other = app.test_client()
    login(other, "canbo-b")
    assert "Ô thử" not in other.get(f"/{ward_b.slug}/").get_data(as_text=True)  # not enabled in B
    refused = plugin_manager_for(
        _Returns("o-sai", "register_ward_links", [WardLink("no-dot", T("a", "a"), T("b", "b"))]), strict=False
    )
    assert "view must be blueprint.function" in refused.errors[0].error


def test_hook_register_migrations(app, migrated_db):
    from motcua.db.migrate import applied_plugin_steps, upgrade_plugins

    host = plugin_manager_for(load_fixture_plugin())
    steps = host.migrations()
    assert [(name, step.version) for name, step in steps] == [("fixture", 1), ("fixture", 2)]
    db = database.obj
    try:
        applied = upgrade_plugins(db, steps)
        assert [step.name for _, step in applied] == ["notes", "note_time"]
        assert {c.name for c in db.get_columns("fixture_note")} == {"id", "tenant_id", "text", "written_at"}
        assert {("fixture", 1), ("fixture", 2)} <= applied_plugin_steps(db)
        assert upgrade_plugins(db, steps) == []  # applied once
    finally:
        db.execute_sql("DROP TABLE IF EXISTS fixture_note")
        db.execute_sql("DELETE FROM plugin_migration WHERE plugin = 'fixture'")


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([PluginMigration(2, "b", "SELECT 1")], "numbered 1, 2, 3"),
        ([PluginMigration(1, "a", "SELECT 1"), PluginMigration(1, "b", "SELECT 1")], "numbered 1, 2, 3"),
        ([PluginMigration(1, "Bad Name", "SELECT 1")], "needs a name"),
        ([PluginMigration(1, "a", "  ")], "needs a name"),
    ],
)
def test_invalid_migration_steps_are_refused(steps, expected):
    host = plugin_manager_for(_Returns("sai-luoc-do", "register_migrations", steps), strict=False)
    (error,) = host.errors
    assert error.hook == "register_migrations" and expected in error.error


def test_hook_register_commands(monkeypatch):
    from click.testing import CliRunner

    from motcua import cli
    from motcua.plugins import commands

    fixture = load_fixture_plugin()
    host = plugin_manager_for(fixture)
    found = {c.name: (name, c) for name, c in host.commands()}
    assert list(found) == ["fixture-hello"]
    monkeypatch.setattr(commands, "plugin_commands", lambda: found)
    result = CliRunner().invoke(cli.main, ["fixture-hello", "--name", "Nếnh"])
    assert result.exit_code == 0 and result.output == "hello Nếnh\n"
    assert "fixture-hello" in CliRunner().invoke(cli.main, ["--help"]).output
    shadow = {"db": ("fixture", fixture.hello)}  # a plugin cannot replace a core command
    monkeypatch.setattr(commands, "plugin_commands", lambda: shadow)
    assert "upgrade" in CliRunner().invoke(cli.main, ["db", "--help"]).output
    bad = plugin_manager_for(_Returns("sai-lenh", "register_commands", [fixture.hello]), fixture, strict=False)
    (error,) = bad.errors
    assert "Command `fixture-hello` is already registered by plugin" in error.error


# --- event hooks ---------------------------------------------------------------------------


def _events(fixture, name):  # noqa: ANN001, ANN202
    return [args for hook, args in fixture.calls if hook == name]


def test_hook_tenant_created(enabled_in_a, ward_a, ward_b):
    _, host, fixture = enabled_in_a
    host.notify("tenant_created", ward_a)
    host.notify("tenant_created", ward_b)
    assert [args["tenant"].code for args in _events(fixture, "tenant_created")] == [ward_a.code]


def test_hook_record_received(enabled_in_a, ward_a, ward_b):
    _, host, fixture = enabled_in_a
    host.notify("record_received", ward_a, record=RECORD)
    host.notify("record_received", ward_b, record=RECORD)
    (args,) = _events(fixture, "record_received")
    assert args["tenant"] == tenant_info(ward_a) and args["record"] is RECORD


def test_hook_record_status_changed(enabled_in_a, ward_a, ward_b):
    _, host, fixture = enabled_in_a
    host.notify("record_status_changed", ward_b, record=RECORD, event=EVENT)
    host.notify("record_status_changed", ward_a, record=RECORD, event=EVENT)
    (args,) = _events(fixture, "record_status_changed")
    assert args["tenant"].code == ward_a.code and args["event"].to_status == "ready"


def test_hook_record_printed(enabled_in_a, ward_a, ward_b):
    _, host, fixture = enabled_in_a
    host.notify("record_printed", ward_a, record=RECORD, job=JOB)
    host.notify("record_printed", ward_b, record=RECORD, job=JOB)
    (args,) = _events(fixture, "record_printed")
    assert args["job"].reprint is True and args["tenant"].slug == ward_a.slug


def test_hook_record_lookup_links(enabled_in_a, ward_a, ward_b):
    _, host, fixture = enabled_in_a
    ((plugin, link),) = host.collect("record_lookup_links", ward_a, record=RECORD)
    assert plugin == "fixture" and link.url == f"/{ward_a.slug}/x/fixture/ping"
    assert host.collect("record_lookup_links", ward_b, record=RECORD) == []
    (args,) = _events(fixture, "record_lookup_links")
    assert args["tenant"].code == ward_a.code and args["record"] is RECORD
    with pytest.raises(TypeError):
        host.collect("record_received", ward_a, record=RECORD)


def test_a_raising_page_hook_adds_nothing_and_is_reported():
    class Raises:
        plugin_name = "lien-ket-loi"

        @hookimpl
        def record_lookup_links(self, tenant, record):  # noqa: ANN001, ANN201
            raise ValueError("broken link")

    class NotAList:
        plugin_name = "khong-phai-danh-sach"

        @hookimpl
        def record_lookup_links(self, tenant, record):  # noqa: ANN001, ANN201
            return "a link"

    host = plugin_manager_for(Raises(), NotAList())
    assert host.collect("record_lookup_links", SAMPLE_TENANT, record=RECORD) == []
    assert sorted(f.plugin for f in host.recent_failures) == ["khong-phai-danh-sach", "lien-ket-loi"]


def test_notify_refuses_model_objects_and_unknown_hooks(enabled_in_a, ward_a):
    _, host, fixture = enabled_in_a
    with pytest.raises(TypeError, match="plugin_api dataclass"):
        host.notify("record_received", ward_a, record=ward_a)
    with pytest.raises(TypeError, match="not an event hook"):
        host.notify("register_procedures", ward_a)
    assert fixture.calls == []


# --- per-ward enablement -------------------------------------------------------------------


def test_plugin_enabled_only_for_ward_a_never_runs_for_ward_b(enabled_in_a, ward_a, ward_b):
    _, host, fixture = enabled_in_a
    for hook in hookspecs.EVENT_HOOKS:
        host.notify(
            hook,
            ward_b,
            **{
                "tenant_created": {},
                "record_received": {"record": RECORD},
                "record_status_changed": {"record": RECORD, "event": EVENT},
                "record_printed": {"record": RECORD, "job": JOB},
            }[hook],
        )
    assert fixture.calls == []
    assert "fixture" in host.enabled_names(ward_a) and "fixture" not in host.enabled_names(ward_b)


def test_ward_setting_beats_province_default_beats_plugin_default(fixture_app, ward_a, ward_b):
    app, _ = fixture_app
    host = plugin_host(app)
    with app.app_context():
        assert not host.is_enabled("fixture", ward_a)  # installed plugins are off by default
        enable_plugin_in_province("fixture", ward_a.province_code, "test")
        assert host.is_enabled("fixture", ward_a) and not host.is_enabled("fixture", ward_b)
        disable_plugin("fixture", ward_a, "test")
        assert not host.is_enabled("fixture", ward_a)
        enable_plugin("fixture", ward_a, "test")
        assert host.is_enabled("fixture", ward_a)
    actions = [row.action for row in AuditLog.select().order_by(AuditLog.id)]
    assert actions == ["plugins.province_enable", "plugins.disable", "plugins.enable"]


def test_core_plugin_cannot_be_disabled_and_unknown_plugins_are_named(fixture_app, ward_a):
    from motcua.errors import NotFound, UserError

    app, _ = fixture_app
    with app.app_context():
        with pytest.raises(UserError, match="luôn bật"):
            disable_plugin("motcua", ward_a, "test")
        with pytest.raises(NotFound) as error:
            enable_plugin("fixtur", ward_a, "test")
    assert "fixture" in error.value.text.render("en")
    assert PluginSetting.select().count() == 0


# --- broken plugins ------------------------------------------------------------------------


class FakeEntryPoint:
    def __init__(self, name: str, value: str, target: object = None) -> None:
        self.name, self.value, self._target = name, value, target
        self.dist = SimpleNamespace(metadata={"Name": f"motcua-{name}"}, version="9.9.9")

    def load(self) -> object:
        if self._target is not None:
            return self._target
        module, _, attr = self.value.partition(":")
        loaded = __import__(module, fromlist=["x"])
        return getattr(loaded, attr) if attr else loaded


def test_import_error_is_reported_with_plugin_and_distribution_and_the_app_starts(
    app, migrated_db, tmp_path, monkeypatch, users, caplog
):
    import motcua.plugins.host as host_module

    fixture = load_fixture_plugin()
    fake = [
        FakeEntryPoint("hong", "motcua_no_such_module.plugin"),
        FakeEntryPoint("tot", "x", fixture),
    ]
    monkeypatch.setattr(
        host_module.metadata, "entry_points", lambda group: fake if group == "motcua" else []
    )
    with caplog.at_level(logging.ERROR, logger="motcua.plugins"):
        broken_app = build_app(migrated_db, tmp_path / "b", entry_points=True)
    host = plugin_host(broken_app)
    (error,) = host.errors
    assert (error.plugin, error.distribution) == ("hong", "motcua-hong")
    assert "ModuleNotFoundError" in error.error and "motcua_no_such_module" in error.error
    assert "'hong'" in caplog.text
    assert {p.name for p in host.plugins()} == {"motcua", "tot"}
    assert host.plugin("tot").version == "9.9.9" and host.plugin("tot").distribution == "motcua-tot"
    client = broken_app.test_client()
    login(client, "quantri-he-thong")
    page = client.get("/admin/plugins/").get_data(as_text=True)
    assert "hong" in page and "motcua-hong" in page and "ModuleNotFoundError" in page


def test_misspelled_hook_is_an_error_naming_the_plugin():
    class Typo:
        plugin_name = "go-sai"

        @hookimpl
        def record_recieved(self, tenant, record):  # noqa: ANN001, ANN201
            raise AssertionError("never called")

    host = plugin_manager_for(Typo(), strict=False)
    (error,) = host.errors
    assert error.plugin == "go-sai" and error.hook == "record_recieved"
    assert "did you mean `record_received`" in error.error
    assert "go-sai" not in {p.name for p in host.plugins()}
    host.pm.check_pending()  # the bad plugin is gone, so pluggy finds nothing left over
    with pytest.raises(PluginError, match="go-sai"):
        plugin_manager_for(Typo())


def test_hook_with_an_argument_the_spec_lacks_is_refused():
    class Extra:
        plugin_name = "thua-tham-so"

        @hookimpl
        def record_received(self, tenant, record, request):  # noqa: ANN001, ANN201
            return None

    host = plugin_manager_for(Extra(), strict=False)
    assert [e.plugin for e in host.errors] == ["thua-tham-so"] and "request" in host.errors[0].error


def test_raising_event_hook_never_costs_the_reception(app, migrated_db, tmp_path, ward_a, caplog):
    class Raiser:
        plugin_name = "gay-loi"

        @hookimpl
        def record_received(self, tenant, record):  # noqa: ANN001, ANN201
            raise RuntimeError("boom in plugin")

    fixture = load_fixture_plugin()
    raising_app = build_app(migrated_db, tmp_path / "r", fixture, Raiser())
    host = plugin_host(raising_app)
    with raising_app.app_context():
        enable_plugin("gay-loi", ward_a, "test")
        enable_plugin("fixture", ward_a, "test")
        with caplog.at_level(logging.ERROR, logger="motcua.plugins"), write_transaction():
            audit("records.receive", tenant=ward_a, actor="canbo-a", target=RECORD.code)
            host.notify("record_received", ward_a, record=RECORD)
            assert (
                PluginFailure.select().count() == 0
            )  # not written inside the caller's transaction
        raising_app.extensions["motcua.plugin_failures"].flush()
    assert (
        AuditLog.select().where(AuditLog.action == "records.receive").count() == 1
    )  # the reception stands
    assert [hook for hook, _ in fixture.calls] == ["record_received"]  # the other plugin still ran
    (failure,) = PluginFailure.select()
    assert (failure.plugin, failure.hook, failure.tenant_id) == (
        "gay-loi",
        "record_received",
        ward_a.id,
    )
    assert "RuntimeError: boom in plugin" in failure.error
    assert "gay-loi" in caplog.text and "record_received" in caplog.text


class _Returns:
    def __init__(self, name: str, hook: str, value: object) -> None:
        self.plugin_name = name
        setattr(self, hook, hookimpl(specname=hook)(lambda: value))


@pytest.mark.parametrize(
    ("hook", "value", "expected"),
    [
        ("register_procedures", {"not": "a list"}, "must return a list"),
        ("register_procedures", ["/no/such/file.ipynb"], "item 0 is not a"),
        (
            "register_formula_functions",
            [FormulaFunction("round", len, [ValueType.TEXT], ValueType.NUMBER)],
            "`round` is already registered by plugin `motcua`",
        ),
        (
            "register_formula_functions",
            [FormulaFunction("Bad-Name", len, [ValueType.TEXT], ValueType.NUMBER)],
            "Invalid function name",
        ),
        ("register_field_types", [object()], "item 0 is not a field type"),
        (
            "register_print_templates",
            [PrintTemplate("mau", T("a", "a"), "{% if %}", "A4")],
            "print form `mau`",
        ),
        (
            "register_print_templates",
            [PrintTemplate("mau", T("a", "a"), "<p></p>", "A3")],
            "unknown paper `A3`",
        ),
        ("register_blueprints", ["not a blueprint"], "Flask Blueprint"),
    ],
)
def test_invalid_registration_is_refused_naming_plugin_and_problem(hook, value, expected):
    host = plugin_manager_for(_Returns("sai-dang-ky", hook, value), strict=False)
    (error,) = host.errors
    assert error.plugin == "sai-dang-ky" and error.hook == hook
    assert expected in error.error and hook in error.error
    assert "sai-dang-ky" not in {p.name for p in host.plugins()}
    with pytest.raises(PluginError, match="sai-dang-ky"):
        plugin_manager_for(_Returns("sai-dang-ky", hook, value))


def test_duplicate_procedure_keys_across_plugins_refuse_the_second():
    first, second = load_fixture_plugin(), load_fixture_plugin()
    second.plugin_name = "fixture-2"
    host = plugin_manager_for(first, second, strict=False)
    assert [e.plugin for e in host.errors] == ["fixture-2"]
    assert "already registered by plugin `fixture`" in host.errors[0].error


def test_a_raising_register_hook_is_refused_with_its_name():
    class Raises:
        plugin_name = "no-tung"

        @hookimpl
        def register_connectors(self):  # noqa: ANN201
            raise ValueError("missing setting")

    host = plugin_manager_for(Raises(), strict=False)
    assert (
        host.errors[0].plugin == "no-tung"
        and "register_connectors raised: ValueError: missing setting" in host.errors[0].error
    )


# --- no leaking between apps ---------------------------------------------------------------


def test_two_apps_have_independent_plugin_managers(app, migrated_db, tmp_path):
    first = build_app(migrated_db, tmp_path / "one", load_fixture_plugin())
    second = build_app(migrated_db, tmp_path / "two")
    one, two = plugin_host(first), plugin_host(second)
    assert one is not two and one.pm is not two.pm
    assert "fixture" in {p.name for p in one.plugins()} and "fixture" not in {
        p.name for p in two.plugins()
    }
    assert not any(
        rule.rule.startswith("/<tenant_slug>/x/") for rule in second.url_map.iter_rules()
    )
    assert plugin_host(app).pm is not one.pm


# --- admin pages ---------------------------------------------------------------------------


def test_ward_page_lists_and_toggles_plugins_with_audit(fixture_app, users, ward_a, ward_b):
    app, _ = fixture_app
    client = app.test_client()
    login(client, "quantri-a")
    page = client.get(f"/{ward_a.slug}/plugins/").get_data(as_text=True)
    assert "fixture" in page and "register_blueprints" in page and "Đang tắt" in page
    token = csrf_token(client, f"/{ward_a.slug}/plugins/")
    assert (
        client.post(
            f"/{ward_a.slug}/plugins/", data={"plugin": "fixture", "enabled": "1"}
        ).status_code
        == 400
    )  # CSRF
    response = client.post(
        f"/{ward_a.slug}/plugins/", data={"plugin": "fixture", "enabled": "1", "csrf_token": token}
    )
    assert response.status_code == 302
    host = plugin_host(app)
    with app.app_context():
        assert host.is_enabled("fixture", ward_a) and not host.is_enabled("fixture", ward_b)
    row = AuditLog.get(AuditLog.action == "plugins.enable")
    assert (row.tenant_id, row.target, row.actor) == (ward_a.id, "fixture", "quantri-a")
    history = client.get(f"/{ward_a.slug}/plugins/").get_data(as_text=True)
    section = history[history.index('id="history"'):]
    assert "fixture" in section and "Bật" in section and "quantri-a" in section
    staff = app.test_client()
    login(staff, "canbo-a", PASSWORD)
    assert staff.get(f"/{ward_a.slug}/plugins/").status_code == 403


def test_ward_page_shows_recent_failures(app, migrated_db, tmp_path, users, ward_a):

    class Raiser:
        plugin_name = "gay-loi"

        @hookimpl
        def record_printed(self, tenant, record, job):  # noqa: ANN001, ANN201
            raise KeyError("khong-co-mau")

    raising_app = build_app(migrated_db, tmp_path / "r", Raiser())
    with raising_app.app_context():
        enable_plugin("gay-loi", ward_a, "test")
        plugin_host(raising_app).notify("record_printed", ward_a, record=RECORD, job=JOB)
    client = raising_app.test_client()
    login(client, "quantri-a")
    page = client.get(f"/{ward_a.slug}/plugins/").get_data(as_text=True)
    assert "gay-loi" in page and "record_printed" in page and "khong-co-mau" in page


def test_platform_admin_page_is_for_platform_admins_only(fixture_app, users):
    app, _ = fixture_app
    client = app.test_client()
    login(client, "quantri-a")
    assert client.get("/admin/plugins/").status_code == 403
    admin = app.test_client()
    login(admin, "quantri-he-thong")
    page = admin.get("/admin/plugins/").get_data(as_text=True)
    assert "fixture" in page and "Mọi tiện ích đã nạp được" in page
