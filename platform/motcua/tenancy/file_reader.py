"""Reading a TOML file so that every complaint can name the file and the line.

``tomllib`` gives positions only for syntax errors, so :class:`FileReader` scans the raw
text for table headers (``[[reception_points]]``) and ``key =`` lines to find where a
value was written. Used by :mod:`motcua.tenancy.files`; nothing here knows the tenant
format.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from motcua.errors import UserError
from motcua.i18n import T, Text

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_SYNTAX_LINE = re.compile(r"line (\d+)")

STRING = T("một chuỗi trong dấu ngoặc kép", "a quoted string")
BOOLEAN = T("true hoặc false", "true or false")
STRINGS = T("một danh sách chuỗi", "a list of strings")


class TenantFileError(UserError):
    """A tenant file is wrong; the message names the file and the line to fix."""


@dataclass(frozen=True)
class Section:
    """A table of the file and the lines where its own keys are written."""

    data: dict[str, Any]
    first: int
    last: int  # exclusive
    label: Text


class FileReader:
    """Checks one file's parsed data, knowing its text to point at lines."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.headers = [
            (number, match.group(1).replace(" ", ""))
            for number, line in enumerate(self.lines, start=1)
            if (match := _HEADER.match(line))
        ]

    @classmethod
    def open(cls, path: Path) -> tuple[Self, dict[str, Any]]:
        """Return a reader for the file at ``path`` and its parsed TOML.

        :raises TenantFileError: the file is not UTF-8, or not valid TOML.
        """
        path = Path(path)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise cls(path, "").error(
                raw[: exc.start].count(b"\n") + 1,
                "tệp phải được lưu với bảng mã UTF-8",
                "the file must be saved as UTF-8",
            ) from None
        reader = cls(path, text)
        try:
            return reader, tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = _SYNTAX_LINE.search(str(exc))
            raise reader.error(
                int(found.group(1)) if found else 1,
                "lỗi cú pháp TOML: {detail}",
                "TOML syntax error: {detail}",
                detail=str(exc),
            ) from None

    def error(self, line: int, vi: str, en: str, **params: Any) -> TenantFileError:
        """Return an error for ``line`` of this file (the caller raises it)."""
        where = display_path(self.path)
        return TenantFileError(
            T(
                "{file}, dòng {line}: " + vi,
                "{file}, line {line}: " + en,
                file=where,
                line=line,
                **params,
            ),
            file=where,
            line=line,
        )

    # Locating lines ---------------------------------------------------------------

    def top(self, data: dict[str, Any]) -> Section:
        """Return the top-level table: the lines before the first ``[table]`` header."""
        end = self.headers[0][0] if self.headers else len(self.lines) + 1
        return Section(data, 1, end, T("phần đầu tệp", "the top of the file"))

    def tables(self, name: str, within: tuple[int, int]) -> list[int]:
        """Return the lines of the ``[[name]]`` headers between two lines (end exclusive)."""
        return [
            number
            for number, header in self.headers
            if header == name and within[0] <= number < within[1]
        ]

    def section(
        self, data: Any, name: str, index: int, parent: Section, within: tuple[int, int]
    ) -> Section:
        """Return the ``index``-th ``[[name]]`` table found ``within`` a line range.

        :raises TenantFileError: the entry is not a table.
        """
        label = T("[[{name}]] thứ {n}", "[[{name}]] number {n}", name=name, n=index + 1)
        starts = self.tables(name, within)
        if index >= len(starts):
            # Written as an inline table or array: point at the parent's key.
            line = self.line_of(parent, name.rsplit(".", 1)[-1])
            return Section(data if isinstance(data, dict) else {}, line, line, label)
        first = starts[index]
        following = [number for number, _ in self.headers if number > first]
        last = following[0] if following else len(self.lines) + 1
        if not isinstance(data, dict):
            raise self.error(
                first, "{label} phải là một bảng", "{label} must be a table", label=label
            )
        return Section(data, first, last, label)

    def line_of(self, section: Section, key: str) -> int:
        """Return the line where ``key =`` is written in ``section``, else its first line."""
        pattern = re.compile(rf'^\s*("{re.escape(key)}"|{re.escape(key)})\s*=')
        for number in range(section.first, section.last):
            if pattern.match(self.lines[number - 1]):
                return number
        return section.first

    # Reading values ---------------------------------------------------------------

    def keys(self, section: Section, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        """Return None when ``section`` has only ``allowed`` keys and all ``required`` ones.

        :raises TenantFileError: an unknown key (listing the valid ones) or a missing key.
        """
        for key in section.data:
            if key not in allowed:
                raise self.error(
                    self.line_of(section, key),
                    "khóa `{key}` không dùng được trong {where}; các khóa hợp lệ: {allowed}",
                    "unknown key `{key}` in {where}; the valid keys are: {allowed}",
                    key=key,
                    where=section.label,
                    allowed=", ".join(allowed),
                )
        for key in required:
            if key not in section.data:
                raise self.error(
                    section.first,
                    "{where} thiếu khóa bắt buộc `{key}`",
                    "{where} lacks the required key `{key}`",
                    key=key,
                    where=section.label,
                )

    def string(self, section: Section, key: str, default: str = "") -> str:
        """Return the string at ``key`` stripped, or ``default``; raises if not a string."""
        value = section.data.get(key, default)
        if not isinstance(value, str):
            raise self.wrong_type(section, key, STRING)
        return value.strip()

    def strings(self, section: Section, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Return the list of strings at ``key``, or ``default``; raises on other types."""
        value = section.data.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.wrong_type(section, key, STRINGS)
        return tuple(item.strip() for item in value)

    def table_list(self, section: Section, key: str) -> list[Any]:
        """Return the array of tables at ``key`` (empty when absent); raises if not a list."""
        value = section.data.get(key, [])
        if not isinstance(value, list):
            raise self.wrong_type(
                section, key, T("một danh sách [[{key}]]", "a list of [[{key}]]", key=key)
            )
        return value

    def wrong_type(self, section: Section, key: str, kind: Text) -> TenantFileError:
        """Return the error "`key` must be <kind>" at the key's line."""
        return self.error(
            self.line_of(section, key),
            "`{key}` phải là {kind}",
            "`{key}` must be {kind}",
            key=key,
            kind=kind,
        )


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when inside it ("tenants/x.toml")."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return Path(path).as_posix()
