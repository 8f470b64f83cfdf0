"""The spoken call of the display board, in Vietnamese, made offline.

The board's PC (or the server in the hall) runs Debian's ``espeak-ng`` with its
Vietnamese voice: no network, no model download, a few milliseconds per phrase. Clips
are cached per phrase (the day's numbers repeat across boards). Without espeak-ng the
clip route answers 404 and the board speaks with the browser's own Vietnamese voice.
"""

from __future__ import annotations

import re
import shutil
import subprocess  # noqa: S404 - espeak-ng, called with fixed arguments
from functools import lru_cache

_NUMBER = re.compile(r"[A-Z]{1,3}-[0-9]{1,6}")
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def call_phrase(number: str, counter: int) -> str:
    """Return what the board says: ``Mời số B, không hai ba, đến quầy 3``.

    The letter is spelled, and the digits read one by one as the printed number shows
    them, so the citizen hears what is on the ticket.
    """
    letter, _, digits = number.partition("-")
    spoken = " ".join(DIGITS[int(d)] for d in digits if d.isdigit())
    return f"Mời số {' '.join(letter)}, {spoken}, đến quầy {counter}"


def espeak() -> str | None:
    """Return the path of espeak-ng (or espeak), None when neither is installed."""
    return shutil.which("espeak-ng") or shutil.which("espeak")


def speech_wav(number: str, counter: int) -> bytes | None:
    """Return the WAV of the call of ``number`` to ``counter``, None without a synthesizer
    or for a malformed number."""
    if not _NUMBER.fullmatch(number) or not 0 < counter < 1000 or espeak() is None:
        return None
    return _synthesize(call_phrase(number, counter))


@lru_cache(maxsize=512)
def _synthesize(phrase: str) -> bytes | None:
    program = espeak()
    if program is None:
        return None
    done = subprocess.run(  # noqa: S603 - fixed program and options; the phrase is built here
        [program, "-v", "vi", "-s", "140", "--stdout", phrase],
        capture_output=True, timeout=10, check=False,
    )
    return done.stdout if done.returncode == 0 and done.stdout[:4] == b"RIFF" else None
