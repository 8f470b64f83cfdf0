"""Citizen sign-in with a VNeID-style OpenID Connect provider, and the citizen's own records.

Authorization code flow with PKCE (S256) through Authlib's OAuth 2 client; the state is
checked on return, and the ID token's signature (the provider's JWKS), issuer, audience,
expiry and nonce through joserfc (Authlib's JOSE library). The signed-in citizen is kept
in the session as their ID number (CCCD) and name, and sees the records filed under that
ID number in every ward, nothing else. Settings: ``MOTCUA_OIDC_ISSUER``,
``MOTCUA_OIDC_CLIENT_ID``, ``MOTCUA_OIDC_CLIENT_SECRET``.
"""

from __future__ import annotations

import warnings
from typing import Any

import authlib.deprecate  # noqa: E402 - first, so its own "always" filter is in place below
import httpx
from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from motcua.clock import VIETNAM, now
from motcua.errors import UserError
from motcua.i18n import T

with warnings.catch_warnings():  # Authlib prefers httpx2 and warns when it falls back to httpx
    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    from authlib.common.security import generate_token
    from authlib.integrations.base_client import OAuthError
    from authlib.integrations.httpx_client import OAuth2Client
    from authlib.oauth2 import OAuth2Error

bp = Blueprint("citizen", __name__, url_prefix="/cong-dan")
SESSION_FLOW = "oidc_flow"
SESSION_CITIZEN = "citizen"


def public(view: Any) -> Any:
    """Mark a view as open without a staff session (the isolation test skips it)."""
    view.public = True
    return view


def _settings() -> Any:
    settings = current_app.extensions["motcua.settings"]
    if not (settings.oidc_issuer and settings.oidc_client_id):
        raise UserError(
            T("Chưa cấu hình đăng nhập VNeID (MOTCUA_OIDC_ISSUER)", "Citizen sign-in is not set up (MOTCUA_OIDC_ISSUER)"),
            status=503,
        )
    return settings


def _provider(settings: Any) -> dict[str, Any]:
    """Return the provider's discovery document (read once per app and issuer)."""
    cache = current_app.extensions.setdefault("motcua.oidc", {})
    if settings.oidc_issuer not in cache:
        answer = httpx.get(f"{settings.oidc_issuer}/.well-known/openid-configuration", timeout=10)
        answer.raise_for_status()
        document = answer.json()
        document["keys"] = httpx.get(document["jwks_uri"], timeout=10).json()
        cache[settings.oidc_issuer] = document
    return dict(cache[settings.oidc_issuer])


def _client(settings: Any) -> OAuth2Client:
    return OAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        scope="openid profile",
        redirect_uri=url_for("citizen.callback", _external=True),
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",  # noqa: S106 - a method name, not a secret
        timeout=10,
    )


def _refused(reason: str) -> ResponseReturnValue:
    session.pop(SESSION_FLOW, None)
    raise UserError(
        T("Đăng nhập không thành công ({reason}); thử lại", "Sign-in failed ({reason}); try again", reason=reason),
        status=400,
    )


@bp.get("/dang-nhap")
@public
def login() -> ResponseReturnValue:
    """Send the citizen to the identity provider (state, nonce and PKCE verifier kept in the session)."""
    settings = _settings()
    provider = _provider(settings)
    flow = {"state": generate_token(32), "nonce": generate_token(32), "verifier": generate_token(64)}
    url, _ = _client(settings).create_authorization_url(
        provider["authorization_endpoint"], state=flow["state"], code_verifier=flow["verifier"], nonce=flow["nonce"]
    )
    session[SESSION_FLOW] = flow
    return redirect(url)


@bp.get("/callback")
@public
def callback() -> ResponseReturnValue:
    """Finish the sign-in: check the state, trade the code (with the verifier), check the ID token."""
    settings = _settings()
    flow = session.get(SESSION_FLOW)
    if not flow or request.args.get("state") != flow.get("state"):
        return _refused("state")
    if request.args.get("error"):
        return _refused(str(request.args["error"]))
    provider = _provider(settings)
    client = _client(settings)
    try:
        token = client.fetch_token(
            provider["token_endpoint"],
            code=request.args.get("code", ""),
            code_verifier=flow["verifier"],
            state=flow["state"],
        )
    except (OAuth2Error, OAuthError, httpx.HTTPError) as exc:
        return _refused(f"token: {exc}")
    finally:
        client.close()
    claims = _check_id_token(str(token.get("id_token") or ""), provider, settings, flow["nonce"])
    if claims is None:
        return _refused("id_token")
    session.pop(SESSION_FLOW, None)
    session[SESSION_CITIZEN] = {"id_number": str(claims.get("cccd") or claims["sub"]), "name": str(claims.get("name", ""))}
    return redirect(url_for("citizen.my_records"))


def _check_id_token(id_token: str, provider: dict[str, Any], settings: Any, nonce: str) -> dict[str, Any] | None:
    """Return the ID token's claims when its signature, issuer, audience, times and nonce hold."""
    registry = jwt.JWTClaimsRegistry(
        now=int(now().replace(tzinfo=VIETNAM).timestamp()),
        leeway=60,
        iss={"essential": True, "value": provider["issuer"]},
        aud={"essential": True, "value": settings.oidc_client_id},
        sub={"essential": True},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        decoded = jwt.decode(id_token, KeySet.import_key_set(provider["keys"]), algorithms=["RS256"])
        registry.validate(decoded.claims)
    except (JoseError, ValueError):
        return None
    return dict(decoded.claims)


@bp.get("/")
@public
def my_records() -> ResponseReturnValue:
    """The signed-in citizen's records in every ward (status, due date); a sign-in button otherwise."""
    from motcua.records import lifecycle
    from motcua.records.models import Record
    from motcua.tenancy.models import Tenant

    citizen = session.get(SESSION_CITIZEN)
    records: list[Any] = []
    if citizen and citizen.get("id_number"):
        records = list(
            Record.select(Record, Tenant)
            .join(Tenant)
            .where(Record.applicant_id_number == citizen["id_number"], Tenant.active == True)  # noqa: E712
            .order_by(Record.received_at.desc())
            .limit(200)
        )
    return render_template("citizen/records.html", citizen=citizen, records=records, statuses=lifecycle.STATUSES)


@bp.post("/dang-xuat")
@public
def logout() -> ResponseReturnValue:
    """Forget the signed-in citizen."""
    session.pop(SESSION_CITIZEN, None)
    return redirect(url_for("citizen.my_records"))


def init_citizen(app: Flask) -> None:
    """Register the citizen pages."""
    app.register_blueprint(bp)
