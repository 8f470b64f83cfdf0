"""The connector example of docs/connectors.md runs: as a plugin, against the simulator."""

from __future__ import annotations

import re
import types

from conftest import REPO, make_tenant, ward_of
from connectors_support import worker
from motcua.connectors.settings import configure
from motcua.plugins import plugin_host
from motcua.portal_sim.process import running_sim
from motcua.records.applicant import Applicant
from motcua.records.service import receive, transition
from plugin_support import build_app
from records_support import MARITAL, publish_form, sample_values


def example_module() -> types.ModuleType:
    text = (REPO / "docs" / "connectors.md").read_text(encoding="utf-8")
    source = next(block for block in re.findall(r"```python\n(.*?)```", text, re.S) if "register_connectors" in block)
    module = types.ModuleType("cong_bac_ninh")
    exec(compile(source, "docs/connectors.md", "exec"), module.__dict__)  # noqa: S102 - our own doc
    return module


def test_the_documented_connector_delivers_to_the_simulator(app, migrated_db, tmp_path, clock):
    example = build_app(migrated_db, tmp_path / "example", example_module())
    with example.app_context():
        tenant = make_tenant("07795")
        publish_form(tenant)
        with running_sim("--seed", "2") as sim:
            configure(plugin_host(example), tenant, "cong-bac-ninh", {"base_url": sim.url}, actor="test")
            ward = ward_of(tenant, example)
            record = receive(ward, MARITAL, sample_values(), applicant=Applicant(name="Lê Văn An"), actor="canbo").record
            transition(ward_of(tenant, example), record.code, "assign", actor="canbo", role="staff",
                       expected_lock_version=1)
            worker(example, clock)[0].drain()
            applied = sim.received()["applied"]
    assert [(a["record_code"], a["status_code"], a["seq"]) for a in applied] == [(record.code, 2, 1), (record.code, 4, 2)]
