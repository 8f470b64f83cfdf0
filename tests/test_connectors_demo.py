"""``motcua demo`` wires every ward to the simulator: connector enabled, settings, one webhook secret."""

from __future__ import annotations

from motcua.connectors.demo import wire_demo_wards
from motcua.connectors.settings import effective_settings
from motcua.plugins import plugin_host


def test_demo_wiring_enables_the_connector_in_every_ward_once(app, ward_a, ward_b):
    assert wire_demo_wards(app, "http://127.0.0.1:8765") == sorted([ward_a.code, ward_b.code])
    first = effective_settings(ward_a, "dvcqg")
    assert first["base_url"] == "http://127.0.0.1:8765" and len(first["webhook_secret"]) == 32
    assert [c.name for c in plugin_host(app).connectors(ward_a)] == ["dvcqg"]
    wire_demo_wards(app, "http://127.0.0.1:8765")
    assert effective_settings(ward_a, "dvcqg")["webhook_secret"] == first["webhook_secret"]
    assert effective_settings(ward_b, "dvcqg")["webhook_secret"] != first["webhook_secret"]
