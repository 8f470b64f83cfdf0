"""The simulator as a VNeID-style OpenID Connect provider: authorization code flow with PKCE.

The citizens are the applicants of the simulator's dossiers plus those added with
``POST /_sim/citizens``; the login page lists them (or ``login_hint`` picks one by ID
number). Tokens are signed RS256 with a key made at start; ``/oidc/jwks`` publishes it.
This is the *provider* side of a simulator: motcua's client side uses Authlib.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Blueprint, jsonify, redirect, render_template_string, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from motcua.clock import VIETNAM

if TYPE_CHECKING:
    from motcua.portal_sim.app import SimState

LOGIN_PAGE = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>VNeID (giả lập)</title>
<h1>Đăng nhập VNeID (giả lập) <small>VNeID sign-in (simulated)</small></h1>
<form method="post">{% for name, value in params.items() %}<input type="hidden" name="{{ name }}" value="{{ value }}">{% endfor %}
<p><label>Số định danh (ID number) <select name="login_hint">{% for c in citizens %}
<option value="{{ c.cccd }}">{{ c.name }} – {{ c.cccd }}</option>{% endfor %}</select></label></p>
<p><button>Đăng nhập (sign in)</button></p></form></html>"""


def _challenge(verifier: str) -> str:
    import base64
    import hashlib

    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def identity_provider(sim: SimState) -> Blueprint:
    """Return the blueprint of the OpenID Connect provider for ``sim``."""
    pages = Blueprint("oidc", __name__)
    key = RSAKey.generate_key(2048, parameters={"kid": "sim-1", "use": "sig", "alg": "RS256"})
    codes: dict[str, dict[str, Any]] = {}
    tokens: dict[str, dict[str, Any]] = {}
    citizens: dict[str, dict[str, str]] = {}
    issuer = sim.options.public_url.rstrip("/")

    def known_citizens() -> list[dict[str, str]]:
        found = dict(citizens)
        with sim.lock:
            for items in sim.dossiers.values():
                for dossier in items:
                    person = dossier.get("ChuHoSo") or {}
                    if person.get("SoGiayTo"):
                        found.setdefault(
                            person["SoGiayTo"],
                            {"cccd": person["SoGiayTo"], "name": person.get("HoTen", "")},
                        )
        return list(found.values())

    def epoch() -> int:
        # The simulator's clock, in Vietnam time as motcua.clock keeps it.
        return int(sim.now().replace(tzinfo=VIETNAM).timestamp()) if sim.options.now else int(time.time())

    @pages.get("/.well-known/openid-configuration")
    def discovery() -> Any:
        return jsonify(
            issuer=issuer,
            authorization_endpoint=f"{issuer}/oidc/authorize",
            token_endpoint=f"{issuer}/oidc/token",
            userinfo_endpoint=f"{issuer}/oidc/userinfo",
            jwks_uri=f"{issuer}/oidc/jwks",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            code_challenge_methods_supported=["S256"],
            token_endpoint_auth_methods_supported=["client_secret_post", "client_secret_basic"],
            scopes_supported=["openid", "profile"],
        )

    @pages.get("/oidc/jwks")
    def jwks() -> Any:
        return jsonify(KeySet([key]).as_dict(private=False))

    @pages.post("/_sim/citizens")
    def add_citizen() -> Any:
        body = request.get_json(silent=True) or {}
        if not body.get("cccd"):
            return jsonify(error="cccd is required"), 400
        citizens[str(body["cccd"])] = {"cccd": str(body["cccd"]), "name": str(body.get("name", ""))}
        return jsonify(ok=True), 201

    @pages.route("/oidc/authorize", methods=["GET", "POST"])
    def authorize() -> Any:
        params = request.values.to_dict()
        problems = [
            name
            for name in ("client_id", "redirect_uri", "state", "nonce", "code_challenge")
            if not params.get(name)
        ]
        if params.get("response_type") != "code":
            problems.append("response_type=code")
        if params.get("code_challenge_method") != "S256":
            problems.append("code_challenge_method=S256")
        if params.get("client_id") and params["client_id"] != sim.options.client_id:
            problems.append("a known client_id")
        if problems:
            return jsonify(error="invalid_request", missing=problems), 400
        hint = params.pop("login_hint", "")
        people = {c["cccd"]: c for c in known_citizens()}
        if not hint:
            return render_template_string(LOGIN_PAGE, params=params, citizens=people.values())
        person = people.get(hint)
        if person is None:
            return jsonify(error="unknown citizen"), 400
        code = secrets.token_urlsafe(24)
        codes[code] = {**params, "citizen": person, "at": epoch()}
        target = params["redirect_uri"]
        joiner = "&" if "?" in target else "?"
        return redirect(target + joiner + urlencode({"code": code, "state": params["state"]}))

    def client_ok() -> bool:
        auth = request.authorization
        client_id = auth.username if auth else request.form.get("client_id")
        secret = auth.password if auth else request.form.get("client_secret")
        return client_id == sim.options.client_id and secret == sim.options.client_secret

    @pages.post("/oidc/token")
    def token() -> Any:
        if not client_ok():
            return jsonify(error="invalid_client"), 401
        form = request.form
        grant = codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or grant is None:
            return jsonify(error="invalid_grant"), 400
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return jsonify(error="invalid_grant", error_description="redirect_uri differs"), 400
        if _challenge(form.get("code_verifier", "")) != grant["code_challenge"]:
            return jsonify(
                error="invalid_grant", error_description="PKCE verifier does not match"
            ), 400
        now = epoch()
        person = grant["citizen"]
        claims = {
            "iss": issuer,
            "sub": person["cccd"],
            "aud": grant["client_id"],
            "iat": now,
            "exp": now + 600,
            "nonce": grant["nonce"],
            "name": person["name"],
            "cccd": person["cccd"],
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "sim-1"}, claims, key)
        access = secrets.token_urlsafe(24)
        tokens[access] = person
        return jsonify(
            access_token=access,
            token_type="Bearer",  # noqa: S106 - the OAuth token type, not a password
            expires_in=600,
            id_token=id_token,
            scope="openid profile",
        )

    @pages.get("/oidc/userinfo")
    def userinfo() -> Any:
        header = request.headers.get("Authorization", "")
        person = tokens.get(header.removeprefix("Bearer ").strip())
        if person is None:
            return jsonify(error="invalid_token"), 401
        return jsonify(sub=person["cccd"], name=person["name"], cccd=person["cccd"])

    return pages
