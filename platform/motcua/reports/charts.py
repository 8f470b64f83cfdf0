"""Charts as server-made SVG: no JavaScript, no build step, the same in the browser and
in print. Pure functions over plain numbers returning markup safe to put in a page.

Every chart is an ``<svg role="img">`` with a ``<title>`` naming it, and every bar has a
``<title>`` with its exact value (shown on hover, read by screen readers); the numbers
are also in the report's tables, so a chart never holds a figure alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#1f5fa8", "#2e8540", "#b35c00", "#7a3e9d", "#8a1c1c", "#4d4d4d")
_FONT = 'font-family="Liberation Sans, Arial, sans-serif" font-size="12"'


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, the text printed beside it, and an optional link."""

    label: str
    value: float
    text: str = ""
    href: str | None = None


def _link(content: str, href: str | None) -> str:
    return f'<a href="{escape(href)}">{content}</a>' if href else content


def _svg(width: int, height: int, title: str, body: list[str], css_class: str) -> Markup:
    return Markup(  # noqa: S704 - every text inside went through escape()
        f'<svg class="chart {css_class}" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        f'{_FONT}><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def bar_chart(bars: Sequence[Bar], *, title: str, scale: float | None = None,
              width: int = 640) -> Markup:
    """Return horizontal bars, one per row (wards side by side, on-time by procedure).

    ``scale`` is the value of a full-width bar (1 for rates); by default the largest value.
    """
    label_width, row, value_width = 260, 26, 70
    plot = width - label_width - value_width
    top = max([scale or 0.0, *(b.value for b in bars)]) or 1.0
    body = []
    for index, bar in enumerate(bars):
        y = index * row + 4
        length = max(0.0, bar.value) / top * plot
        label = escape(bar.label if len(bar.label) <= 36 else bar.label[:35] + "…")
        text = escape(bar.text or f"{bar.value:g}")
        body.append(
            f'<g class="bar"><title>{escape(bar.label)}: {text}</title>'
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{label}</text>'
            + _link(f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{row - 8}" '
                    f'fill="{PALETTE[0]}"/>', bar.href)
            + f'<text x="{label_width + length + 6:.1f}" y="{y + 15}">{text}</text></g>'
        )
    if not bars:
        body.append(f'<text x="{label_width}" y="18">—</text>')
    return _svg(width, max(1, len(bars)) * row + 8, title, body, "bar-chart")


def column_chart(groups: Sequence[tuple[str, Sequence[float]]], series: Sequence[str], *,
                 title: str, width: int = 640, height: int = 220) -> Markup:
    """Return grouped columns: one group per label (a week), one column per series
    (received, resolved, late…), with a legend under the plot."""
    left, bottom, legend = 36, 40, 22
    plot_h = height - bottom - legend
    plot_w = width - left - 8
    top = max([1.0, *(v for _, values in groups for v in values)])
    slot = plot_w / max(1, len(groups))
    column = max(2.0, (slot - 10) / max(1, len(series)))
    body = [f'<line x1="{left}" y1="{plot_h + 4}" x2="{width - 8}" y2="{plot_h + 4}" stroke="#888"/>',
            f'<text x="{left - 4}" y="12" text-anchor="end">{top:g}</text>',
            f'<text x="{left - 4}" y="{plot_h + 4}" text-anchor="end">0</text>']
    for g_index, (label, values) in enumerate(groups):
        x0 = left + g_index * slot + 5
        for s_index, value in enumerate(values):
            h = value / top * plot_h
            body.append(
                f'<g class="column"><title>{escape(label)} · {escape(series[s_index])}: {value:g}</title>'
                f'<rect x="{x0 + s_index * column:.1f}" y="{plot_h + 4 - h:.1f}" '
                f'width="{column - 1:.1f}" height="{h:.1f}" fill="{PALETTE[s_index % len(PALETTE)]}"/></g>'
            )
        body.append(f'<text x="{x0 + (slot - 10) / 2:.1f}" y="{plot_h + 20}" '
                    f'text-anchor="middle">{escape(label)}</text>')
    body += _legend(series, height - 8)
    return _svg(width, height, title, body, "column-chart")


def share_bar(parts: Sequence[tuple[str, float]], *, title: str, width: int = 640) -> Markup:
    """Return one bar split into shares (channels: direct, online, postal) with a legend
    giving each count and percentage."""
    total = sum(value for _, value in parts)
    body, x = [], 0.0
    for index, (label, value) in enumerate(parts):
        share = value / total if total else 0.0
        length = share * width
        body.append(
            f'<g class="share"><title>{escape(label)}: {value:g} ({share:.1%})</title>'
            f'<rect x="{x:.1f}" y="0" width="{length:.1f}" height="28" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/></g>'
        )
        x += length
    if not total:
        body.append(f'<rect x="0" y="0" width="{width}" height="28" fill="#ddd"/>')
    labels = [f"{label}: {value:g}" + (f" ({value / total:.1%})" if total else "")
              for label, value in parts]
    body += _legend(labels, 50)
    return _svg(width, 58, title, body, "share-bar")


def _legend(labels: Sequence[str], y: int) -> list[str]:
    items, x = [], 0
    for index, label in enumerate(labels):
        items.append(f'<rect x="{x}" y="{y - 10}" width="10" height="10" '
                     f'fill="{PALETTE[index % len(PALETTE)]}"/>'
                     f'<text x="{x + 14}" y="{y}">{escape(label)}</text>')
        x += 20 + 7 * len(label)
    return items
