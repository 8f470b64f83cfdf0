"""The HTTP side of the portal: a thin httpx adapter with timeouts, no mapping logic here."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import httpx

from motcua.plugin_api import DeliveryResult

SYNC_PATH = "/api/dongbo/hoso"
SUBMISSIONS_PATH = "/api/hoso-truc-tuyen"
# Worth trying again: the portal is busy or broken for a while, not refusing the message.
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})

_clients: dict[tuple[str, float], httpx.Client] = {}
_lock = threading.Lock()


def client(base_url: str, timeout: float) -> httpx.Client:
    """Return the process's pooled client for ``base_url`` (thread-safe, reused across sends)."""
    key = (base_url.rstrip("/"), timeout)
    with _lock:
        found = _clients.get(key)
        if found is None:
            found = httpx.Client(
                base_url=key[0], timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0))
            )
            _clients[key] = found
        return found


def _base(settings: Mapping[str, Any]) -> tuple[str, float]:
    base_url = str(settings.get("base_url") or "").strip()
    if not base_url.startswith(("http://", "https://")):
        raise ValueError("set the connector's base_url (http:// or https://)")
    return base_url, float(settings.get("timeout") or 10)


def _headers(settings: Mapping[str, Any]) -> dict[str, str]:
    headers = {"X-Ma-Don-Vi": str(settings.get("agency_code", ""))}
    if settings.get("api_token"):
        headers["Authorization"] = f"Bearer {settings['api_token']}"
    return headers


def post_status(settings: Mapping[str, Any], body: dict[str, Any], key: str) -> DeliveryResult:
    """POST one status sync with its idempotency key; return what the portal did with it."""
    try:
        base_url, timeout = _base(settings)
    except ValueError as exc:
        return DeliveryResult(delivered=False, error=str(exc), retry=True)
    try:
        answer = client(base_url, timeout).post(
            SYNC_PATH, json=body, headers={**_headers(settings), "Idempotency-Key": key}
        )
    except httpx.TimeoutException as exc:
        return DeliveryResult(delivered=False, error=f"timeout: {exc}", retry=True)
    except httpx.HTTPError as exc:
        return DeliveryResult(delivered=False, error=f"{type(exc).__name__}: {exc}", retry=True)
    if answer.is_success:
        try:
            reference = str(answer.json().get("reference", ""))
        except ValueError:
            reference = ""
        return DeliveryResult(delivered=True, reference=reference)
    return DeliveryResult(
        delivered=False,
        error=f"HTTP {answer.status_code}: {answer.text[:300]}",
        retry=answer.status_code in RETRYABLE,
    )


def get_submissions(settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the portal's list of online dossiers waiting for the ward.

    :raises httpx.HTTPError: the portal cannot be reached or answers an error.
    :raises ValueError: no base URL set, or the answer is not a list.
    """
    base_url, timeout = _base(settings)
    answer = client(base_url, timeout).get(
        SUBMISSIONS_PATH,
        params={"MaXaPhuong": str(settings.get("ward_code", ""))},
        headers=_headers(settings),
    )
    answer.raise_for_status()
    items = answer.json().get("items")
    if not isinstance(items, list):
        raise ValueError("the portal's answer has no list of items")
    return items
