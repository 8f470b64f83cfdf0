"""The ``dvcqg`` connector: status sync to a DVCQG-style portal, online dossiers from it.

Settings (province layer for base URL, agency code and credentials; the ward may override):
``base_url``, ``agency_code``, ``api_token``, ``timeout`` (seconds, default 10),
``webhook_secret`` (the HMAC key of signed webhooks).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from motcua.plugin_api import (
    Connector,
    DeliveryResult,
    OnlineSubmission,
    OutgoingMessage,
    T,
    hookimpl,
)
from motcua_dvcqg import __version__ as __version__
from motcua_dvcqg import mapping, transport

NAME = "dvcqg"


class PortalConnector(Connector):
    """Sends each outbox message as one status sync; pulls the portal's online dossiers."""

    name = NAME
    title = T("Cổng Dịch vụ công quốc gia", "National Public Service Portal")

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        """Map ``message`` to the portal's fields and POST it with its idempotency key."""
        try:
            body = self.body(message)
        except (KeyError, ValueError) as exc:
            return DeliveryResult(delivered=False, error=f"cannot map the message: {exc}")
        return transport.post_status(message.settings, body, message.key)

    @staticmethod
    def body(message: OutgoingMessage) -> dict[str, Any]:
        """Return the status-sync body of ``message`` (raises ValueError when it cannot map)."""
        payload = message.payload
        if message.kind == "inbox.refused":
            return mapping.refusal_sync(
                payload["portal_ref"],
                payload.get("reason", ""),
                datetime.fromisoformat(payload["at"]),
                settings=message.settings,
                sequence=message.sequence,
            )
        if message.record is None:
            raise ValueError(f"message {message.kind} has no record")
        return mapping.status_sync(
            message.record,
            message.event,
            settings=message.settings,
            sequence=message.sequence,
            portal_ref=str(payload.get("portal_ref", "")),
        )

    def pull(self, settings: Mapping[str, Any]) -> list[OnlineSubmission]:
        """Return the online dossiers the portal holds for the ward."""
        return [mapping.read_submission(item) for item in transport.get_submissions(settings)]

    def read_webhook(self, payload: Any) -> list[OnlineSubmission]:
        """Return the dossiers of a webhook body: one dossier, or ``{"items": [...]}``."""
        if isinstance(payload, Mapping) and isinstance(payload.get("items"), list):
            return [mapping.read_submission(item) for item in payload["items"]]
        if isinstance(payload, Mapping):
            return [mapping.read_submission(payload)]
        raise ValueError("the webhook body is not a dossier")


@hookimpl
def register_connectors() -> list[Connector]:
    """Return the portal connector."""
    return [PortalConnector()]
