"""Server-side ward pickers: ``/<slug>/don-vi/tim`` and ``/<slug>/don-vi/dia-chi-cu``.

The 3,321 wards of the 2025 catalogue never go to the browser at once: the address and
ward widgets (``static/address-picker.js``) send what the user typed and show the few
best matches these JSON endpoints return.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, jsonify, request
from flask.typing import ResponseReturnValue

from motcua.errors import NotFound
from motcua.units import Ward, convert_old_address, province, search_wards
from motcua.web.context import current_language
from motcua.web.tenancy import requires, tenant_blueprint

bp = tenant_blueprint("units", __name__, "/don-vi")

MAX_RESULTS = 20
MAX_QUERY = 200
ALL_PROVINCES = "*"


def ward_json(unit: Ward) -> dict[str, Any]:
    """Return a ward as the picker shows it: code, name and "name, province" label."""
    home = province(unit.province_code)
    return {
        "code": unit.code,
        "name": unit.name,
        "province_code": unit.province_code,
        "province": home.name,
        "label": f"{unit.name}, {home.name}",
    }


@bp.get("/tim")
@requires("ward.view")
def search() -> ResponseReturnValue:
    """Return up to 20 wards matching ``q`` (accents optional), best first.

    ``tinh`` is a 2-digit province code, default the ward's own province; ``tinh=*``
    searches the whole country. ``limit`` may lower the number of results.
    """
    query = request.args.get("q", "")[:MAX_QUERY]
    scope = request.args.get("tinh", "").strip() or g.tenant.province_code
    try:
        limit = max(1, min(MAX_RESULTS, int(request.args.get("limit", MAX_RESULTS))))
    except ValueError:
        limit = MAX_RESULTS
    try:
        found = search_wards(query, None if scope == ALL_PROVINCES else scope, limit)
    except NotFound as error:
        body = error.as_dict()
        body["error"]["text"] = error.text.render(current_language())
        return jsonify(body), 404
    return jsonify({"query": query, "province": scope, "results": [ward_json(w) for w in found]})


@bp.get("/dia-chi-cu")
@requires("ward.view")
def old_address() -> ResponseReturnValue:
    """Return what the pre-merger address ``q`` became: a hint and the candidate new wards."""
    conversion = convert_old_address(request.args.get("q", "")[:MAX_QUERY])
    old = conversion.old
    return jsonify(
        {
            "hint": conversion.hint.render(current_language()),
            "old": {"name": old.name, "district": old.district_name, "province": old.province_name}
            if old
            else None,
            "candidates": [ward_json(w) for w in conversion.candidates],
        }
    )


def init_units(app: Flask) -> None:
    """Register the ward picker endpoints on ``app``."""
    app.register_blueprint(bp)
