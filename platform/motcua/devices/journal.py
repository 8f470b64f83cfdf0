"""The agent's state on disk: a journal of jobs being printed and an outbox of messages for
the server, both as one small JSON file per entry written atomically (write, fsync, rename).

The journal is what keeps a killed agent from printing a job twice: a job is marked
``printed`` the moment the printer took its last byte without a fault, before the server
is told; an agent that restarts finds the mark and only repeats the acknowledgement. A job
still marked ``printing`` was interrupted mid-way and is printed again (the torn slip, if
any, is cut off by the next job's start).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


class Journal:
    """Jobs on their way to a printer, under ``<state>/jobs/<job id>.json``."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = state_dir / "jobs"
        self.folder.mkdir(parents=True, exist_ok=True)

    def state(self, job_id: int) -> dict[str, Any] | None:
        """Return the journal entry of ``job_id`` (``{"state": …, "device": …}``), or None."""
        try:
            return dict(json.loads((self.folder / f"{job_id}.json").read_text(encoding="utf-8")))
        except (FileNotFoundError, ValueError):
            return None

    def mark(self, job_id: int, state: str, **details: Any) -> None:
        """Record that ``job_id`` is now ``printing`` or ``printed``."""
        _write(self.folder / f"{job_id}.json", {"job": job_id, "state": state, **details})

    def forget(self, job_id: int) -> None:
        """Drop the entry (the job will be printed again when it is pulled again)."""
        (self.folder / f"{job_id}.json").unlink(missing_ok=True)

    def printed_not_acknowledged(self) -> list[dict[str, Any]]:
        """Return the entries of jobs printed whose acknowledgement the server has not confirmed."""
        entries = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                entry = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            if entry.get("state") == "printed":
                entries.append(entry)
        return entries


class Outbox:
    """Messages for the server kept while it is unreachable, under ``<state>/outbox/``, sent in order."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = state_dir / "outbox"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._next = 1 + max((int(p.stem) for p in self.folder.glob("*.json") if p.stem.isdigit()), default=0)

    def put(self, path: str, body: dict[str, Any]) -> None:
        """Keep a POST of ``body`` to ``path`` for later."""
        _write(self.folder / f"{self._next:012d}.json", {"path": path, "body": body})
        self._next += 1

    def items(self) -> list[tuple[Path, dict[str, Any]]]:
        """Return the kept messages, oldest first, each with its file."""
        found = []
        for file in sorted(self.folder.glob("*.json")):
            try:
                found.append((file, json.loads(file.read_text(encoding="utf-8"))))
            except ValueError:
                file.unlink(missing_ok=True)
        return found

    def __len__(self) -> int:
        return len(list(self.folder.glob("*.json")))
