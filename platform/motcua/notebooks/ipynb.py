"""Reading and writing notebooks as ``.ipynb`` files (nbformat v4.5, JupyterLab opens them)."""

from __future__ import annotations

import json
from pathlib import Path

from motcua.i18n import T
from motcua.notebooks.model import Notebook, NotebookFormatError
from motcua.notebooks.serialize import notebook_from_dict, notebook_to_dict
from motcua.parsing import refusing


def read_ipynb(path_or_text: str | Path) -> Notebook:
    """Return the notebook in a ``.ipynb`` file (a Path, a path string, or the JSON text).

    Raises NotebookFormatError when the file is not JSON (naming line and column), is not
    a valid nbformat v4 notebook, or breaks docs/notebook-format.md (naming the cell's
    index and id, or the metadata key); any other malformed shape is refused the same way
    (motcua.parsing), never another exception.
    """
    if isinstance(path_or_text, Path) or not path_or_text.lstrip().startswith("{"):
        try:
            text = Path(path_or_text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise NotebookFormatError(
                T("Không đọc được tệp .ipynb ({reason})", "Cannot read the .ipynb file ({reason})",
                  reason=type(error).__name__)
            ) from None
    else:
        text = path_or_text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookFormatError(
            T(
                "Tệp không phải JSON hợp lệ (dòng {line}, cột {column})",
                "The file is not valid JSON (line {line}, column {column})",
                line=error.lineno,
                column=error.colno,
            )
        ) from None
    except (RecursionError, ValueError) as error:  # nesting too deep, a 5,000-digit number
        raise NotebookFormatError(
            T("Tệp .ipynb lồng nhau quá sâu hoặc có số quá lớn ({reason})",
              "The .ipynb file nests too deep or holds too large a number ({reason})",
              reason=type(error).__name__)
        ) from None
    with refusing(".ipynb", NotebookFormatError):
        nb = notebook_from_dict(data)
        _check_nbformat(data)
    return nb


def write_ipynb(nb: Notebook) -> str:
    """Return the ``.ipynb`` JSON text of ``nb`` (one-space indent, UTF-8 kept, final newline)."""
    return json.dumps(notebook_to_dict(nb), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _check_nbformat(data: dict) -> None:
    # Our checks ran first for better messages; nbformat's schema catches the rest.
    import nbformat
    from nbformat.validator import ValidationError

    try:
        nbformat.validate(data, version=4)
    except ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "notebook"
        raise NotebookFormatError(
            T(
                "Không đúng định dạng nbformat tại `{where}`: {problem}",
                "Not valid nbformat at `{where}`: {problem}",
                where=where,
                problem=error.message,
            ),
            key=where,
        ) from None
