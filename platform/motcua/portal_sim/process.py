"""Start the simulator as its own process and wait until it answers (tests, benchmarks, demo)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class RunningSim:
    """A simulator process: its URL and a client for its report endpoints."""

    url: str
    process: subprocess.Popen[bytes]

    def received(self) -> dict[str, Any]:
        """Return ``GET /_sim/received``."""
        return dict(httpx.get(f"{self.url}/_sim/received", timeout=10).json())

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change the fail rate, latency or hang time of the running simulator."""
        return dict(httpx.post(f"{self.url}/_sim/config", json=changes, timeout=10).json())


def start_sim(*arguments: str, port: int | None = None, wait: float = 30.0) -> RunningSim:
    """Start ``motcua portal-sim`` with ``arguments``; return once it answers.

    :raises RuntimeError: it exited or did not answer within ``wait`` seconds.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "motcua.cli", "portal-sim", "--port", str(port), *arguments]
    process = subprocess.Popen(  # noqa: S603 - our own command line, no shell
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ)
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the portal simulator exited with {process.returncode}")
        try:
            httpx.get(f"{url}/_sim/received", timeout=1)
            return RunningSim(url, process)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the portal simulator did not answer on {url}")


def stop_sim(sim: RunningSim) -> None:
    """Stop the simulator process and wait for it."""
    sim.process.terminate()
    try:
        sim.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        sim.process.kill()
        sim.process.wait()


@contextmanager
def running_sim(*arguments: str, port: int | None = None) -> Iterator[RunningSim]:
    """Run the simulator for the ``with`` block."""
    sim = start_sim(*arguments, port=port)
    try:
        yield sim
    finally:
        stop_sim(sim)
