"""Login throttling by account and by client, instead of locking the account for everyone.

Locking a clerk's account after five wrong passwords let anyone who knew the login keep
the clerk out, and the "locked" message told a stranger the account existed. Now the wrong
passwords are counted per (account, client), per client and per account in fixed windows
on the shared rate-limit store (:mod:`motcua.rate_store`, or Redis); past a limit that
client (or, for a flood on one account, every client) waits out the window. Unknown logins
are counted exactly like real ones, so the answer never tells whether an account exists.
"""

from __future__ import annotations

from limits import RateLimitItemPerMinute
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from motcua.accounts.service import SignInFailed
from motcua.i18n import T


class LoginThrottle:
    """Counts failed sign-ins; :meth:`check` refuses (HTTP 429) once a limit is used up.

    ``failures`` wrong passwords per (account, client) per ``minutes``; four times as many
    per client (one machine trying many logins), ten times as many per account (many
    machines trying one login).
    """

    def __init__(self, storage: Storage | str, *, failures: int = 5, minutes: int = 15) -> None:
        self.storage = storage_from_string(storage) if isinstance(storage, str) else storage
        self.limiter = FixedWindowRateLimiter(self.storage)
        self.minutes = minutes
        self.limits = {
            "pair": RateLimitItemPerMinute(failures, minutes),
            "client": RateLimitItemPerMinute(failures * 4, minutes),
            "account": RateLimitItemPerMinute(failures * 10, minutes),
        }

    def _keys(self, login: str, client: str) -> dict[str, tuple[str, ...]]:
        account = login.strip().lower()[:64]
        return {"pair": ("login", account, client), "client": ("login-client", client),
                "account": ("login-account", account)}

    def check(self, login: str, client: str) -> None:
        """Raise :class:`SignInFailed` (429) if ``client`` may not try ``login`` now."""
        for name, identifiers in self._keys(login, client).items():
            if not self.limiter.test(self.limits[name], *identifiers):
                raise SignInFailed(
                    T(
                        "Quá nhiều yêu cầu đăng nhập sai; vui lòng chờ tối đa {n} phút rồi thử lại",
                        "Too many requests with a wrong password; please wait up to {n} minutes and retry",
                        n=self.minutes,
                    ),
                    status=429,
                    throttled=name,
                )

    def failed(self, login: str, client: str) -> None:
        """Count one wrong password (or unknown login) of ``client`` for ``login``."""
        for name, identifiers in self._keys(login, client).items():
            self.limiter.hit(self.limits[name], *identifiers)

    def succeeded(self, login: str, client: str) -> None:
        """Forget ``client``'s failures on ``login`` after a right password."""
        self.limiter.clear(self.limits["pair"], *self._keys(login, client)["pair"])
