"""Pages of the portal connectors: the online inbox, the sync dashboard, the signed webhook.

* ``/<ward>/cong/hop-thu``: online dossiers waiting; staff accept or refuse each one.
* ``/<ward>/cong/dong-bo``: the ward's outbox (admins): figures, failing messages, retry.
* ``/tinh/<province>/dong-bo``: every ward of the province side by side (province admins).
* ``POST /<ward>/cong/webhook/<connector>``: a portal pushes dossiers, signed with
  HMAC-SHA256 of the body under the ward's ``webhook_secret`` (header ``X-Signature:
  sha256=<hex>``); no session, no CSRF token, refused without a valid signature.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from motcua.clock import now
from motcua.connectors import inbox
from motcua.connectors.delivery import retry, retry_failing
from motcua.connectors.figures import sync_figures
from motcua.connectors.models import OutboxMessage
from motcua.connectors.settings import effective_settings
from motcua.errors import Forbidden, NotFound, UserError
from motcua.i18n import T
from motcua.plugins import plugin_host
from motcua.tenancy.models import Province, Tenant
from motcua.web.shell import WardArea, add_ward_area
from motcua.web.tenancy import requires, tenant_blueprint
from motcua.web.ward import current_ward

bp = tenant_blueprint("connectors", __name__, "/cong")
hooks = tenant_blueprint("portal_webhook", __name__, "/cong", public=True)
province_pages = Blueprint("sync_province", __name__)
SIGNATURE_HEADER = "X-Signature"


# --- online inbox ----------------------------------------------------------------------


@bp.get("/hop-thu")
@requires("records.receive")
def inbox_page() -> ResponseReturnValue:
    """The ward's online dossiers, new first, then the ones decided."""
    state = request.args.get("state") or "new"
    items = inbox.inbox_items(g.tenant, None if state == "all" else state)
    return render_template("connectors/inbox.html", items=items, state=state)


@bp.post("/hop-thu/lay")
@requires("records.receive")
def pull_now() -> ResponseReturnValue:
    """Ask the ward's connectors for new online dossiers now."""
    result = inbox.pull(plugin_host(current_app), g.tenant)
    items = inbox.inbox_items(g.tenant, "new")
    return render_template("connectors/inbox.html", items=items, state="new", pulled=result)


@bp.get("/hop-thu/<int:item_id>")
@requires("records.receive")
def inbox_item(item_id: int) -> ResponseReturnValue:
    """One online dossier: applicant, form values and files; accept or refuse it."""
    return render_template(
        "connectors/item.html", item=inbox.get_item(g.tenant, item_id), error=None
    )


@bp.get("/hop-thu/<int:item_id>/tep/<int:file_index>")
@requires("records.receive")
def inbox_file(item_id: int, file_index: int) -> ResponseReturnValue:
    """Download a file attached to an online dossier."""
    item = inbox.get_item(g.tenant, item_id)
    files = item.files or []
    if not 0 <= file_index < len(files):
        raise NotFound(T("Không có tệp này", "No such file"))
    entry = files[file_index]
    response = current_app.response_class(
        base64.b64decode(entry["content"]), mimetype=entry["content_type"]
    )
    response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/hop-thu/<int:item_id>/tiep-nhan")
@requires("records.receive")
def accept(item_id: int) -> ResponseReturnValue:
    """Accept the dossier: it becomes a record; go to the record."""
    item = inbox.get_item(g.tenant, item_id)
    try:
        record = inbox.accept(current_ward(), item.id, actor=g.user.login, user=g.user)
    except UserError as exc:
        return render_template("connectors/item.html", item=item, error=exc), exc.status
    return redirect(url_for("records.record_page", code=record.code))


@bp.post("/hop-thu/<int:item_id>/tu-choi")
@requires("records.receive")
def refuse(item_id: int) -> ResponseReturnValue:
    """Refuse the dossier with a reason sent back to the portal."""
    item = inbox.get_item(g.tenant, item_id)
    try:
        inbox.refuse(
            current_ward(), item.id, request.form.get("reason", ""), actor=g.user.login, user=g.user
        )
    except UserError as exc:
        return render_template("connectors/item.html", item=item, error=exc), exc.status
    return redirect(url_for("connectors.inbox_page"))


# --- the ward's sync dashboard ------------------------------------------------------------


@bp.get("/dong-bo")
@requires("ward.configure")
def sync_page() -> ResponseReturnValue:
    """The ward's sync figures and its undelivered messages."""
    tenant = g.tenant
    figures = sync_figures([tenant.id])[tenant.id]
    waiting = list(
        OutboxMessage.select()
        .where(OutboxMessage.tenant == tenant, OutboxMessage.state != "delivered")
        .order_by(OutboxMessage.id)
        .limit(200)
    )
    return render_template("connectors/sync.html", figures=figures, waiting=waiting, current=now())


@bp.post("/dong-bo/<int:message_id>/gui-lai")
@requires("ward.configure")
def retry_message(message_id: int) -> ResponseReturnValue:
    """Put one message of the ward back in line."""
    retry(g.tenant, message_id, actor=g.user.login)
    return redirect(url_for("connectors.sync_page"))


@bp.post("/dong-bo/gui-lai")
@requires("ward.configure")
def retry_all() -> ResponseReturnValue:
    """Put every dead message of the ward back in line."""
    retry_failing(g.tenant, actor=g.user.login)
    return redirect(url_for("connectors.sync_page"))


@province_pages.get("/tinh/<province_slug>/dong-bo")
def province_sync(province_slug: str) -> ResponseReturnValue:
    """Every ward of the province: share synced, pending, failed, oldest unsynced."""
    from motcua.accounts.models import ProvinceRole

    if g.user is None:
        return redirect(url_for("auth.login", next=request.path))
    province = Province.get_or_none(Province.slug == province_slug)
    if province is None:
        raise NotFound(T("Không có tỉnh `{slug}`", "No province `{slug}`", slug=province_slug))
    allowed = (
        g.user.is_platform_admin
        or ProvinceRole.select()
        .where(ProvinceRole.province == province, ProvinceRole.user == g.user)
        .exists()
    )
    if not allowed:
        raise Forbidden(
            T(
                "Chỉ quản trị của {name} xem được trang này",
                "Only admins of {name} may see this page",
                name=province.name,
            )
        )
    tenants = list(
        Tenant.select()
        .where(Tenant.province == province, Tenant.active == True)  # noqa: E712
        .order_by(Tenant.name)
    )
    return render_template(
        "connectors/province.html",
        province=province,
        tenants=tenants,
        figures=sync_figures([t.id for t in tenants]),
        current=now(),
    )


# --- the signed webhook -----------------------------------------------------------------


def signature_of(secret: str, body: bytes) -> str:
    """Return the ``X-Signature`` value of ``body`` under ``secret``: ``sha256=<hex>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@hooks.post("/webhook/<connector>")
def webhook(connector: str) -> ResponseReturnValue:
    """Take online dossiers pushed by a portal, once each; 401 without a valid signature."""
    tenant = g.tenant
    found = next(
        (c for c in plugin_host(current_app).connectors(tenant) if c.name == connector), None
    )
    if found is None:
        raise NotFound(
            T(
                "Kết nối `{name}` chưa bật ở phường/xã này",
                "Connector `{name}` is not enabled in this ward",
                name=connector,
            )
        )
    secret = str(effective_settings(tenant, connector).get("webhook_secret") or "")
    body = request.get_data(cache=True)
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not secret or not hmac.compare_digest(given.encode(), signature_of(secret, body).encode()):
        raise UserError(
            T("Chữ ký webhook không hợp lệ", "The webhook signature is not valid"), status=401
        )
    try:
        submissions = found.read_webhook(request.get_json(force=True, silent=False))
    except ValueError as exc:
        raise UserError(
            T(
                "Nội dung webhook không đọc được: {error}",
                "Cannot read the webhook body: {error}",
                error=str(exc),
            ),
            status=422,
        ) from exc
    result = inbox.store_submissions(tenant, connector, submissions)
    return jsonify(new=result.new, seen=result.seen)


webhook.public = True  # type: ignore[attr-defined]  # signed by the portal, not a session


def sync_alert() -> dict[str, Any]:
    """Template values: ``sync_failing`` for a ward admin whose ward's sync is failing."""
    tenant = getattr(g, "tenant", None)
    if tenant is None or "ward.configure" not in getattr(g, "permissions", frozenset()):
        return {}
    figures = sync_figures([tenant.id]).get(tenant.id)
    return {"sync_failing": figures if figures is not None and figures.failing(now()) else None}


def init_connectors(app: Flask) -> None:
    """Register the inbox, dashboard and webhook routes, and the ward tiles."""
    app.register_blueprint(bp)
    app.register_blueprint(hooks)
    app.register_blueprint(province_pages)
    app.extensions["csrf"].exempt(hooks)
    app.context_processor(sync_alert)
    add_ward_area(
        app,
        WardArea(
            "connectors.inbox_page",
            T("Hồ sơ trực tuyến", "Online dossiers"),
            T(
                "Tiếp nhận hoặc từ chối hồ sơ nộp trên Cổng DVC",
                "Accept or refuse dossiers filed on the portal",
            ),
            "records.receive",
            order=15,
        ),
    )
    add_ward_area(
        app,
        WardArea(
            "connectors.sync_page",
            T("Đồng bộ Cổng DVC", "Portal sync"),
            T(
                "Hồ sơ đã đồng bộ, đang chờ, lỗi; gửi lại",
                "Records synced, pending, failed; send again",
            ),
            "ward.configure",
            order=80,
        ),
    )
