"""A local simulator of the National Public Service Portal, for tests and the demo.

One small Flask app (``motcua portal-sim``): it accepts status syncs (applying each
idempotency key once), serves online dossiers seeded from the procedure library with
Vietnamese applicants, fails on purpose (5xx, timeouts, slow answers, duplicate
deliveries) at ``--fail-rate``, reports what it applied at ``GET /_sim/received``, and acts
as the citizens' OpenID Connect identity provider (VNeID-style, code flow with PKCE).
"""
