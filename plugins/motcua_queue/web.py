"""The queue plugin's pages, mounted at ``/<ward>/x/queue/`` (routes in the modules below)."""

from __future__ import annotations

from flask import Blueprint

pages = Blueprint("queue", __name__, template_folder="templates")
