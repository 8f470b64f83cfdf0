"""The queue plugin's pages, mounted by the core at ``/<ward>/x/queue/``.

One blueprint; the views live by audience: :mod:`.kiosk` (kiosk and the citizen's
phone, public), :mod:`.counter` (counter staff), :mod:`.board` (the hall display,
public), :mod:`.admin` (services, counters, figures). ``g.tenant`` is the ward.
"""

from __future__ import annotations

from flask import Blueprint, g

pages = Blueprint("queue", __name__, template_folder="templates")


def tenant_id() -> int:
    """Return the id of the request's ward (``g.tenant``, set by the core)."""
    return int(g.tenant.id)


from motcua_queue import admin, board, counter, kiosk, rating_pages  # noqa: E402,F401 - they add their views to `pages`
