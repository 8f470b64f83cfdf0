"""Start one app under gunicorn exactly as ``motcua serve`` runs it (used by bench_records.py).

``python benchmarks/serve_bench.py ours|bare HOST:PORT``: ``ours`` is ``create_app()``
(settings from MOTCUA_DATA_DIR / DATABASE_URL); ``bare`` is ``bare_app.create_app()``
served by the very same :func:`motcua.cli.serve.run_gunicorn` (2 sync workers, access
log on stdout, timeout 60 s), so both sides get identical gunicorn settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import motcua.app
from motcua.cli.serve import run_gunicorn


def main() -> None:
    which, bind = sys.argv[1], sys.argv[2]
    if which == "bare":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import bare_app

        motcua.app.create_app = bare_app.create_app  # run_gunicorn imports it at load time
    elif which != "ours":
        raise SystemExit("usage: serve_bench.py ours|bare HOST:PORT")
    sys.argv = sys.argv[:1]
    run_gunicorn(bind, workers=2)


if __name__ == "__main__":
    main()
