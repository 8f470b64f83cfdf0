"""Charts are plain SVG made on the server: escaped text, bar lengths from the values."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from motcua.reports.charts import Bar, bar_chart, column_chart, share_bar

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_are_proportional_and_text_is_escaped():
    svg = str(bar_chart([Bar("<b>Phường A</b>", 0.5, "50 %", "/x?a=1&b=2"), Bar("Phường B", 1.0)],
                        title="Tỷ lệ & số", scale=1.0))
    root = ElementTree.fromstring(svg)  # well-formed XML: nothing unescaped got in
    assert root.find(f"{SVG}title").text == "Tỷ lệ & số"
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[1] == 2 * widths[0] > 0
    assert "&lt;b&gt;" in svg and "/x?a=1&amp;b=2" in svg


def test_columns_and_shares_carry_their_values():
    svg = str(column_chart([("02/03", (3, 1)), ("09/03", (0, 2))], ["Tiếp nhận", "Giải quyết"], title="Tuần"))
    ElementTree.fromstring(svg)
    assert "02/03 · Tiếp nhận: 3" in svg and "09/03 · Giải quyết: 2" in svg
    share = str(share_bar([("Trực tiếp", 3), ("Trực tuyến", 1)], title="Kênh"))
    assert "Trực tiếp: 3 (75.0%)" in share and "Trực tuyến: 1 (25.0%)" in share
    assert re.search(r'width="480\.0"', share)
    assert "<rect" in str(share_bar([("Trực tiếp", 0)], title="Kênh"))  # empty: a grey bar
