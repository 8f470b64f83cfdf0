"""Benchmark: slip 01 through PrintRenderer vs bare WeasyPrint, and the thermal raster.

Run: ``.venv/bin/python benchmarks/bench_print.py [--runs 30]``. Writes
``benchmarks/results/print.json`` and ``print.md``; all figures are medians in ms over
``--runs`` timed renders after one discarded warm-up render.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import weasyprint

from motcua.printing import PrintRenderer, pdf_to_thermal, sample_context

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def measure(action: Callable[[], Any], runs: int) -> dict[str, float]:
    """Return the median, min and max wall time of ``action`` in ms (after one warm-up)."""
    action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(samples), 2),
        "min_ms": round(min(samples), 2),
        "max_ms": round(max(samples), 2),
    }


def run(runs: int) -> dict[str, Any]:
    """Return the benchmark results as a JSON-ready dict."""
    start = time.perf_counter()
    renderer = PrintRenderer()
    setup_ms = (time.perf_counter() - start) * 1000
    slip = sample_context("01")
    html = renderer.render_html("01", slip)
    ticket_pdf = renderer.render_pdf("ticket", sample_context("ticket"))
    results = {
        "ours_slip01_a4": measure(lambda: renderer.render_pdf("01", slip), runs),
        "bare_weasyprint_same_html": measure(
            lambda: weasyprint.HTML(string=html, base_url=renderer.base_url).write_pdf(), runs
        ),
        "ours_slip01_a5": measure(lambda: renderer.render_pdf("01", slip, paper="A5"), runs),
        "ours_ticket_thermal": measure(
            lambda: renderer.render_pdf("ticket", sample_context("ticket")), runs
        ),
        "thermal_raster_576px": measure(lambda: pdf_to_thermal(ticket_pdf), runs),
    }
    ours = results["ours_slip01_a4"]["median_ms"]
    bare = results["bare_weasyprint_same_html"]["median_ms"]
    return {
        "when": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "runs": runs,
        "renderer_setup_ms": round(setup_ms, 1),
        "results": results,
        "ratio_ours_over_bare": round(ours / bare, 3),
        "note": (
            "bare = HTML(string=same_html).write_pdf() with no stylesheets: system fonts, "
            "default page, no font-face loading; ours adds the shipped fonts and page CSS."
        ),
    }


def markdown(report: dict[str, Any]) -> str:
    """Return a short Markdown table of ``report``."""
    lines = [
        f"# Print benchmark ({report['when']}, WeasyPrint {report['weasyprint']}, "
        f"{report['runs']} runs)",
        "",
        "| case | median ms | min | max |",
        "|---|---:|---:|---:|",
    ]
    for name, figures in report["results"].items():
        lines.append(
            f"| {name} | {figures['median_ms']} | {figures['min_ms']} | {figures['max_ms']} |"
        )
    lines += [
        "",
        f"Ratio ours / bare (slip 01, A4): **{report['ratio_ours_over_bare']}**. "
        f"Renderer setup: {report['renderer_setup_ms']} ms.",
        "",
        report["note"],
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark and write the JSON and Markdown results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    report = run(args.runs)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "print.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS_DIR / "print.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
