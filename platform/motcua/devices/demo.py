"""The demo's counter PCs: one agent with emulated devices per counter, beside the server.

Each demo counter gets a fresh agent token at every start (the old demo tokens are
revoked, as only hashes are kept) and captures under
``<data>/devices/captures/<ward code>/<counter key>/``, which the counters page shows as a
virtual printer.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from motcua.clock import now
from motcua.db import write_transaction
from motcua.devices.models import AgentToken
from motcua.devices.service import create_agent_token
from motcua.tenancy.models import Counter, Tenant

DEMO_AGENT_NAME = "demo (emulated devices)"
log = logging.getLogger(__name__)


def captures_dir(data_dir: Path, tenant_code: str, counter_key: str) -> Path:
    """Return the folder of a counter's virtual printer captures."""
    return data_dir / "devices" / "captures" / tenant_code / counter_key


@dataclass(frozen=True)
class DemoAgent:
    """A demo counter with its token text and folders."""

    tenant_code: str
    counter_key: str
    token: str
    capture_dir: Path
    state_dir: Path


def prepare_demo_agents(data_dir: Path) -> list[DemoAgent]:
    """Revoke the old demo agent tokens and make one per active counter of every active ward."""
    with write_transaction():
        AgentToken.update(revoked_at=now()).where(
            AgentToken.name == DEMO_AGENT_NAME, AgentToken.revoked_at.is_null()).execute()
    agents = []
    counters = (Counter.select(Counter, Tenant).join(Tenant)
                .where(Tenant.active == True, Counter.active == True)  # noqa: E712
                .order_by(Tenant.code, Counter.id))
    for counter in counters:
        _, text = create_agent_token(counter.tenant, counter, name=DEMO_AGENT_NAME, actor_login="demo")
        capture = captures_dir(data_dir, counter.tenant.code, counter.key)
        agents.append(DemoAgent(counter.tenant.code, counter.key, text, capture, capture.parent / f".{counter.key}.state"))
    return agents


def run_demo_agents(server: str, agents: list[DemoAgent], drivers: list[Any], stop: threading.Event) -> None:
    """Run one agent per demo counter, each in a thread with its own emulated bus, until ``stop``."""
    from motcua.devices.agent import Agent, AgentConfig
    from motcua.devices.emulated import emulated_bus

    runners = []
    for item in agents:
        config = AgentConfig(server=server, token=item.token, state_dir=item.state_dir,
                             emulate=["printer", "scanner"], capture_dir=item.capture_dir, wait=10)
        runner = Agent(config, drivers, emulated_bus(["printer", "scanner"], item.capture_dir))
        runner.stopping = stop
        runners.append(runner)
        threading.Thread(target=runner.run, name=f"agent-{item.tenant_code}-{item.counter_key}", daemon=True).start()
    stop.wait()
