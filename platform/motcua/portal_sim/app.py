"""The simulator's Flask app: status sync, online dossiers, failures on purpose, the report."""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask import Flask, abort, jsonify, request

from motcua import clock
from motcua.portal_sim import seed

STATE = "motcua.portal_sim"
FAILURES = ("error_before", "timeout_before", "error_after", "slow_after")


@dataclass(frozen=True)
class SimOptions:
    """How the simulator behaves.

    :param fail_rate: share of status syncs and list requests answered with a failure.
    :param latency_ms: added to every answer.
    :param hang_ms: how long a "timeout" or "slow" failure holds the answer.
    :param data_file: a JSON file ``{"dossiers": {ward code: [portal dossier, ...]}}``
        (or a list of dossiers with ``MaXaPhuong``); default: seeded from the library.
    :param per_ward: dossiers seeded for each ward that asks.
    :param now: the simulator's clock for seeding and tokens (default: the wall clock).
    """

    fail_rate: float = 0.0
    latency_ms: int = 0
    hang_ms: int = 3000
    data_file: str | None = None
    per_ward: int = 3
    seed: int | None = None
    public_url: str = "http://127.0.0.1:8765"
    now: datetime | None = None
    client_id: str = "motcua"
    client_secret: str = "motcua-sim-secret"  # noqa: S105 - the simulator's own demo client


@dataclass
class SimState:
    """Everything the simulator received and holds, behind one lock."""

    options: SimOptions
    rng: random.Random
    lock: threading.Lock = field(default_factory=threading.Lock)
    applied: list[dict[str, Any]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    deliveries: int = 0
    duplicates: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    dossiers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    decided: set[str] = field(default_factory=set)
    seeded: set[str] = field(default_factory=set)

    def now(self) -> datetime:
        return self.options.now or clock.now()

    def fail(self) -> str | None:
        with self.lock:
            if self.rng.random() >= self.options.fail_rate:
                return None
            mode = self.rng.choice(FAILURES)
            self.failures[mode] = self.failures.get(mode, 0) + 1
            return mode


def state_of(app: Flask) -> SimState:
    """Return the simulator state of ``app``."""
    state: SimState = app.extensions[STATE]
    return state


def create_sim(given: SimOptions | None = None) -> Flask:
    """Return the simulator app (its state lives in the app, never in a module global)."""
    options = given or SimOptions()
    app = Flask("motcua.portal_sim")
    app.secret_key = options.client_secret
    sim = SimState(options=options, rng=random.Random(options.seed))
    if options.data_file:
        sim.dossiers = _load(options.data_file)
        sim.seeded = set(sim.dossiers)
    app.extensions[STATE] = sim
    forms = seed.samples()

    def pause(ms: int) -> None:
        if ms > 0:
            time.sleep(ms / 1000)

    @app.before_request
    def latency() -> None:
        pause(sim.options.latency_ms)

    @app.post("/api/dongbo/hoso")
    def status_sync() -> Any:
        key = request.headers.get("Idempotency-Key", "").strip()
        body = request.get_json(silent=True)
        if not key or not isinstance(body, dict) or "TrangThaiHoSo" not in body:
            return jsonify(
                error="Idempotency-Key header and a JSON body with TrangThaiHoSo are required"
            ), 400
        mode = sim.fail()
        if mode == "error_before":
            return jsonify(error="portal busy (simulated)"), 503
        if mode == "timeout_before":
            pause(sim.options.hang_ms)
            return jsonify(error="gateway timeout (simulated)"), 504
        entry = _apply(sim, key, body)
        if mode == "error_after":
            return jsonify(error="applied, then failed to answer (simulated)"), 500
        if mode == "slow_after":
            pause(sim.options.hang_ms)
        return jsonify(reference=entry["reference"], duplicate=entry["duplicate"])

    @app.get("/api/hoso-truc-tuyen")
    def submissions() -> Any:
        ward = request.args.get("MaXaPhuong", "").strip()
        if not ward:
            return jsonify(error="MaXaPhuong is required"), 400
        mode = sim.fail()
        if mode in ("error_before", "timeout_before"):
            return jsonify(error="portal busy (simulated)"), 503
        with sim.lock:
            if ward not in sim.seeded:
                sim.dossiers.setdefault(ward, []).extend(
                    seed.dossiers(ward, options.per_ward, sim.rng, sim.now(), forms)
                )
                sim.seeded.add(ward)
            items = [d for d in sim.dossiers.get(ward, []) if d["MaHoSo"] not in sim.decided]
        if mode is not None and items:  # a duplicate delivery: the same dossier twice
            items = items + items[:1]
        return jsonify(items=items)

    @app.get("/_sim/received")
    def received() -> Any:
        with sim.lock:
            return jsonify(
                applied=list(sim.applied),
                deliveries=sim.deliveries,
                duplicates=sim.duplicates,
                failures=dict(sim.failures),
            )

    @app.post("/_sim/dossiers")
    def add_dossier() -> Any:
        body = request.get_json(silent=True) or {}
        ward = str(body.get("ward") or "")
        dossier = body.get("dossier")
        if not ward or not isinstance(dossier, dict) or "MaHoSo" not in dossier:
            abort(400)
        with sim.lock:
            sim.dossiers.setdefault(ward, []).append(dossier)
            sim.seeded.add(ward)
        return jsonify(ok=True), 201

    @app.post("/_sim/config")
    def configure() -> Any:
        body = request.get_json(silent=True) or {}
        changes = {k: body[k] for k in ("fail_rate", "latency_ms", "hang_ms") if k in body}
        with sim.lock:
            sim.options = replace(sim.options, **changes)
            current = sim.options
        return jsonify(
            fail_rate=current.fail_rate, latency_ms=current.latency_ms, hang_ms=current.hang_ms
        )

    @app.get("/_sim/dossiers")
    def list_dossiers() -> Any:
        with sim.lock:
            return jsonify(dossiers=sim.dossiers, decided=sorted(sim.decided))

    from motcua.portal_sim.oidc import identity_provider

    app.register_blueprint(identity_provider(sim))
    return app


def _apply(sim: SimState, key: str, body: dict[str, Any]) -> dict[str, Any]:
    with sim.lock:
        sim.deliveries += 1
        if key in sim.keys:
            sim.duplicates += 1
            return {"reference": f"SIM-{key[:12]}", "duplicate": True}
        sim.keys.add(key)
        entry = {
            "record_code": body.get("MaHoSoMotCua") or body.get("MaHoSo"),
            "portal_ref": body.get("MaHoSo"),
            "status_code": body.get("TrangThaiHoSo"),
            "seq": body.get("SoThuTu"),
            "idempotency_key": key,
            "ward": body.get("MaXaPhuong"),
            "applicant_id": body.get("SoGiayToChuHoSo", ""),
            "due": body.get("NgayHenTra", ""),
            "reference": f"SIM-{key[:12]}",
            "duplicate": False,
        }
        sim.applied.append(entry)
        if body.get("TrangThaiHoSo") in (2, 3) and body.get("KenhThucHien") == 2:
            sim.decided.add(str(body.get("MaHoSo")))
        return entry


def _load(path: str) -> dict[str, list[dict[str, Any]]]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if isinstance(data, list):
        grouped: dict[str, list[dict[str, Any]]] = {}
        for item in data:
            grouped.setdefault(str(item.get("MaXaPhuong", "")), []).append(item)
        return grouped
    return {str(k): list(v) for k, v in (data.get("dossiers") or {}).items()}
