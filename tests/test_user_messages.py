"""Messages staff and citizens read quote what they name with “…”, never Markdown backticks
(a literal backtick on the counter screen or the public lookup reads as junk). Backticks
stay for identifiers in messages to notebook authors and API clients."""

from __future__ import annotations

import ast
from pathlib import Path

PLATFORM = Path(__file__).resolve().parents[1] / "platform" / "motcua"
# The modules whose messages reach the counter, the record page and the public lookup.
USER_FACING = [
    "records/codes.py",
    "records/lifecycle.py",
    "records/procedures.py",
    "records/queries.py",
    "records/service.py",
    "records/reception_checks.py",
    "units/catalogue.py",
    "citizen_id.py",
    "notebooks/field_parsers.py",  # the messages under each field of the reception form
]


def _messages(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("T", "_bad"):
            found += [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
    return found


def test_counter_and_lookup_messages_have_no_backticks():
    offenders = [
        f"{name}: {text}"
        for name in USER_FACING
        for text in _messages(PLATFORM / name)
        if "`" in str(text)
    ]
    assert offenders == []


def test_the_lookup_says_the_code_in_quotes(client, ward_a):
    page = client.get(f"/{ward_a.slug}/tra-cuu?ma=NOPE-1").get_data(as_text=True)
    assert "“NOPE-1”" in page and "`" not in page
