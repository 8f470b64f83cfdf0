"""The one rule of every file parser: parse, or raise our :class:`UserError`.

Uploaded ``.ipynb``, XLSForm and record tables are untrusted bytes. The parsers check
what they know and name the cell, sheet or line at fault; :func:`refusing` is the last
line around each of them, so a shape nobody thought of (a number where a list was, a
zip that is not one, nesting a thousand deep, a 5,000-digit number) becomes the same
clear "damaged file" refusal instead of an HTTP 500. :func:`check_zip` refuses a
compression bomb before any XML is unpacked.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from motcua.errors import UserError
from motcua.i18n import T

# What a parser may raise on malformed input. Our own UserError passes through as it is;
# MemoryError and the like are not input problems and are not caught.
FAULTS: tuple[type[BaseException], ...] = (
    ValueError,  # includes UnicodeDecodeError and int() of a 5,000-digit string
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
    OverflowError,
    LookupError,
    EOFError,
    SyntaxError,  # xml.etree's ParseError
    zipfile.BadZipFile,
    csv.Error,  # a field over the csv module's limit
    zlib.error,  # a damaged deflate stream inside a zip
    zipfile.LargeZipFile,
    NotImplementedError,  # a zip entry compressed with a method zipfile lacks
    RuntimeError,  # an encrypted zip entry
)

#: Unpacked bytes an uploaded zip (xlsx) may hold, and the ratio packed:unpacked.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200


def _library_errors() -> tuple[type[BaseException], ...]:
    # The parsing libraries' own error bases (both are dependencies).
    from lark.exceptions import LarkError
    from openpyxl.utils.exceptions import InvalidFileException, ReadOnlyWorkbookException

    return (LarkError, InvalidFileException, ReadOnlyWorkbookException)


@contextmanager
def refusing(kind: str, error: type[UserError] = UserError, **details: Any) -> Iterator[None]:
    """Turn any fault of malformed input inside the block into ``error`` naming ``kind``
    (e.g. ".ipynb", "XLSForm", "CSV"); a UserError raised inside passes unchanged."""
    try:
        yield
    except UserError:
        raise
    except FAULTS + _library_errors() as fault:
        raise error(
            T(
                "Tệp {kind} bị hỏng hoặc sai cấu trúc ({reason}); hãy lưu lại tệp từ chương trình gốc rồi tải lên lại",
                "The {kind} file is damaged or malformed ({reason}); save it again from the program that made it and upload it again",
                kind=kind,
                reason=type(fault).__name__,
            ),
            **details,
        ) from None


def check_zip(source: str | Path | IO[bytes], kind: str, error: type[UserError] = UserError,
              *, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Raise ``error`` if ``source`` is not a zip, or unpacks to more than ``max_unpacked``
    bytes or :data:`MAX_RATIO` times its packed size (a compression bomb)."""
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as fault:
        raise error(
            T("Tệp {kind} bị hỏng hoặc không phải tệp Excel ({reason})",
              "The {kind} file is damaged or not an Excel file ({reason})", kind=kind, reason=type(fault).__name__),
            field="file",
        ) from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > max_unpacked or unpacked > packed * MAX_RATIO and unpacked > 16 * 2**20:
        raise error(
            T(
                "Tệp {kind} giải nén ra quá lớn ({size} MB): hãy kiểm tra và chia nhỏ tệp",
                "The {kind} file unpacks to too much ({size} MB): check it and split it",
                kind=kind,
                size=unpacked // 2**20,
            ),
            field="file",
        )
