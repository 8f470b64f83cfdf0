"""When to try a failed delivery again: exponential backoff with full jitter (pure)."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how fast a message is tried.

    :param max_attempts: tries before the message goes to the dead letter.
    :param base_delay: seconds before the second try; each later wait may double.
    :param max_delay: the longest wait between two tries, in seconds.
    """

    max_attempts: int = 10
    base_delay: float = 2.0
    max_delay: float = 600.0

    def delay(self, attempts: int, rng: random.Random | None = None) -> float:
        """Return the seconds to wait after the ``attempts``-th failed try.

        Full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): a uniform
        draw between half the exponential step and the step, so workers that failed
        together do not all come back together.
        """
        step: float = min(self.max_delay, self.base_delay * 2.0 ** max(attempts - 1, 0))
        draw: float = rng.random() if rng is not None else random.random()
        return step / 2 + draw * step / 2

    def exhausted(self, attempts: int) -> bool:
        """Return True when ``attempts`` tries are all a message gets."""
        return attempts >= self.max_attempts
